using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.Storage;

namespace Vigil.Scrape.Scraping;

// Parse → append: the hot path. One pass over the body; a known series costs a cache probe and an Append with its ref.
internal sealed partial class ScrapeLoop
{
    // Prometheus's maxAheadTime: samples stamped further in the future are out of bounds.
    private const long MaxAheadMs = 10 * 60 * 1000;

    private readonly LabelsBuilder _builder = new();
    private readonly List<Label> _conflicts = [];

    /// <summary>What one append pass did: Prometheus's <c>total, added, seriesAdded, err</c>.</summary>
    private readonly record struct AppendResult(int Total, int Added, int SeriesAdded, string? Error);

    /// <summary>
    /// Appends every sample of <paramref name="body"/> (an empty body after a failure, which only writes stale
    /// markers) stamped <paramref name="defaultTimeMs"/> unless honored timestamps say otherwise, as
    /// Prometheus's <c>scrapeLoop.append</c>. Stops at the first fatal error (parse error, label limits, missing
    /// name); keeps going past the sample limit so <c>scrape_samples_scraped</c> counts everything. On success
    /// writes stale markers for vanished series and tidies the cache.
    /// </summary>
    private AppendResult AppendBody(IAppender app, ReadOnlySpan<byte> body, ExpositionFormat format, long defaultTimeMs)
    {
        var target = Target;
        var cache = Cache;
        cache.BeginAttempt();
        var parser = new ExpositionParser(body, format);
        int total = 0, added = 0, seriesAdded = 0, appended = 0;
        int outOfOrder = 0, duplicate = 0, outOfBounds = 0;
        var sampleLimitHit = false;
        string? error = null;
        var maxTime = _time.GetUtcNow().ToUnixTimeMilliseconds() + MaxAheadMs;

        while (error is null)
        {
            var entry = parser.Next();
            if (entry == ExpositionEntry.Eof)
            {
                break;
            }
            switch (entry)
            {
                case ExpositionEntry.Error:
                    error = parser.Error!.ToString();
                    continue;
                case ExpositionEntry.Type:
                    cache.SetType(cache.Meta(parser.MetricName), parser.Type);
                    continue;
                case ExpositionEntry.Help:
                    var meta = cache.Meta(parser.MetricName);
                    if (cache.HelpChanged(meta, parser.RawText))
                    {
                        cache.SetHelp(meta, parser.RawText, parser.GetHelp());
                    }
                    continue;
                case ExpositionEntry.Unit:
                    cache.SetUnit(cache.Meta(parser.MetricName), parser.RawText);
                    continue;
                case ExpositionEntry.Series:
                    break;
                default:
                    continue;
            }

            total++;
            var timestamp = defaultTimeMs;
            var explicitTimestamp = false;
            if (target.HonorTimestamps && parser.TimestampMs is long exposed)
            {
                timestamp = exposed;
                explicitTimestamp = true;
            }

            var series = parser.Series;
            var cached = cache.Get(series);
            Labels labels;
            if (cached is not null)
            {
                if (cached.Labels is null)
                {
                    continue; // dropped by metric relabeling
                }
                labels = cached.Labels;
            }
            else
            {
                parser.Labels(_builder);
                var mutated = MutateSampleLabels(_builder);
                if (mutated is null || mutated.Count == 0)
                {
                    cache.Add(series, SeriesRef.None, null);
                    continue;
                }
                if (!mutated.Has(Label.MetricName))
                {
                    error = "missing metric name (__name__ label)";
                    continue;
                }
                error = VerifyLabelLimits(mutated);
                if (error is not null)
                {
                    _stats.AddExceededLabelLimits();
                    continue;
                }
                labels = mutated;
            }

            var seriesRef = cached?.Ref ?? SeriesRef.None;
            var ok = false;
            if (target.SampleLimit > 0 && ++appended > target.SampleLimit)
            {
                // Keep parsing to count every sample, appending none of the rest (Prometheus's limitAppender).
                sampleLimitHit = true;
            }
            else if (timestamp > maxTime)
            {
                outOfBounds++;
            }
            else
            {
                switch (app.Append(ref seriesRef, labels, timestamp, parser.Value))
                {
                    case AppendStatus.Ok:
                        ok = true;
                        break;
                    case AppendStatus.OutOfOrder:
                        outOfOrder++;
                        break;
                    case AppendStatus.DuplicateTimestamp:
                        duplicate++;
                        break;
                    case AppendStatus.OutOfBounds:
                        outOfBounds++;
                        break;
                    default:
                        error = "invalid metric name or label names: " + labels;
                        continue;
                }
            }

            if (cached is not null)
            {
                cached.Ref = seriesRef;
                if (ok && !explicitTimestamp)
                {
                    cache.MarkSeen(cached);
                }
            }
            else
            {
                var fresh = cache.Add(series, seriesRef, labels);
                if (!explicitTimestamp)
                {
                    cache.MarkSeen(fresh);
                }
                if (ok && !sampleLimitHit)
                {
                    seriesAdded++;
                }
            }
            added++;
        }

        if (sampleLimitHit)
        {
            error ??= "sample limit exceeded";
            _stats.AddExceededSampleLimit();
        }
        _stats.AddRejected(outOfOrder, duplicate, outOfBounds);
        if (error is null)
        {
            cache.Complete(app, defaultTimeMs, flush: !body.IsEmpty, _stats);
        }
        return new AppendResult(total, added, seriesAdded, error);
    }

