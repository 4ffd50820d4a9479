namespace Vigil.Testing.Generators;

/// <summary>
/// One simulated scrape target (job + instance) and what happens to it over the range, shared by all its
/// series: its phase within the scrape interval, a second of jitter on some scrapes, when it exists
/// (targets are added and removed mid-range), failed scrapes (gaps: no samples, <c>up</c> is 0) and
/// restarts (counters reset, <c>build_info</c> changes version).
/// </summary>
internal sealed class ScrapeTarget
{
    private readonly ulong _jitterSeed;
    private readonly bool _jitter;
    private readonly long _baseMs;
    private readonly long _intervalMs;

    public ScrapeTarget(string job, string instance, MetricsGeneratorOptions options, ulong seed)
    {
        Job = job;
        Instance = instance;
        var rng = new SplitMix64(seed);
        _jitterSeed = rng.Next();
        _intervalMs = (long)options.Interval.TotalMilliseconds;
        var intervalSeconds = Math.Max(1, _intervalMs / 1000);
        var phaseSeconds = intervalSeconds > 2 ? 1 + rng.NextInt((int)intervalSeconds - 1) : 0;
        _baseMs = options.StartMs + (phaseSeconds * 1000);
        _jitter = intervalSeconds >= 3 && rng.Chance(0.3);
        EndMs = options.EndMs;
        var span = options.EndMs - options.StartMs;

        From = rng.Chance(0.12) ? Whole(options.StartMs + (long)(span * rng.Between(0.15, 0.6))) : long.MinValue;
        To = rng.Chance(0.1) ? Whole(options.StartMs + (long)(span * rng.Between(0.65, 0.95))) : long.MaxValue;

        var gaps = new List<(long, long)>();
        if (rng.Chance(0.35))
        {
            var count = 1 + rng.NextInt(2);
            for (var i = 0; i < count; i++)
            {
                var at = Whole(options.StartMs + (long)(span * rng.Between(0.05, 0.95)));
                // Some shorter than the 5 m lookback (the last sample stays visible), some much longer.
                var length = (long)TimeSpan.FromMinutes(rng.Chance(0.5) ? rng.Between(1, 4.5) : rng.Between(8, 45)).TotalMilliseconds;
                gaps.Add((at, at + length));
            }
        }
        Gaps = [.. gaps];

        var restarts = new List<long>();
        if (rng.Chance(0.3))
        {
            restarts.Add(Whole(options.StartMs + (long)(span * rng.Between(0.1, 0.9))));
            if (rng.Chance(0.3))
            {
                restarts.Add(Whole(options.StartMs + (long)(span * rng.Between(0.1, 0.9))));
            }
            restarts.Sort();
        }
        Restarts = [.. restarts];
    }

    public string Job { get; }

    public string Instance { get; }

    /// <summary>The target exists from here (inclusive).</summary>
    public long From { get; }

    /// <summary>The target exists until here (exclusive).</summary>
    public long To { get; }

    public long EndMs { get; }

    public (long From, long To)[] Gaps { get; }

    /// <summary>Restart times, ascending.</summary>
    public long[] Restarts { get; }

    /// <summary>The first scrape number whose time may be at or after <paramref name="ms"/>.</summary>
    public long FirstScrapeAtOrAfter(long ms) => Math.Max(0, ((ms - _baseMs) / _intervalMs) - 1);

    /// <summary>The time of scrape number <paramref name="k"/> (whole seconds; strictly increasing in k).</summary>
    public long ScrapeTime(long k)
    {
        var t = _baseMs + (k * _intervalMs);
        if (_jitter && k > 0)
        {
            var h = SplitMix64.Mix(_jitterSeed + (ulong)k) % 8;
            t += h == 0 ? -1000 : h == 1 ? 1000 : 0;
        }
        return t;
    }

    public bool Exists(long t) => t >= From && t < To;

    public bool Failed(long t)
    {
        foreach (var (from, to) in Gaps)
        {
            if (t >= from && t < to)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>How many restarts happened at or before <paramref name="t"/>.</summary>
    public int Epoch(long t)
    {
        var e = 0;
        while (e < Restarts.Length && Restarts[e] <= t)
        {
            e++;
        }
        return e;
    }

    private static long Whole(long ms) => ms - (ms % 1000);
}
