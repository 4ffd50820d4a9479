using Google.Protobuf;
using Vigil.Model;
using Vigil.Remote.Prompb;
using Vigil.Storage;

namespace Vigil.Remote.Receive;

/// <summary>
/// Prometheus 2.42's remote-write receiver (<c>storage/remote/write_handler.go</c>): a snappy-block-compressed
/// <c>prompb.WriteRequest</c> is decoded and appended in one batch. The first out-of-order, duplicate-timestamp or
/// out-of-bounds sample rolls the whole request back and answers 400 with Prometheus's text, so a sender does not
/// retry it and nothing of it is half-applied. Series with invalid labels are skipped (counted), as Prometheus does.
/// </summary>
public sealed class RemoteWriteReceiver
{
    private readonly IAppendable _storage;
    private readonly RemoteWriteReceiverOptions _options;
    private long _samplesReceived;
    private long _invalidLabelSeries;
    private long _rejectedRequests;

    /// <summary>A receiver appending to <paramref name="storage"/>.</summary>
    public RemoteWriteReceiver(IAppendable storage, RemoteWriteReceiverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _options = options ?? new RemoteWriteReceiverOptions();
    }

    /// <summary>Samples appended so far.</summary>
    public long SamplesReceived => Interlocked.Read(ref _samplesReceived);

    /// <summary>Series skipped because their labels were invalid.</summary>
    public long InvalidLabelSeries => Interlocked.Read(ref _invalidLabelSeries);

    /// <summary>Requests answered with an error.</summary>
    public long RejectedRequests => Interlocked.Read(ref _rejectedRequests);

    /// <summary>The options in force.</summary>
    public RemoteWriteReceiverOptions Options => _options;

    /// <summary>Decodes and appends one request body; the result is the HTTP answer Prometheus would give.</summary>
    public RemoteWriteResult Receive(ReadOnlySpan<byte> body)
    {
        if (!TryDecode(body, out var request, out var error))
        {
            Interlocked.Increment(ref _rejectedRequests);
            return RemoteWriteResult.BadRequest(error);
        }
        var result = Append(request);
        if (result.StatusCode >= 400)
        {
            Interlocked.Increment(ref _rejectedRequests);
        }
        return result;
    }

    /// <summary>Snappy block decoding (with the decoded-size limit) and protobuf parsing; errors worded for a 400 answer.</summary>
    public bool TryDecode(ReadOnlySpan<byte> body, out WriteRequest request, out string error)
    {
        request = null!;
        if (!TryReadDecodedLength(body, out var decodedLength))
        {
            error = "snappy: corrupt input";
            return false;
        }
        if (decodedLength > (ulong)_options.MaxDecodedBytes)
        {
            error = $"snappy: decoded request of {decodedLength} bytes exceeds the limit of {_options.MaxDecodedBytes} bytes";
            return false;
        }
        byte[] decoded;
        try
        {
            decoded = IronSnappy.Snappy.Decode(body);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = "snappy: corrupt input";
            return false;
        }
        try
        {
            request = WriteRequest.Parser.ParseFrom(decoded);
        }
        catch (InvalidProtocolBufferException e)
        {
            error = "proto: " + e.Message;
            return false;
        }
        error = "";
        return true;
    }

    private RemoteWriteResult Append(WriteRequest request)
    {
        var appender = _storage.Appender();
        var committed = false;
        try
        {
            var builder = new LabelsBuilder();
            long appended = 0;
            foreach (var series in request.Timeseries)
            {
                if (!TryLabels(series, builder, out var labels))
                {
                    Interlocked.Increment(ref _invalidLabelSeries);
                    continue;
                }
                var reference = default(SeriesRef);
                foreach (var sample in series.Samples)
                {
                    var status = appender.Append(ref reference, labels, sample.Timestamp, sample.Value);
                    switch (status)
                    {
                        case AppendStatus.Ok:
                            appended++;
                            break;
                        case AppendStatus.OutOfOrder:
                            return RemoteWriteResult.BadRequest("out of order sample");
                        case AppendStatus.DuplicateTimestamp:
                            return RemoteWriteResult.BadRequest("duplicate sample for timestamp");
                        case AppendStatus.OutOfBounds:
                            return RemoteWriteResult.BadRequest("out of bounds");
                        default:
                            Interlocked.Increment(ref _invalidLabelSeries);
                            goto nextSeries;
                    }
                }
            nextSeries:;
            }
            appender.Commit();
            committed = true;
            Interlocked.Add(ref _samplesReceived, appended);
            return RemoteWriteResult.NoContent;
        }
        finally
        {
            if (!committed)
            {
                appender.Rollback();
            }
        }
    }

    /// <summary>Prometheus's <c>labels.IsValid</c>: a valid metric name, valid label names, UTF-8 values (protobuf strings are).</summary>
    private static bool TryLabels(TimeSeries series, LabelsBuilder builder, out Labels labels)
    {
        builder.Clear();
        labels = Labels.Empty;
        foreach (var label in series.Labels)
        {
            if (label.Name == Vigil.Model.Label.MetricName)
            {
                if (!LabelText.IsValidMetricName(label.Value))
                {
                    return false;
                }
            }
            else if (!LabelText.IsValidLabelName(label.Name))
            {
                return false;
            }
            builder.Set(label.Name, label.Value);
        }
        labels = builder.ToLabels();
        return labels.Count > 0;
    }

    /// <summary>The uvarint at the start of a snappy block: its decoded length.</summary>
    private static bool TryReadDecodedLength(ReadOnlySpan<byte> body, out ulong length)
    {
        length = 0;
        var shift = 0;
        for (var i = 0; i < body.Length && i < 10; i++)
        {
            var b = body[i];
            length |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return true;
            }
            shift += 7;
        }
        return false;
    }
}

/// <summary>Limits of the remote-write receiver.</summary>
public sealed class RemoteWriteReceiverOptions
{
    /// <summary>The largest compressed request body accepted (32 MiB; Prometheus's senders send about 2,000 samples a request).</summary>
    public long MaxBodyBytes { get; set; } = 32L << 20;

    /// <summary>The largest decoded (uncompressed) request accepted (64 MiB), checked before decompressing.</summary>
    public long MaxDecodedBytes { get; set; } = 64L << 20;
}

/// <summary>The HTTP answer to a remote-write request.</summary>
/// <param name="StatusCode">204 on success, 400 for a request a sender must not retry, 413 for a too-large body.</param>
/// <param name="Error">The plain-text error, without the trailing newline Go's http.Error adds.</param>
public readonly record struct RemoteWriteResult(int StatusCode, string? Error)
{
    /// <summary>Success.</summary>
    public static RemoteWriteResult NoContent => new(204, null);

    /// <summary>A 400 with <paramref name="error"/>.</summary>
    public static RemoteWriteResult BadRequest(string error) => new(400, error);
}
