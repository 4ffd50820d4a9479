using RefSample = Vigil.Tsdb.RefSample;
using Vigil.Tsdb.Wal;

namespace Vigil.Remote.Send;

/// <summary>
/// Where a <see cref="WalWatcher"/> hands what it reads (Prometheus's <c>wlog.WriteTo</c>). Calls come from the
/// watcher's single loop, one at a time, in WAL order.
/// </summary>
public interface IWalWatcherSink
{
    /// <summary>Series records: refs and labels, with the segment they were read in (a checkpoint's index for its series).</summary>
    void StoreSeries(IReadOnlyList<RefSeries> series, int segment);

    /// <summary>A newer checkpoint's series (labels unchanged): they are alive as of <paramref name="segment"/>.</summary>
    void UpdateSeriesSegment(IReadOnlyList<RefSeries> series, int segment);

    /// <summary>Forgets series last seen in a segment before <paramref name="segment"/> (a checkpoint dropped them).</summary>
    void SeriesReset(int segment);

    /// <summary>
    /// The samples of one record that are to be sent (possibly none), and the position just past the record. Returns
    /// once they are queued (it may wait for room: that is the back-pressure that slows the watcher down).
    /// </summary>
    ValueTask AppendAsync(IReadOnlyList<RefSample> samples, WalPosition recordEnd, CancellationToken cancellationToken);

    /// <summary>The watcher read past a record with nothing to send (series, tombstones, skipped samples).</summary>
    void Advance(WalPosition recordEnd);
}
