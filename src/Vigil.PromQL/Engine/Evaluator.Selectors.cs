using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.Storage;

namespace Vigil.PromQL.Engine;

internal sealed partial class Evaluator
{
    /// <summary>An instant selector over every step: each series' latest sample within the lookback delta, unless stale.</summary>
    private Matrix EvalVectorSelector(VectorSelector vs)
    {
        var selected = _context.SeriesFor(vs);
        var result = new List<Series>(selected.Count);
        var offset = vs.OffsetMs;
        var lookback = _context.LookbackMs;
        var buffer = _context.SampleBuffer;
        foreach (var series in selected)
        {
            _context.ThrowIfCancelled();
            buffer.Clear();
            _context.Load(series, _start - offset - lookback, _end - offset, dropStale: false, buffer);
            if (buffer.Count == 0)
            {
                continue;
            }
            List<Sample>? points = null;
            var next = 0;
            for (var ts = _start; ts <= _end; ts += _interval)
            {
                var refTime = ts - offset;
                while (next < buffer.Count && buffer[next].TimestampMs <= refTime)
                {
                    next++;
                }
                if (next == 0)
                {
                    continue;
                }
                var sample = buffer[next - 1];
                if (sample.TimestampMs < refTime - lookback || StaleMarker.IsStale(sample.Value))
                {
                    continue;
                }
                if (_currentSamples >= _context.MaxSamples)
                {
                    throw TooManySamples();
                }
                points ??= [];
                points.Add(new Sample(ts, sample.Value));
                _currentSamples++;
            }
            if (points is not null)
            {
                result.Add(new Series(series.Labels, points));
            }
        }
        return new Matrix(result);
    }

    /// <summary>
    /// <c>timestamp(selector)</c>: the timestamp, in seconds, of the sample each series' selection picks at every
    /// step (not the step time), without the metric name, as Prometheus special-cases it.
    /// </summary>
    private Matrix EvalTimestampOfSelector(VectorSelector vs)
    {
        var selected = _context.SeriesFor(vs);
        var offset = vs.OffsetMs;
        var lookback = _context.LookbackMs;
        var buffer = _context.SampleBuffer;
        var result = new List<Series>(selected.Count);
        // With @, Prometheus 2.42 aims at the @ time itself at every step, but its storage only holds the
        // selector's hinted range, [@ - offset - lookback, @ - offset]: the offset narrows what can be found.
        var at = vs.TimestampMs;
        var (from, to) = at is { } fixedTime
            ? (fixedTime - vs.OriginalOffsetMs - lookback, fixedTime - vs.OriginalOffsetMs)
            : (_start - offset - lookback, _end - offset);
        foreach (var series in selected)
        {
            _context.ThrowIfCancelled();
            buffer.Clear();
            _context.Load(series, from, to, dropStale: false, buffer);
            List<Sample>? points = null;
            var next = 0;
            for (var ts = _start; ts <= _end; ts += _interval)
            {
                var refTime = at ?? (ts - offset);
                while (next < buffer.Count && buffer[next].TimestampMs <= refTime)
                {
                    next++;
                }
                if (next == 0)
                {
                    continue;
                }
                var sample = buffer[next - 1];
                if (sample.TimestampMs < refTime - lookback || StaleMarker.IsStale(sample.Value))
                {
                    continue;
                }
                points ??= [];
                points.Add(new Sample(ts, sample.TimestampMs / 1000.0));
                _currentSamples++;
                CheckSampleLimit();
            }
            if (points is not null)
            {
                result.Add(new Series(series.Labels.WithoutMetricName(), points));
            }
        }
        if (ContainsSameLabelset(result))
        {
            throw SameLabelset();
        }
        return new Matrix(result);
    }

    /// <summary>A range selector evaluated at the start time: every non-stale sample in <c>[t - offset - range, t - offset]</c>, with its own timestamp.</summary>
    private Matrix EvalMatrixSelector(MatrixSelector ms)
    {
        var vs = ms.Selector;
        var maxt = _start - vs.OffsetMs;
        var mint = maxt - ms.RangeMs;
        var selected = _context.SeriesFor(vs);
        var result = new List<Series>(selected.Count);
        foreach (var series in selected)
        {
            _context.ThrowIfCancelled();
            var points = new List<Sample>();
            _context.Load(series, mint, maxt, dropStale: true, points);
            _currentSamples += points.Count;
            CheckSampleLimit();
            if (points.Count > 0)
            {
                result.Add(new Series(series.Labels, points));
            }
        }
        return new Matrix(result);
    }

    /// <summary>A subquery: the inner expression evaluated at steps aligned to the subquery's step across its range.</summary>
    private Matrix EvalSubquery(SubqueryExpr q)
    {
        var offset = q.OffsetMs;
        var range = q.RangeMs;
        var interval = q.StepMs != 0 ? q.StepMs : _context.DefaultIntervalMs;
        var first = _start - offset - range;
        var start = interval * (first / interval);
        if (start < first)
        {
            start += interval;
        }
        if (start != _start)
        {
            // Offsets for @ are relative to the evaluation start; this evaluation starts elsewhere.
            QueryPreparation.SetOffsetForAtModifier(start, q.Inner);
        }
        var child = Child(start, _end - offset, interval);
        var result = child.Eval(q.Inner);
        _currentSamples = child._currentSamples;
        return (Matrix)result;
    }

    /// <summary>A subquery given where a range vector is expected: its result as the series of a stand-in range selector.</summary>
    private (MatrixSelector Selector, List<ISeries> Series) EvalSubqueryAsSelector(SubqueryExpr q)
    {
        var matrix = EvalSubquery(q);
        var vs = new VectorSelector(null, [])
        {
            OriginalOffsetMs = q.OriginalOffsetMs,
            OffsetMs = q.OffsetMs,
            TimestampMs = q.TimestampMs,
        };
        if (q.TimestampMs is { } at)
        {
            // The subquery's own offset is not adjusted for @; account for it here.
            vs.OffsetMs = q.OriginalOffsetMs + (_start - at);
        }
        var series = new List<ISeries>(matrix.Series.Count);
        foreach (var s in matrix.Series)
        {
            series.Add(new ComputedSeries(s.Metric, s.Points));
        }
        return (new MatrixSelector(vs, q.RangeMs), series);
    }

    /// <summary>A computed series (a subquery's result) read back through the storage seam.</summary>
    private sealed class ComputedSeries(Labels labels, List<Sample> points) : ISeries
    {
        public Labels Labels { get; } = labels;

        public ISampleIterator Iterator(ISampleIterator? reuse = null) => new ArraySampleIterator([.. points]);
    }
}
