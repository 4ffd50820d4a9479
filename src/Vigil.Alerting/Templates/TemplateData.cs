using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Pipeline;
using Vigil.Model;

namespace Vigil.Alerting.Templates;

/// <summary>
/// The data notification templates and webhook payloads see (Alertmanager 0.25's <c>template.Data</c>):
/// <c>.Receiver</c>, <c>.Status</c>, <c>.Alerts</c>, <c>.GroupLabels</c>, <c>.CommonLabels</c>, <c>.CommonAnnotations</c>,
/// <c>.ExternalURL</c>.
/// </summary>
public sealed class TemplateData
{
    private TemplateData(string receiver, string status, TemplateAlerts alerts, KV groupLabels, KV commonLabels, KV commonAnnotations, string externalUrl)
    {
        Receiver = receiver;
        Status = status;
        Alerts = alerts;
        GroupLabels = groupLabels;
        CommonLabels = commonLabels;
        CommonAnnotations = commonAnnotations;
        ExternalURL = externalUrl;
    }

    /// <summary>The receiver's name, regexp-quoted as Alertmanager quotes it (<c>regexp.QuoteMeta</c>).</summary>
    public string Receiver { get; }

    /// <summary><c>firing</c> when any alert fires, else <c>resolved</c>.</summary>
    public string Status { get; }

    /// <summary>The alerts, in the order the pipeline passed them.</summary>
    public TemplateAlerts Alerts { get; }

    /// <summary>The group's labels.</summary>
    public KV GroupLabels { get; }

    /// <summary>The labels all alerts share.</summary>
    public KV CommonLabels { get; }

    /// <summary>The annotations all alerts share.</summary>
    public KV CommonAnnotations { get; }

    /// <summary>Where Alertmanager (Vigil) is reachable.</summary>
    public string ExternalURL { get; }

    /// <summary>Builds the data for one notification (Alertmanager's <c>Template.Data</c>).</summary>
    public static TemplateData Create(NotificationContext context, IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(alerts);
        var list = new TemplateAlert[alerts.Count];
        for (var i = 0; i < list.Length; i++)
        {
            var a = alerts[i];
            list[i] = new TemplateAlert(a.StatusAt(context.Now), KV.From(a.Labels), new KV(a.Annotations), a.StartsAt, a.EndsAt, a.GeneratorUrl, AlertFingerprint.Format(a.Fingerprint));
        }
        return new TemplateData(
            QuoteMeta(context.Receiver),
            context.Status(alerts),
            new TemplateAlerts(list),
            KV.From(context.GroupLabels),
            KV.From(NotificationContext.CommonLabels(alerts)),
            new KV(NotificationContext.CommonAnnotations(alerts)),
            context.ExternalUrl);
    }

