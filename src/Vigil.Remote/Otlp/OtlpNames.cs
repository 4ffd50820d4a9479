using System.Collections.Concurrent;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.Model.Naming;

namespace Vigil.Remote.Otlp;

/// <summary>
/// The Prometheus names of OTLP metrics and attribute keys, by the rules Vigil.Instrumentation applies
/// (<see cref="OtelMetricNames"/>), cached: a sender repeats the same few hundred names in every export, and the
/// translation allocates. Values are never converted to base units (an OTLP receiver stores what it is sent), so
/// <c>ms</c> becomes <c>_milliseconds</c>. Each cache is cleared when it passes <see cref="MaxEntries"/> names, so a
/// sender inventing names cannot grow it without bound.
/// </summary>
public sealed class OtlpNames
{
    /// <summary>The most names each cache holds before it starts over.</summary>
    public const int MaxEntries = 16_384;

    private readonly ConcurrentDictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string Unit, OtlpMetricKind Kind), string> _metrics = new();
    private readonly ConcurrentDictionary<ulong, string> _bounds = new();

    /// <summary>An attribute key as a label name (<see cref="OtelMetricNames.Label"/>).</summary>
    public string Label(string key)
    {
        if (_labels.TryGetValue(key, out var name))
        {
            return name;
        }
        name = OtelMetricNames.Label(key);
        if (_labels.Count >= MaxEntries)
        {
            _labels.Clear();
        }
        _labels.TryAdd(key, name);
        return name;
    }

    /// <summary>
    /// A bucket bound or quantile as its <c>le</c>/<c>quantile</c> label value, like Go's
    /// <c>FormatFloat(v, 'f', -1, 64)</c> (what Prometheus's translator writes). Every point of a histogram repeats
    /// the same bounds, so they are formatted once.
    /// </summary>
    public string Bound(double value)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        if (_bounds.TryGetValue(bits, out var text))
        {
            return text;
        }
        text = GoFloat.FormatFixed(value);
        if (_bounds.Count >= MaxEntries)
        {
            _bounds.Clear();
        }
        _bounds.TryAdd(bits, text);
        return text;
    }

    /// <summary>
    /// A metric's Prometheus name: counters (monotonic sums) end in <c>_total</c>; histograms and summaries get their
    /// <c>_bucket</c>/<c>_sum</c>/<c>_count</c> suffixes from the caller.
    /// </summary>
    public string Metric(string name, string unit, OtlpMetricKind kind)
    {
        var key = (name, unit, kind);
        if (_metrics.TryGetValue(key, out var result))
        {
            return result;
        }
        var (type, isGauge) = kind switch
        {
            OtlpMetricKind.Counter => (MetricType.Counter, false),
            OtlpMetricKind.UpDownSum => (MetricType.Gauge, false),
            OtlpMetricKind.Gauge => (MetricType.Gauge, true),
            OtlpMetricKind.Histogram => (MetricType.Histogram, false),
            _ => (MetricType.Summary, false),
        };
        result = OtelMetricNames.Metric(name, unit, type, isGauge, convertToBaseUnits: false).Name;
        if (_metrics.Count >= MaxEntries)
        {
            _metrics.Clear();
        }
        _metrics.TryAdd(key, result);
        return result;
    }
}

/// <summary>What an OTLP metric becomes in Prometheus, which decides its name.</summary>
public enum OtlpMetricKind
{
    /// <summary>A monotonic cumulative sum: a counter, named <c>..._total</c>.</summary>
    Counter,

    /// <summary>A non-monotonic cumulative sum (an UpDownCounter): a gauge; unit <c>1</c> is not a ratio.</summary>
    UpDownSum,

    /// <summary>A gauge; unit <c>1</c> becomes <c>_ratio</c>.</summary>
    Gauge,

    /// <summary>An explicit-bucket histogram.</summary>
    Histogram,

    /// <summary>A summary.</summary>
    Summary,
}
