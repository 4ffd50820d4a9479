using System.Globalization;
using System.Text;
using Vigil.Model;

namespace Vigil.Scrape.Scraping;

/// <summary>
/// One target to scrape, as the scrape engine takes it: the final label set after target relabeling
/// and everything a scrape loop needs, independent of how it was configured or discovered.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Labels"/> is the whole relabeled set, <c>__</c>-prefixed labels included (<c>__address__</c>,
/// <c>__scheme__</c>, <c>__metrics_path__</c>, <c>__param_*</c>, <c>__scrape_interval__</c>, ...), as
/// Prometheus's <c>Target.labels</c>: it identifies the target (<see cref="Hash"/>) and spreads its scrapes
/// (<see cref="Offset"/>). Only the labels without the <c>__</c> prefix (<see cref="TargetLabels"/>) are
/// attached to scraped series. Adding <c>instance</c> from <c>__address__</c> and checking the address are the
/// config layer's job, as in Prometheus's <c>PopulateLabels</c>.
/// </para>
/// <para>
/// Two targets with the same <see cref="Hash"/> are the same target. <see cref="ScrapePool.SyncAsync"/> keeps
/// a running loop when the new target also has equal settings (<see cref="SameSettings"/>; delegates compare
/// by reference, so pass the same delegate instances for an unchanged configuration).
/// </para>
/// </remarks>
public sealed class ScrapeTarget
{
    private readonly Labels _labels = Labels.Empty;
    private Labels? _targetLabels;
    private ulong? _hash;

