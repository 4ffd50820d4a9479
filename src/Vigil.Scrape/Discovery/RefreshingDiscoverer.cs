using System.Threading.Channels;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// A discoverer that polls, as Prometheus's <c>refresh.Discovery</c>: refreshes at start and then every
/// <see cref="RefreshInterval"/>, sending what each refresh found. A failed refresh sends nothing (the previous
/// targets stay) and records the error in <see cref="LastError"/>.
/// </summary>
public abstract class RefreshingDiscoverer : ITargetDiscoverer
{
    private volatile string? _lastError;

    /// <summary>Creates the polling loop.</summary>
    protected RefreshingDiscoverer(TimeSpan refreshInterval, TimeProvider? timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refreshInterval, TimeSpan.Zero);
        RefreshInterval = refreshInterval;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Time between refreshes.</summary>
    public TimeSpan RefreshInterval { get; }

    /// <summary>The clock that paces the refreshes.</summary>
    protected TimeProvider TimeProvider { get; }

    /// <inheritdoc/>
    public string? LastError => _lastError;

    /// <summary>How many refreshes failed (Prometheus's <c>prometheus_sd_refresh_failures_total</c>).</summary>
    public long Failures { get; private set; }

    /// <summary>One refresh: the groups to send, and an error for a partial failure (the groups still go out).</summary>
    /// <exception cref="Exception">Anything but cancellation is a failed refresh: nothing is sent.</exception>
    protected abstract Task<(IReadOnlyList<TargetGroup> Groups, string? Error)> RefreshAsync(CancellationToken cancellationToken);

    /// <inheritdoc/>
    public async Task RunAsync(ChannelWriter<IReadOnlyList<TargetGroup>> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        try
        {
            while (true)
            {
                try
                {
                    var (groups, error) = await RefreshAsync(cancellationToken).ConfigureAwait(false);
                    _lastError = error;
                    if (error is not null)
                    {
                        Failures++;
                    }
                    if (groups.Count > 0)
                    {
                        await updates.WriteAsync(groups, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Failures++;
                    _lastError = e.Message;
                }
                await Task.Delay(RefreshInterval, TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
