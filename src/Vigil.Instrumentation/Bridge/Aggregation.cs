namespace Vigil.Instrumentation.Bridge;

/// <summary>How an instrument's measurements combine into a series' state.</summary>
internal enum Aggregation
{
    /// <summary>Counter and UpDownCounter: measurements are increments.</summary>
    Sum,

    /// <summary>Gauge and every observable instrument: a measurement is the current value (observable counters report cumulative totals).</summary>
    LastValue,

    /// <summary>Histogram: measurements fall into cumulative <c>le</c> buckets.</summary>
    Histogram,
}