    /// <summary>The final labels after relabeling, <c>__</c>-prefixed ones included.</summary>
    public required Labels Labels
    {
        get => _labels;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _labels = value;
        }
    }

    /// <summary>The labels discovery produced before relabeling (shown by <c>/api/v1/targets</c>); empty when unknown.</summary>
    public Labels DiscoveredLabels { get; init; } = Labels.Empty;

    /// <summary>The URL to scrape; <see cref="BuildUrl"/> makes it from the labels as Prometheus does.</summary>
    public required Uri Url { get; init; }

    /// <summary>How often to scrape (<c>scrape_interval</c>). Default one minute.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one scrape may take (<c>scrape_timeout</c>). Default ten seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>honor_labels</c>: scraped labels win over target labels instead of being renamed <c>exported_*</c>.</summary>
    public bool HonorLabels { get; init; }

    /// <summary><c>honor_timestamps</c>: use timestamps the target exposes (default true).</summary>
    public bool HonorTimestamps { get; init; } = true;

    /// <summary><c>sample_limit</c>: more samples after metric relabeling fail the scrape. 0 means no limit.</summary>
    public int SampleLimit { get; init; }

    /// <summary><c>label_limit</c>: a series with more labels (after relabeling) fails the scrape. 0 means no limit.</summary>
    public int LabelLimit { get; init; }

    /// <summary><c>label_name_length_limit</c> in bytes. 0 means no limit.</summary>
    public int LabelNameLengthLimit { get; init; }

    /// <summary><c>label_value_length_limit</c> in Unicode code points. 0 means no limit.</summary>
    public int LabelValueLengthLimit { get; init; }

    /// <summary><c>body_size_limit</c> in bytes of the uncompressed body. 0 means no limit.</summary>
    public long BodySizeLimit { get; init; }

    /// <summary>
    /// <c>metric_relabel_configs</c> as a function: called once per new series (a scrape cache miss) with
    /// the series' labels after target labels were attached; returns the labels to store, or
    /// <see langword="null"/> (or an empty set) to drop the series. Must be thread-safe.
    /// </summary>
    public Func<Labels, Labels?>? MetricRelabel { get; init; }

    /// <summary>
    /// Called on every scrape request before it is sent: authorization headers, basic auth, extra headers
    /// (read credential files here, so rotated ones are picked up). TLS is set on the pool's handler
    /// (<see cref="ScrapePoolOptions.ConfigureHandler"/>).
    /// </summary>
    public Action<HttpRequestMessage>? ConfigureRequest { get; init; }

    /// <summary>The value of <c>job</c>.</summary>
    public string Job => _labels.Get("job");

    /// <summary>The labels attached to every scraped series: <see cref="Labels"/> without those starting with <c>__</c>.</summary>
    public Labels TargetLabels => _targetLabels ??= WithoutReserved(_labels);

    /// <summary>
    /// The target's identity, as Prometheus's <c>Target.hash</c>: FNV-1a 64 over the zero-padded decimal
    /// label hash and the URL.
    /// </summary>
    public ulong Hash => _hash ??= ComputeHash(_labels, Url);

    /// <summary>Whether everything but the identity is the same as in <paramref name="other"/> (delegates by reference).</summary>
    public bool SameSettings(ScrapeTarget other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Interval == other.Interval
            && Timeout == other.Timeout
            && SameCacheSettings(other)
            && BodySizeLimit == other.BodySizeLimit
            && ReferenceEquals(ConfigureRequest, other.ConfigureRequest)
            && DiscoveredLabels.Equals(other.DiscoveredLabels);
    }

    /// <summary>Whether a scrape cache built for this target is valid for <paramref name="other"/> (Prometheus's <c>reusableCache</c>).</summary>
    internal bool SameCacheSettings(ScrapeTarget other) =>
        HonorLabels == other.HonorLabels
        && HonorTimestamps == other.HonorTimestamps
        && SampleLimit == other.SampleLimit
        && LabelLimit == other.LabelLimit
        && LabelNameLengthLimit == other.LabelNameLengthLimit
        && LabelValueLengthLimit == other.LabelValueLengthLimit
        && ReferenceEquals(MetricRelabel, other.MetricRelabel);

    /// <summary>
    /// How long after <paramref name="now"/> this target's first scrape falls, as Prometheus's
    /// <c>Target.offset</c>: each target gets a fixed phase within the interval from its hash (xor
    /// <paramref name="seed"/>), so a pool's targets are spread evenly and keep their phase across restarts.
    /// </summary>
    public TimeSpan Offset(TimeSpan interval, ulong seed, DateTimeOffset now)
    {
        var intervalNs = interval.Ticks * 100;
        if (intervalNs <= 0)
        {
            return TimeSpan.Zero;
        }
        var nowNs = (now - DateTimeOffset.UnixEpoch).Ticks * 100;
        var baseNs = intervalNs - (nowNs % intervalNs);
        var offsetNs = (long)((Hash ^ seed) % (ulong)intervalNs);
        var next = baseNs + offsetNs;
        if (next > intervalNs)
        {
            next -= intervalNs;
        }
        return TimeSpan.FromTicks(next / 100);
    }

    /// <summary>
    /// The scrape URL from the labels, as Prometheus's <c>Target.URL</c>: <c>__scheme__://__address____metrics_path__</c>
    /// with the query from <paramref name="parameters"/> (<c>params</c>), each <c>__param_NAME</c> label replacing the
    /// first value of <c>NAME</c>, keys sorted and escaped as Go's <c>url.Values.Encode</c>.
    /// </summary>
    public static Uri BuildUrl(Labels labels, IReadOnlyDictionary<string, IReadOnlyList<string>>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var values = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        if (parameters is not null)
        {
            foreach (var (key, list) in parameters)
            {
                values[key] = [.. list];
            }
        }
        foreach (var label in labels.AsSpan())
        {
            if (!label.Name.StartsWith(ScrapeLabels.ParamPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var key = label.Name[ScrapeLabels.ParamPrefix.Length..];
            if (values.TryGetValue(key, out var list) && list.Count > 0)
            {
                list[0] = label.Value;
            }
            else
            {
                values[key] = [label.Value];
            }
        }
        var sb = new StringBuilder();
        sb.Append(labels.Get(ScrapeLabels.Scheme)).Append("://").Append(labels.Get(ScrapeLabels.Address));
        var path = labels.Get(ScrapeLabels.MetricsPath);
        if (path.Length > 0 && path[0] != '/')
        {
            sb.Append('/');
        }
        sb.Append(path);
        var first = true;
        foreach (var (key, list) in values)
        {
            foreach (var value in list)
            {
                sb.Append(first ? '?' : '&');
                first = false;
                AppendQueryEscaped(sb, key);
                sb.Append('=');
                AppendQueryEscaped(sb, value);
            }
        }
        return new Uri(sb.ToString(), UriKind.Absolute);
    }

    /// <summary>Go's <c>url.QueryEscape</c>: unreserved bytes stay, space becomes <c>+</c>, the rest <c>%XX</c>.</summary>
    private static void AppendQueryEscaped(StringBuilder sb, string text)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var n = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++)
            {
                var b = utf8[i];
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                {
                    sb.Append((char)b);
                }
                else if (b == (byte)' ')
                {
                    sb.Append('+');
                }
                else
                {
                    sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private static Labels WithoutReserved(Labels labels)
    {
        var any = false;
        foreach (var l in labels.AsSpan())
        {
            if (l.Name.StartsWith("__", StringComparison.Ordinal))
            {
                any = true;
                break;
            }
        }
        return any
            ? new LabelsBuilder(labels).RemoveWhere(static l => l.Name.StartsWith("__", StringComparison.Ordinal)).ToLabels()
            : labels;
    }

    private static ulong ComputeHash(Labels labels, Uri url)
    {
        // Go: fmt.Sprintf("%016d", t.labels.Hash()) then url.String(), through fnv.New64a.
        var hash = 14695981039346656037UL;
        var digits = labels.Hash.ToString("D16", CultureInfo.InvariantCulture);
        foreach (var c in digits)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        var urlText = url.OriginalString;
        var bytes = Encoding.UTF8.GetBytes(urlText);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }

    /// <summary>The URL and labels, for debugging.</summary>
    public override string ToString() => $"{Url} {TargetLabels}";
}
