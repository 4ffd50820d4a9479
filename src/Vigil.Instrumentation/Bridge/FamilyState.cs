using System.Buffers;
using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;

namespace Vigil.Instrumentation.Bridge;

/// <summary>
/// One exported metric family: its metadata and every series recorded into it. Several instruments may
/// share a family when they translate to the same name with the same type, aggregation and buckets (their
/// measurements then combine); the spec's "Metric Metadata" rule that conflicting TYPEs must not both be
/// exported is enforced by <see cref="IsCompatible"/>.
/// </summary>
internal sealed class FamilyState
{
    private readonly Dictionary<string, Series> _byLabels = new(StringComparer.Ordinal);
    private readonly List<InstrumentState> _instruments = [];
    private readonly string[] _leText;
    private readonly string[] _leOpenMetrics;
    private Series[] _series = [];

    public FamilyState(PrometheusName name, MetricType type, Aggregation aggregation, bool observable, string help, double[] bounds)
    {
        Name = name;
        Type = type;
        Aggregation = aggregation;
        IsObservable = observable;
        Help = help;
        Bounds = bounds;
        BucketName = name.Name + "_bucket";
        SumName = name.Name + "_sum";
        CountName = name.Name + "_count";
        _leText = new string[bounds.Length + 1];
        _leOpenMetrics = new string[bounds.Length + 1];
        for (var i = 0; i < bounds.Length; i++)
        {
            _leText[i] = GoFloat.Format(bounds[i]);
            _leOpenMetrics[i] = OpenMetricsFloat(bounds[i]);
        }
        _leText[^1] = "+Inf";
        _leOpenMetrics[^1] = "+Inf";
    }

    public PrometheusName Name { get; }

    public MetricType Type { get; }

    public Aggregation Aggregation { get; }

    public bool IsObservable { get; }

    public string Help { get; }

    /// <summary>Histogram upper bounds, ascending, without <c>+Inf</c>; empty for other types.</summary>
    public double[] Bounds { get; }

    private string BucketName { get; }

    private string SumName { get; }

    private string CountName { get; }

    /// <summary>Guards the series registry; taken only when a tag set is seen for the first time.</summary>
    public object Gate { get; } = new();

    public bool IsEmpty
    {
        get
        {
            lock (Gate)
            {
                return _instruments.Count == 0;
            }
        }
    }

    public bool IsCompatible(MetricType type, Aggregation aggregation, bool observable, double[] bounds)
        => type == Type && aggregation == Aggregation && observable == IsObservable && bounds.AsSpan().SequenceEqual(Bounds);

    public void AddInstrument(InstrumentState instrument)
    {
        lock (Gate)
        {
            _instruments.Add(instrument);
        }
    }

    public void RemoveInstrument(InstrumentState instrument)
    {
        lock (Gate)
        {
            _instruments.Remove(instrument);
        }
    }

    /// <summary>
    /// The series for a tag set seen for the first time by some instrument. Series are keyed by their
    /// finished labels, so tag sets that differ only in ways the labels cannot show (tag order, an
    /// <c>int</c> 200 versus a <c>"200"</c>, keys that sanitize alike) share one series rather than
    /// exporting duplicates. Callers hold <see cref="Gate"/>.
    /// </summary>
    public Series GetOrAddSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = BuildLabels(tags);
        var key = LabelKey(labels);
        if (!_byLabels.TryGetValue(key, out var series))
        {
            series = new Series(labels, Aggregation == Aggregation.Histogram ? Bounds.Length + 1 : 0);
            _byLabels.Add(key, series);
            Volatile.Write(ref _series, [.. _series, series]);
        }
        return series;
    }

    /// <summary>Writes HELP, TYPE, UNIT and every live series; nothing at all when there is no live series.</summary>
    public void Write(ExpositionWriter writer, long epoch)
    {
        var all = Volatile.Read(ref _series);
        var live = 0;
        foreach (var series in all)
        {
            if (IsLive(series, epoch))
            {
                live++;
            }
        }
        if (live == 0)
        {
            return;
        }

        // OpenMetrics names a counter family without _total and its sample with it; text 0.0.4 uses the sample name.
        var familyName = writer.Format == ExpositionFormat.OpenMetrics ? Name.OpenMetricsName : Name.Name;
        writer.WriteHelp(familyName, Help);
        writer.WriteType(familyName, Type);
        writer.WriteUnit(familyName, Name.Unit);

        if (Aggregation != Aggregation.Histogram)
        {
            foreach (var series in all)
            {
                if (IsLive(series, epoch))
                {
                    writer.WriteSample(Name.Name, series.Labels, series.Value);
                }
            }
            return;
        }

        var le = writer.Format == ExpositionFormat.OpenMetrics ? _leOpenMetrics : _leText;
        var rented = le.Length > 128 ? ArrayPool<long>.Shared.Rent(le.Length) : null;
        var counts = rented is null ? stackalloc long[le.Length] : rented.AsSpan(0, le.Length);
        try
        {
            foreach (var series in all)
            {
                series.CopyBucketCounts(counts);
                long cumulative = 0;
                for (var i = 0; i < counts.Length; i++)
                {
                    cumulative += counts[i];
                    writer.WriteSample(BucketName, series.Labels, "le", le[i], cumulative);
                }
                writer.WriteSample(SumName, series.Labels, series.Sum);
                writer.WriteSample(CountName, series.Labels, cumulative);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<long>.Shared.Return(rented);
            }
        }
    }

    // Observable instruments report their whole state on every collection: a series they did not report this
    // time is gone (the process ended, the queue was removed) and is not exported as a stale last value.
    private bool IsLive(Series series, long epoch) => !IsObservable || series.Epoch == epoch;

    private static Label[] BuildLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return [];
        }

        // Spec, Metric Attributes: keys that sanitize to the same label name have their values joined with ';'
        // "ordered by the lexicographical order of the original keys".
        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var labels = new List<Label>(sorted.Length);
        foreach (var tag in sorted)
        {
            var name = PrometheusNames.Label(tag.Key);
            var value = FormatValue(tag.Value);
            var existing = labels.FindIndex(l => l.Name == name);
            if (existing >= 0)
            {
                labels[existing] = labels[existing] with { Value = labels[existing].Value + ";" + value };
            }
            else
            {
                labels.Add(new Label(name, value));
            }
        }
        labels.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return [.. labels];
    }

    /// <summary>A tag value as label text: strings as they are, booleans lowercase, numbers in the invariant culture.</summary>
    internal static string FormatValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string LabelKey(Label[] labels)
    {
        var sb = new StringBuilder();
        foreach (var label in labels)
        {
            sb.Append(label.Name).Append('\0').Append(label.Value).Append('\0');
        }
        return sb.ToString();
    }

    // client_golang's OpenMetrics encoder writes le values as floats that always show a fraction or an
    // exponent ("1.0", "0.005", "+Inf"), OpenMetrics' canonical number form.
    private static string OpenMetricsFloat(double value)
    {
        var text = GoFloat.Format(value);
        return text.AsSpan().IndexOfAny(".eE") >= 0 || text.Contains("Inf", StringComparison.Ordinal) || text == "NaN" ? text : text + ".0";
    }
}
