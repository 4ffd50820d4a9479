using Vigil.Model;

namespace Vigil.Storage;

/// <summary>Hands out appenders. Implemented by the TSDB head, the in-memory store and fan-outs.</summary>
public interface IAppendable
{
    /// <summary>A new appender: a batch of samples that becomes visible atomically on commit.</summary>
    IAppender Appender();
}

/// <summary>
/// A batch of appends. Nothing is visible to queriers until <see cref="Commit"/>, which returns only
/// once the batch is durable (for the TSDB: in the WAL). <see cref="Rollback"/> discards the batch.
/// An appender is used by one thread and is finished by exactly one Commit or Rollback.
/// </summary>
public interface IAppender
{
    /// <summary>
    /// Appends one float sample. <paramref name="series"/> is a ref from an earlier append (or
    /// <see cref="SeriesRef.None"/>); on success it is set to the series' ref. <paramref name="labels"/> may be
    /// null when <paramref name="series"/> is set.
    /// </summary>
    AppendStatus Append(ref SeriesRef series, Labels? labels, long timestampMs, double value);

    /// <summary>Makes the batch durable and visible.</summary>
    void Commit();

    /// <summary>Discards the batch.</summary>
    void Rollback();
}
