using Vigil.Model;

namespace Vigil.Alerting.Alerts;

/// <summary>An alert as a sender posted it, before the store fills in its times.</summary>
/// <param name="Labels">The labels (empty values already removed, as Alertmanager's API does).</param>
/// <param name="Annotations">The annotations.</param>
/// <param name="StartsAt">The start, or <see cref="DateTimeOffset.MinValue"/> when not given.</param>
/// <param name="EndsAt">The end, or <see cref="DateTimeOffset.MinValue"/> when not given.</param>
/// <param name="GeneratorUrl">The link to the source, or "".</param>
public sealed record PostedAlert(Labels Labels, IReadOnlyDictionary<string, string> Annotations, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string GeneratorUrl);

/// <summary>
/// What <c>POST /api/v2/alerts</c> does with received alerts (Alertmanager 0.25's <c>postAlertsHandler</c>): stamp
/// them with the receive time, start them now (or at their end) when no start was given, give those without an end
/// the resolve timeout (marking them <see cref="Alert.Timeout"/>), count them as firing or resolved, then validate
/// each and store the valid ones. Invalid ones are counted and their errors joined with "; ".
/// </summary>
public sealed class AlertIngestion(AlertStore store, TimeProvider time)
{
    private long _firing;
    private long _resolved;
    private long _invalid;

    /// <summary>Received alerts that were firing (<c>alertmanager_alerts_received_total{status="firing"}</c>).</summary>
    public long ReceivedFiring => Interlocked.Read(ref _firing);

    /// <summary>Received alerts that were resolved (<c>alertmanager_alerts_received_total{status="resolved"}</c>).</summary>
    public long ReceivedResolved => Interlocked.Read(ref _resolved);

    /// <summary>Received alerts that were invalid (<c>alertmanager_alerts_invalid_total</c>).</summary>
    public long Invalid => Interlocked.Read(ref _invalid);

    /// <summary>Stores the valid alerts of <paramref name="posted"/>; returns the validation errors (empty when all were valid).</summary>
    public List<string> Ingest(IReadOnlyList<PostedAlert> posted, TimeSpan resolveTimeout)
    {
        ArgumentNullException.ThrowIfNull(posted);
        var now = time.GetUtcNow();
        var valid = new List<Alert>(posted.Count);
        var errors = new List<string>();
        foreach (var p in posted)
        {
            var startsAt = p.StartsAt;
            var endsAt = p.EndsAt;
            var timeout = false;
            if (startsAt == DateTimeOffset.MinValue)
            {
                startsAt = endsAt == DateTimeOffset.MinValue ? now : endsAt;
            }
            if (endsAt == DateTimeOffset.MinValue)
            {
                timeout = true;
                endsAt = now + resolveTimeout;
            }
            if (endsAt > now)
            {
                Interlocked.Increment(ref _firing);
            }
            else
            {
                Interlocked.Increment(ref _resolved);
            }
            var alert = new Alert(p.Labels, p.Annotations, startsAt, endsAt, p.GeneratorUrl, now, timeout);
            if (AlertValidation.Validate(alert) is { } error)
            {
                errors.Add(error);
                Interlocked.Increment(ref _invalid);
                continue;
            }
            valid.Add(alert);
        }
        store.Put(valid);
        return errors;
    }
}