    /// <summary>
    /// Attaches the target's labels to a scraped series and applies metric relabeling, as Prometheus's
    /// <c>mutateSampleLabels</c>: with honor_labels scraped values win; without, target values win and clashing
    /// scraped labels are kept as <c>exported_NAME</c> (more <c>exported_</c> prefixes until the name is free).
    /// Returns null when relabeling drops the series.
    /// </summary>
    private Labels? MutateSampleLabels(LabelsBuilder builder)
    {
        var targetLabels = Target.TargetLabels;
        if (Target.HonorLabels)
        {
            foreach (var l in targetLabels.AsSpan())
            {
                if (builder.Get(l.Name).Length == 0)
                {
                    builder.Set(l.Name, l.Value);
                }
            }
        }
        else
        {
            _conflicts.Clear();
            Labels? exposed = null;
            foreach (var l in targetLabels.AsSpan())
            {
                var existing = builder.Get(l.Name);
                if (existing.Length > 0)
                {
                    exposed ??= builder.ToLabels();
                    _conflicts.Add(new Label(l.Name, existing));
                }
                builder.Set(l.Name, l.Value);
            }
            if (exposed is not null)
            {
                ResolveConflicts(builder, exposed, targetLabels);
            }
        }
        var result = builder.ToLabels();
        return Target.MetricRelabel is { } relabel ? relabel(result) : result;
    }

    private void ResolveConflicts(LabelsBuilder builder, Labels exposed, Labels targetLabels)
    {
        // Shortest names first, stable (Go's sort.SliceStable by name length).
        var conflicts = _conflicts;
        for (var i = 1; i < conflicts.Count; i++)
        {
            var item = conflicts[i];
            var j = i - 1;
            while (j >= 0 && conflicts[j].Name.Length > item.Name.Length)
            {
                conflicts[j + 1] = conflicts[j];
                j--;
            }
            conflicts[j + 1] = item;
        }
        for (var i = 0; i < conflicts.Count; i++)
        {
            var name = conflicts[i].Name;
            while (true)
            {
                name = ScrapeLabels.ExportedPrefix + name;
                if (!exposed.Has(name) && !targetLabels.Has(name) && !EarlierConflictHas(conflicts, i, name))
                {
                    conflicts[i] = conflicts[i] with { Name = name };
                    break;
                }
            }
        }
        foreach (var l in conflicts)
        {
            builder.Set(l.Name, l.Value);
        }
    }

    private static bool EarlierConflictHas(List<Label> conflicts, int before, string name)
    {
        for (var i = 0; i < before; i++)
        {
            if (conflicts[i].Name == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Prometheus's <c>verifyLabelLimits</c>, with its wording; null when within limits.</summary>
    private string? VerifyLabelLimits(Labels labels)
    {
        var target = Target;
        var metric = labels.MetricName;
        if (target.LabelLimit > 0 && labels.Count > target.LabelLimit)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"label_limit exceeded (metric: {Truncate(metric)}, number of labels: {labels.Count}, limit: {target.LabelLimit})");
        }
        if (target.LabelNameLengthLimit <= 0 && target.LabelValueLengthLimit <= 0)
        {
            return null;
        }
        foreach (var l in labels.AsSpan())
        {
            if (target.LabelNameLengthLimit > 0)
            {
                var length = Encoding.UTF8.GetByteCount(l.Name);
                if (length > target.LabelNameLengthLimit)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"label_name_length_limit exceeded (metric: {Truncate(metric)}, label name: {Truncate(l.Name)}, length: {length}, limit: {target.LabelNameLengthLimit})");
                }
            }
            if (target.LabelValueLengthLimit > 0)
            {
                var length = RuneCount(l.Value);
                if (length > target.LabelValueLengthLimit)
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"label_value_length_limit exceeded (metric: {Truncate(metric)}, label name: {Truncate(l.Name)}, value: {LabelText.Quote(Truncate(l.Value))}, length: {length}, limit: {target.LabelValueLengthLimit})");
                }
            }
        }
        return null;
    }

    private static int RuneCount(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }
        return count;
    }

    /// <summary>Go's <c>%.50s</c>: at most 50 code points.</summary>
    private static string Truncate(string value)
    {
        const int Max = 50;
        if (value.Length <= Max)
        {
            return value;
        }
        var runes = 0;
        var end = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (runes == Max)
            {
                return value[..end];
            }
            runes++;
            end += rune.Utf16SequenceLength;
        }
        return value;
    }
}
