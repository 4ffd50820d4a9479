using System.Text;

namespace Vigil.Testing.Generators;

/// <summary>
/// One generated series (or, for histograms and summaries, one label set's group of series) of a scrape target:
/// its state moves on at every scrape of the target while the target exists, also during failed scrapes,
/// and its lines are written only for scrapes that succeeded.
/// </summary>
internal abstract class GeneratedSeries(ScrapeTarget target, ulong seed)
{
    public ScrapeTarget Target { get; } = target;

    /// <summary>This series exists from here (inclusive), within the target's life.</summary>
    public long ActiveFrom { get; init; } = long.MinValue;

    /// <summary>This series exists until here (exclusive).</summary>
    public long ActiveTo { get; init; } = long.MaxValue;

    /// <summary>How many series one step writes a sample for.</summary>
    public virtual int SeriesCount => 1;

    /// <summary>Whether anything was written for it yet.</summary>
    public bool Emitted { get; set; }

    /// <summary>Whether it is written for failed scrapes too (only <c>up</c>).</summary>
    public virtual bool WrittenWhenFailed => false;

    protected SplitMix64 Rng { get; } = new(seed);

    /// <summary>Moves the state to scrape time <paramref name="t"/> and writes its samples when <paramref name="write"/>.</summary>
    public abstract void Step(Utf8LineWriter w, long t, int epoch, bool failed, bool write);

    /// <summary><c>name{a="b",...} </c> as bytes, written before each value.</summary>
    public static byte[] Prefix(string name, params (string Name, string Value)[] labels)
    {
        var sb = new StringBuilder(name);
        if (labels.Length > 0)
        {
            sb.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }
                sb.Append(labels[i].Name).Append("=\"").Append(labels[i].Value).Append('"');
            }
            sb.Append('}');
        }
        sb.Append(' ');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    protected static void Sample(Utf8LineWriter w, byte[] prefix, double value, long t)
    {
        w.Write(prefix);
        w.Write(value);
        w.Write((byte)' ');
        w.Write(t / 1000);
        w.Write((byte)'\n');
    }
}

/// <summary>A counter: integer or fractional increments at a drifting rate, back to zero when the target restarts.</summary>
internal sealed class CounterSeries : GeneratedSeries
{
    private readonly byte[] _prefix;
    private readonly double _perScrape;
    private readonly int _decimals;
    private double _value;
    private double _drift = 1;
    private int _epoch = int.MinValue;

    public CounterSeries(ScrapeTarget target, ulong seed, byte[] prefix, double perSecond, double intervalSeconds, int decimals) : base(target, seed)
    {
        _prefix = prefix;
        _perScrape = perSecond * intervalSeconds;
        _decimals = decimals;
        // The process has been running for a while before the range starts.
        _value = Math.Round(perSecond * Rng.Between(0, 20_000), decimals);
    }

    public override void Step(Utf8LineWriter w, long t, int epoch, bool failed, bool write)
    {
        if (epoch != _epoch)
        {
            if (_epoch != int.MinValue)
            {
                _value = 0;
            }
            _epoch = epoch;
        }
        _drift = Math.Clamp(_drift + (0.05 * Rng.Normal()), 0.2, 2.5);
        var increment = _perScrape * _drift * Rng.Between(0.6, 1.4);
        increment = _decimals == 0 ? Math.Floor(increment + Rng.NextDouble()) : increment;
        _value = Math.Round(_value + increment, _decimals);
        if (write)
        {
            Sample(w, _prefix, _value, t);
        }
    }
}

/// <summary>A gauge whose next value a function computes from the random source, the time and the current value.</summary>
internal sealed class GaugeSeries(ScrapeTarget target, ulong seed, byte[] prefix, double initial, Func<SplitMix64, long, double, double> next)
    : GeneratedSeries(target, seed)
{
    private double _value = initial;

    public override void Step(Utf8LineWriter w, long t, int epoch, bool failed, bool write)
    {
        _value = next(Rng, t, _value);
        if (write)
        {
            Sample(w, prefix, _value, t);
        }
    }
}

/// <summary><c>up</c>: 1 for a successful scrape, 0 for a failed one (written either way).</summary>
internal sealed class UpSeries(ScrapeTarget target, ulong seed, byte[] prefix) : GeneratedSeries(target, seed)
{
    public override bool WrittenWhenFailed => true;

    public override void Step(Utf8LineWriter w, long t, int epoch, bool failed, bool write)
    {
        if (write)
        {
            Sample(w, prefix, failed ? 0 : 1, t);
        }
    }
}

/// <summary>
/// A classic histogram (<c>_bucket{le}</c>, <c>_sum</c>, <c>_count</c>) of log-normal latencies, with
/// occasional slow periods; or, as a summary, NaN-able quantiles with <c>_sum</c> and <c>_count</c>.
/// </summary>
internal sealed class LatencySeries : GeneratedSeries
{
    private readonly byte[][] _bucketPrefixes;
    private readonly double[] _bounds;
    private readonly double[] _quantiles;
    private readonly byte[] _sumPrefix;
    private readonly byte[] _countPrefix;
    private readonly double _perScrape;
    private readonly long[] _cumulative;
    private readonly double _mu;
    private double _sum;
    private long _count;
    private double _slow;
    private int _epoch = int.MinValue;

