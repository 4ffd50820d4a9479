using Vigil.Model;

namespace Vigil.Storage;

/// <summary>Opens queriers over a time range. Implemented by the TSDB, the in-memory store and fan-outs.</summary>
public interface IQueryableStorage
{
    /// <summary>A querier over samples with <paramref name="minTimeMs"/> ≤ t ≤ <paramref name="maxTimeMs"/>.</summary>
    IQuerier Querier(long minTimeMs, long maxTimeMs);
}

/// <summary>Reads series, label names and values over one time range. Dispose releases what it pins.</summary>
public interface IQuerier : IDisposable
{
    /// <summary>The series whose labels satisfy every matcher, sorted by labels when <paramref name="sorted"/>.</summary>
    ISeriesSet Select(bool sorted, IReadOnlyList<LabelMatcher> matchers);

    /// <summary>The label names of the series the matchers select (all series when none), sorted.</summary>
    IReadOnlyList<string> LabelNames(IReadOnlyList<LabelMatcher> matchers);

    /// <summary>The values of <paramref name="name"/> among the series the matchers select (all when none), sorted.</summary>
    IReadOnlyList<string> LabelValues(string name, IReadOnlyList<LabelMatcher> matchers);
}

/// <summary>A forward-only set of series: <c>while (set.Next()) use(set.At());</c>.</summary>
public interface ISeriesSet
{
    /// <summary>Advances; false at the end or on error (see <see cref="Error"/>).</summary>
    bool Next();

    /// <summary>The current series.</summary>
    ISeries At();

    /// <summary>The error that ended iteration early, if any.</summary>
    Exception? Error { get; }
}

/// <summary>One series: its labels and its samples in the querier's range.</summary>
public interface ISeries
{
    /// <summary>The series' labels.</summary>
    Labels Labels { get; }

    /// <summary>An iterator over its samples in time order; may reuse <paramref name="reuse"/>.</summary>
    ISampleIterator Iterator(ISampleIterator? reuse = null);
}

/// <summary>Samples in time order: <c>Next</c>/<c>Seek</c> then <c>At</c>. Reusable; allocates nothing per sample.</summary>
public interface ISampleIterator
{
    /// <summary>Advances to the next sample; false at the end or on error.</summary>
    bool Next();

    /// <summary>Advances to the first sample with t ≥ <paramref name="timestampMs"/> (staying put if already there).</summary>
    bool Seek(long timestampMs);

    /// <summary>The current sample.</summary>
    Sample At();

    /// <summary>The error that ended iteration early, if any.</summary>
    Exception? Error { get; }
}
