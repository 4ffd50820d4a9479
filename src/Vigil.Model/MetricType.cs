namespace Vigil.Model;

/// <summary>A metric family's type as exposition formats declare it.</summary>
public enum MetricType
{
    /// <summary>No TYPE line, or <c>untyped</c> (text 0.0.4) / <c>unknown</c> (OpenMetrics).</summary>
    Unknown,

    /// <summary>A monotonically increasing counter.</summary>
    Counter,

    /// <summary>A value that can go up and down.</summary>
    Gauge,

    /// <summary>A histogram with cumulative <c>le</c> buckets, <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,

    /// <summary>An OpenMetrics gauge histogram (<c>_gcount</c>, <c>_gsum</c>).</summary>
    GaugeHistogram,

    /// <summary>A summary with <c>quantile</c> series, <c>_sum</c> and <c>_count</c>.</summary>
    Summary,

    /// <summary>An OpenMetrics info metric (<c>_info</c>).</summary>
    Info,

    /// <summary>An OpenMetrics state set.</summary>
    StateSet,
}