    private LatencySeries(ScrapeTarget target, ulong seed, string name, (string, string)[] labels, double perSecond, double intervalSeconds,
        double[] bounds, double[] quantiles) : base(target, seed)
    {
        _bounds = bounds;
        _quantiles = quantiles;
        var inner = bounds.Length > 0 ? bounds : quantiles;
        var key = bounds.Length > 0 ? "le" : "quantile";
        _bucketPrefixes = new byte[inner.Length][];
        for (var i = 0; i < inner.Length; i++)
        {
            var le = double.IsPositiveInfinity(inner[i]) ? "+Inf" : inner[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            _bucketPrefixes[i] = Prefix(bounds.Length > 0 ? name + "_bucket" : name, [.. labels, (key, le)]);
        }
        _sumPrefix = Prefix(name + "_sum", labels);
        _countPrefix = Prefix(name + "_count", labels);
        _cumulative = new long[bounds.Length];
        _perScrape = perSecond * intervalSeconds;
        _mu = Math.Log(Rng.Between(0.02, 0.3));
        _count = (long)(perSecond * Rng.Between(0, 5_000));
        _sum = Math.Round(_count * Math.Exp(_mu), 3);
        for (var i = 0; i < bounds.Length; i++)
        {
            _cumulative[i] = (long)Math.Floor(_count * LogNormalCdf(bounds[i], _mu, 0.8));
        }
        if (bounds.Length > 0)
        {
            _cumulative[^1] = _count;
        }
    }

    public override int SeriesCount => _bucketPrefixes.Length + 2;

    public static LatencySeries Histogram(ScrapeTarget target, ulong seed, string name, (string, string)[] labels, double perSecond, double intervalSeconds, double[] bounds)
        => new(target, seed, name, labels, perSecond, intervalSeconds, bounds, []);

    public static LatencySeries Summary(ScrapeTarget target, ulong seed, string name, (string, string)[] labels, double perSecond, double intervalSeconds, double[] quantiles)
        => new(target, seed, name, labels, perSecond, intervalSeconds, [], quantiles);

    public override void Step(Utf8LineWriter w, long t, int epoch, bool failed, bool write)
    {
        if (epoch != _epoch)
        {
            if (_epoch != int.MinValue)
            {
                Array.Clear(_cumulative);
                _sum = 0;
                _count = 0;
            }
            _epoch = epoch;
        }
        // Slow periods come and go: the median latency is multiplied by up to ~8.
        _slow = _slow > 0 ? (Rng.Chance(0.05) ? 0 : _slow) : (Rng.Chance(0.004) ? Rng.Between(1, 2.1) : 0);
        var mu = _mu + _slow;
        const double sigma = 0.8;
        var n = (long)Math.Floor((_perScrape * Rng.Between(0.5, 1.5)) + Rng.NextDouble());
        var previous = 0L;
        for (var i = 0; i < _bounds.Length; i++)
        {
            var add = double.IsPositiveInfinity(_bounds[i]) ? n : (long)Math.Floor((n * LogNormalCdf(_bounds[i], mu, sigma)) + Rng.NextDouble());
            add = Math.Clamp(add, previous, n);
            previous = add;
            _cumulative[i] += add;
        }
        _count += n;
        _sum = Math.Round(_sum + (n * Math.Exp(mu + (sigma * sigma / 2)) * Rng.Between(0.8, 1.2)), 4);
        if (!write)
        {
            return;
        }
        for (var i = 0; i < _bounds.Length; i++)
        {
            Sample(w, _bucketPrefixes[i], _cumulative[i], t);
        }
        for (var i = 0; i < _quantiles.Length; i++)
        {
            // A summary with no observations in its window reports NaN.
            var q = n == 0 ? double.NaN : Math.Round(Math.Exp(mu + (sigma * InverseNormal(_quantiles[i]))) * Rng.Between(0.9, 1.1), 5);
            Sample(w, _bucketPrefixes[i], q, t);
        }
        Sample(w, _sumPrefix, _sum, t);
        Sample(w, _countPrefix, _count, t);
    }

    private static double LogNormalCdf(double x, double mu, double sigma)
        => double.IsPositiveInfinity(x) ? 1 : 0.5 * (1 + Erf((Math.Log(x) - mu) / (sigma * Math.Sqrt(2))));

    // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): plenty for made-up latencies.
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var y = 1 - (poly * Math.Exp(-x * x));
        return sign * y;
    }

    private static double InverseNormal(double p) => p switch
    {
        0.5 => 0,
        0.9 => 1.2815515655446004,
        0.99 => 2.3263478740408408,
        _ => throw new ArgumentOutOfRangeException(nameof(p), p, "only 0.5, 0.9 and 0.99"),
    };
}
