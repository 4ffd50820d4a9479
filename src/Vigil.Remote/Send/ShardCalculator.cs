namespace Vigil.Remote.Send;

/// <summary>
/// An exponentially weighted moving rate (Prometheus's <c>ewmaRate</c>): events are counted, and every
/// <c>Tick</c> (one per shard-update interval) folds the interval's rate into the average with weight 0.2.
/// </summary>
public sealed class EwmaRate
{
    private readonly double _alpha;
    private readonly double _intervalSeconds;
    private readonly Lock _lock = new();
    private long _newEvents;
    private bool _init;
    private double _rate;

    /// <summary>A rate with weight <paramref name="alpha"/> ticked every <paramref name="interval"/>.</summary>
    public EwmaRate(double alpha, TimeSpan interval)
    {
        _alpha = alpha;
        _intervalSeconds = interval.TotalSeconds;
    }

    /// <summary>Counts events.</summary>
    public void Increment(long events) => Interlocked.Add(ref _newEvents, events);

    /// <summary>The averaged rate per second.</summary>
    public double Rate
    {
        get
        {
            lock (_lock)
            {
                return _rate;
            }
        }
    }

    /// <summary>Folds the events since the last tick into the rate (the first non-empty interval sets it).</summary>
    public void Tick()
    {
        var events = Interlocked.Exchange(ref _newEvents, 0);
        var instant = events / _intervalSeconds;
        lock (_lock)
        {
            if (_init)
            {
                _rate += _alpha * (instant - _rate);
            }
            else if (events > 0)
            {
                _init = true;
                _rate = instant;
            }
        }
    }
}

/// <summary>Prometheus 2.42's <c>calculateDesiredShards</c>, as a pure function of the measured rates.</summary>
public static class ShardCalculator
{
    /// <summary>Prometheus's <c>ewmaWeight</c>.</summary>
    public const double EwmaWeight = 0.2;

    /// <summary>Changes within 30% of the current number of shards are not made (<c>shardToleranceFraction</c>).</summary>
    public const double ToleranceFraction = 0.3;

    /// <summary>
    /// The shards to run next and the raw desired value (<c>prometheus_remote_storage_shards_desired</c>). Time per sample
    /// is the send duration rate over the samples-out rate; the shards needed are that times the kept ingestion rate plus
    /// 5% of the backlog (delay between the newest ingested and newest sent timestamp, times the kept ingestion rate).
    /// Nothing changes without sends, within the tolerance, or downwards while more than 10 s behind; the result is
    /// clamped to [min, max].
    /// </summary>
    /// <param name="current">Shards now.</param>
    /// <param name="min">min_shards.</param>
    /// <param name="max">max_shards.</param>
    /// <param name="inRate">Samples ingested per second.</param>
    /// <param name="outRate">Samples sent per second.</param>
    /// <param name="droppedRate">Samples dropped per second.</param>
    /// <param name="outDurationRate">Seconds spent sending per second.</param>
    /// <param name="highestIngestedSeconds">The newest ingested timestamp.</param>
    /// <param name="highestSentSeconds">The newest sent timestamp.</param>
    public static (int Shards, double Desired) Calculate(int current, int min, int max, double inRate, double outRate, double droppedRate,
        double outDurationRate, double highestIngestedSeconds, double highestSentSeconds)
    {
        if (outRate <= 0)
        {
            return (current, double.NaN);
        }
        var keptRatio = outRate / (droppedRate + outRate);
        var delay = highestIngestedSeconds - highestSentSeconds;
        var pending = delay * inRate * keptRatio;
        var backlogCatchup = 0.05 * pending;
        var timePerSample = outDurationRate / outRate;
        var desired = timePerSample * ((inRate * keptRatio) + backlogCatchup);

        var lower = current * (1 - ToleranceFraction);
        var upper = current * (1 + ToleranceFraction);
        if (lower <= desired && desired <= upper)
        {
            return (current, desired);
        }
        var shards = (int)Math.Ceiling(desired);
        if (shards < current && delay > 10.0)
        {
            return (current, desired);
        }
        return (Math.Clamp(shards, min, max), desired);
    }
}