    /// <summary>Go's <c>regexp.QuoteMeta</c>: a backslash before each of <c>\.+*?()|[]{}^$</c>.</summary>
    public static string QuoteMeta(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new System.Text.StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>One alert in <see cref="TemplateData.Alerts"/> (Alertmanager's <c>template.Alert</c>).</summary>
public sealed class TemplateAlert
{
    internal TemplateAlert(string status, KV labels, KV annotations, DateTimeOffset startsAt, DateTimeOffset endsAt, string generatorUrl, string fingerprint)
    {
        Status = status;
        Labels = labels;
        Annotations = annotations;
        StartsAt = startsAt;
        EndsAt = endsAt;
        GeneratorURL = generatorUrl;
        Fingerprint = fingerprint;
    }

    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    public string Status { get; }

    /// <summary>The alert's labels.</summary>
    public KV Labels { get; }

    /// <summary>The alert's annotations.</summary>
    public KV Annotations { get; }

    /// <summary>When it started.</summary>
    public DateTimeOffset StartsAt { get; }

    /// <summary>When it ended; <see cref="DateTimeOffset.MinValue"/> (Go's zero time) while firing.</summary>
    public DateTimeOffset EndsAt { get; }

    /// <summary>The link to the alert's source.</summary>
    public string GeneratorURL { get; }

    /// <summary>The fingerprint, 16 hex digits.</summary>
    public string Fingerprint { get; }
}

/// <summary>Alertmanager's <c>template.Alerts</c>: a list of alerts with <c>Firing</c> and <c>Resolved</c>.</summary>
public sealed class TemplateAlerts : IReadOnlyList<TemplateAlert>
{
    private readonly TemplateAlert[] _alerts;

    internal TemplateAlerts(TemplateAlert[] alerts) => _alerts = alerts;

    /// <inheritdoc/>
    public int Count => _alerts.Length;

    /// <inheritdoc/>
    public TemplateAlert this[int index] => _alerts[index];

    /// <summary>The firing alerts.</summary>
    public TemplateAlert[] Firing() => Array.FindAll(_alerts, a => a.Status == "firing");

    /// <summary>The resolved alerts.</summary>
    public TemplateAlert[] Resolved() => Array.FindAll(_alerts, a => a.Status == "resolved");

    /// <inheritdoc/>
    public IEnumerator<TemplateAlert> GetEnumerator() => ((IEnumerable<TemplateAlert>)_alerts).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A name/value pair (Alertmanager's <c>template.Pair</c>).</summary>
/// <param name="Name">The name.</param>
/// <param name="Value">The value.</param>
public sealed record Pair(string Name, string Value);

/// <summary>Alertmanager's <c>template.Pairs</c>: pairs with <c>Names</c> and <c>Values</c>.</summary>
public sealed class Pairs : IReadOnlyList<Pair>
{
    private readonly Pair[] _pairs;

    internal Pairs(Pair[] pairs) => _pairs = pairs;

    /// <inheritdoc/>
    public int Count => _pairs.Length;

    /// <inheritdoc/>
    public Pair this[int index] => _pairs[index];

    /// <summary>The names, in order.</summary>
    public string[] Names() => Array.ConvertAll(_pairs, p => p.Name);

    /// <summary>The values, in order.</summary>
    public string[] Values() => Array.ConvertAll(_pairs, p => p.Value);

    /// <summary><c>a=1, b=2</c>, as Go's <c>Pairs.String</c>.</summary>
    public override string ToString() => string.Join(", ", Array.ConvertAll(_pairs, p => p.Name + "=" + p.Value));

    /// <inheritdoc/>
    public IEnumerator<Pair> GetEnumerator() => ((IEnumerable<Pair>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Alertmanager's <c>template.KV</c>: a string map (<c>.CommonLabels.alertname</c>, <c>range</c>, <c>len</c>) with the
/// methods <c>SortedPairs</c> (alertname first, then by name), <c>Names</c>, <c>Values</c> and <c>Remove</c>. The
/// dictionary interface is implemented explicitly so that only the Go methods are public.
/// </summary>
public sealed class KV : IReadOnlyDictionary<string, string>
{
    private readonly IReadOnlyDictionary<string, string> _map;

    /// <summary>Wraps a map.</summary>
    public KV(IReadOnlyDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = map;
    }

    /// <summary>The labels as a KV.</summary>
    public static KV From(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var map = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
        foreach (var l in labels.AsSpan())
        {
            map[l.Name] = l.Value;
        }
        return new KV(map);
    }

    int IReadOnlyCollection<KeyValuePair<string, string>>.Count => _map.Count;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => _map.Keys;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => _map.Values;

    string IReadOnlyDictionary<string, string>.this[string key] => _map[key];

    /// <summary>The pairs, <c>alertname</c> first, the rest sorted by name.</summary>
    public Pairs SortedPairs()
    {
        var keys = new List<string>(_map.Count);
        var hasAlertname = false;
        foreach (var k in _map.Keys)
        {
            if (k == "alertname")
            {
                hasAlertname = true;
            }
            else
            {
                keys.Add(k);
            }
        }
        keys.Sort(StringComparer.Ordinal);
        if (hasAlertname)
        {
            keys.Insert(0, "alertname");
        }
        var pairs = new Pair[keys.Count];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new Pair(keys[i], _map[keys[i]]);
        }
        return new Pairs(pairs);
    }

    /// <summary>A copy without <paramref name="keys"/>.</summary>
    public KV Remove(string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in _map)
        {
            if (Array.IndexOf(keys, k) < 0)
            {
                result[k] = v;
            }
        }
        return new KV(result);
    }

    /// <summary>The names in <see cref="SortedPairs"/> order.</summary>
    public string[] Names() => SortedPairs().Names();

    /// <summary>The values in <see cref="SortedPairs"/> order.</summary>
    public string[] Values() => SortedPairs().Values();

    /// <summary><c>alertname=X, a=1</c>, as Go's <c>KV.String</c>.</summary>
    public override string ToString() => SortedPairs().ToString();

    bool IReadOnlyDictionary<string, string>.ContainsKey(string key) => _map.ContainsKey(key);

    bool IReadOnlyDictionary<string, string>.TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _map.TryGetValue(key, out value);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => _map.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _map.GetEnumerator();

    /// <summary>The entries, for code (not templates).</summary>
    internal IReadOnlyDictionary<string, string> AsDictionary() => _map;
}
