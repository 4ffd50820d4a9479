namespace Vigil.Testing.Generators;

/// <summary>
/// What <see cref="OpenMetricsGenerator"/> produces: a seed, the time range (ending at <see cref="End"/>), the
/// scrape interval and how many instances each job has (the knob for the number of series: about 90 series
/// per instance index across the four jobs, so 3 gives ~270 series and 115 gives ~10,400).
/// </summary>
public sealed record MetricsGeneratorOptions
{
    /// <summary>Everything random follows from this; the same options write the same bytes.</summary>
    public int Seed { get; init; } = 20260101;

    /// <summary>No sample is later than this (whole seconds are used).</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>How far back the first samples go.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(6);

    /// <summary>The scrape interval; each target has its own phase within it, and some jitter by a second.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Instances of each job (api, frontend, node, batch).</summary>
    public int InstancesPerJob { get; init; } = 3;

    /// <summary>The start of the range, in Unix milliseconds (whole seconds).</summary>
    public long StartMs => EndMs - (long)Duration.TotalMilliseconds;

    /// <summary>The end of the range, in Unix milliseconds (whole seconds).</summary>
    public long EndMs => End.ToUnixTimeSeconds() * 1000;
}

/// <summary>What was written: the series (each label set counted once) and samples, and the times actually used.</summary>
public sealed record GeneratedMetrics(int Series, long Samples, long MinTimeMs, long MaxTimeMs, long Bytes);
