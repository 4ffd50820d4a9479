using System.Globalization;
using System.Threading.Channels;

namespace Vigil.Remote.Send;

public sealed partial class RemoteWriteQueue
{
    private Shard[] _shards;

    private sealed class Shard(Channel<PendingSample> queue)
    {
        public Channel<PendingSample> Queue { get; } = queue;

        public Task Run { get; set; } = Task.CompletedTask;
    }

    private void StartShards(int count)
    {
        var shards = new Shard[count];
        for (var i = 0; i < count; i++)
        {
            var shard = new Shard(Channel.CreateBounded<PendingSample>(new BoundedChannelOptions(_options.Queue.Capacity)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            }));
            shard.Run = Task.Run(() => RunShardAsync(shard.Queue.Reader, _hard.Token));
            shards[i] = shard;
        }
        _shards = shards;
        Stats.SetShards(count);
    }

    /// <summary>
    /// Drains the current shards (every queued sample sent) and starts the new number, so no series is ever sent out
    /// of order (Prometheus's <c>reshardLoop</c>). Runs on the reader's path, which is paused meanwhile.
    /// </summary>
    private async Task ReshardAsync(CancellationToken cancellationToken)
    {
        var to = Interlocked.Exchange(ref _reshardTo, 0);
        if (to <= 0 || to == _shards.Length)
        {
            return;
        }
        var old = _shards;
        foreach (var shard in old)
        {
            shard.Queue.Writer.TryComplete();
        }
        await Task.WhenAll(Array.ConvertAll(old, static s => s.Run)).WaitAsync(cancellationToken).ConfigureAwait(false);
        StartShards(to);
    }

    private async Task RunShardAsync(ChannelReader<PendingSample> reader, CancellationToken hard)
    {
        var max = _options.Queue.MaxSamplesPerSend;
        var deadline = _options.Queue.BatchSendDeadline;
        var time = _env.TimeProvider;
        var batch = new PendingSample[max];
        var count = 0;
        long flushAt = 0;
        Task<bool>? waiting = null;
        try
        {
            while (true)
            {
                while (count < max && reader.TryRead(out var sample))
                {
                    if (count == 0)
                    {
                        flushAt = time.GetTimestamp() + (long)(deadline.TotalSeconds * time.TimestampFrequency);
                    }
                    batch[count++] = sample;
                }
                if (count == max)
                {
                    await SendAsync(batch, count, hard).ConfigureAwait(false);
                    count = 0;
                    continue;
                }
                if (reader.Completion.IsCompleted)
                {
                    if (count > 0)
                    {
                        await SendAsync(batch, count, hard).ConfigureAwait(false);
                    }
                    return;
                }
                waiting ??= reader.WaitToReadAsync(hard).AsTask();
                if (count == 0)
                {
                    var more = await waiting.ConfigureAwait(false);
                    waiting = null;
                    if (!more)
                    {
                        return;
                    }
                    continue;
                }
                var remaining = flushAt - time.GetTimestamp();
                if (remaining > 0)
                {
                    using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(hard);
                    var delay = Task.Delay(TimeSpan.FromSeconds(remaining / (double)time.TimestampFrequency), time, delayCancel.Token);
                    var first = await Task.WhenAny(waiting, delay).ConfigureAwait(false);
                    if (first == waiting)
                    {
                        await delayCancel.CancelAsync().ConfigureAwait(false);
                        var more = await waiting.ConfigureAwait(false);
                        waiting = null;
                        if (more || count == 0)
                        {
                            continue;
                        }
                    }
                    else
                    {
                        hard.ThrowIfCancellationRequested();
                    }
                }
                // The batch deadline passed (or the queue was completed): send what there is.
                await SendAsync(batch, count, hard).ConfigureAwait(false);
                count = 0;
            }
        }
        catch (OperationCanceledException) when (hard.IsCancellationRequested)
        {
            // Hard shutdown: what is left stays unacknowledged, so the marker keeps it for the next run.
            var left = count;
            while (reader.TryRead(out _))
            {
                left++;
            }
            Stats.AddPending(-left);
        }
    }

    private async Task SendAsync(PendingSample[] batch, int count, CancellationToken hard)
    {
        var time = _env.TimeProvider;
        var (body, highest) = WriteRequestEncoder.Encode(batch.AsSpan(0, count));
        var backoff = _options.Queue.MinBackoff;
        var begin = time.GetTimestamp();
        try
        {
            while (true)
            {
                Stats.Sent(count);
                var attempt = time.GetTimestamp();
                var outcome = await _client.StoreAsync(body, hard).ConfigureAwait(false);
                _env.SendDuration?.Invoke(this, time.GetElapsedTime(attempt));
                if (outcome.Status == SendStatus.Success)
                {
                    Stats.AddBytes(body.Length);
                    Stats.HighestSent(highest / 1000);
                    _progress.Complete(batch.AsSpan(0, count), delivered: true);
                    break;
                }
                if (outcome.Status == SendStatus.Failed)
                {
                    Stats.Fail(count);
                    _env.Warning?.Invoke(string.Create(CultureInfo.InvariantCulture,
                        $"remote write {Name}: non-recoverable error, dropping {count} samples: {outcome.Error}"));
                    _progress.Complete(batch.AsSpan(0, count), delivered: false);
                    break;
                }
                var (sleep, next) = RetryPolicy.Next(backoff, outcome.RetryAfter, _options.Queue.MaxBackoff);
                LogRetry(outcome, sleep);
                await Task.Delay(sleep, time, hard).ConfigureAwait(false);
                Stats.Retry(count);
                backoff = next;
            }
        }
        finally
        {
            Stats.AddPending(-count);
            // Counted whatever the outcome: they drive the shard calculation.
            _dataOut.Increment(count);
            _dataOutDuration.Increment((long)(time.GetElapsedTime(begin).TotalSeconds * 1e9));
            Interlocked.Exchange(ref _lastSendUnixSeconds, time.GetUtcNow().ToUnixTimeSeconds());
        }
        Array.Clear(batch, 0, count);
    }

    private void LogRetry(SendOutcome outcome, TimeSpan sleep)
    {
        // One line per 5 s per queue: an outage retries every max_backoff on every shard.
        var now = _env.TimeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastRetryLog);
        if (last != 0 && now - last < 5 * _env.TimeProvider.TimestampFrequency)
        {
            return;
        }
        Interlocked.Exchange(ref _lastRetryLog, now);
        _env.Warning?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"remote write {Name}: failed to send batch, retrying in {sleep.TotalMilliseconds}ms: {outcome.Error}"));
    }
}
