using System.IO.Compression;
using System.Text;
using Google.Protobuf;
using Vigil.Model;
using Vigil.Remote.Otlp.Proto.Collector;
using Vigil.Remote.Otlp.Proto.Rpc;
using Vigil.Storage;

namespace Vigil.Remote.Otlp;

/// <summary>
/// An OTLP/HTTP metrics receiver (the OTLP specification, "OTLP/HTTP"): the body of <c>POST /v1/metrics</c> is an
/// <c>ExportMetricsServiceRequest</c> as binary protobuf (<c>application/x-protobuf</c>) or protobuf JSON
/// (<c>application/json</c>), optionally gzip-compressed. It is translated (<see cref="OtlpMetricsTranslator"/>) and
/// appended in one batch, as the remote-write receiver does and as Prometheus's OTLP handler does (it hands the
/// translation to its remote-write path): the first out-of-order, duplicate or out-of-bounds sample rolls the whole
/// request back and answers 400, so a sender does not retry it. Data points the translator rejects are counted and
/// reported in the 200 answer's <c>partial_success</c>. Errors carry a <c>google.rpc.Status</c> body in the
/// request's encoding, as OTLP/HTTP requires.
/// </summary>
public sealed class OtlpMetricsReceiver
{
    /// <summary>The binary protobuf content type.</summary>
    public const string ProtobufContentType = "application/x-protobuf";

    /// <summary>The protobuf JSON content type.</summary>
    public const string JsonContentType = "application/json";

    private static readonly JsonParser s_jsonParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly IAppendable _storage;
    private readonly OtlpReceiverOptions _options;
    private readonly OtlpNames _names = new();
    private long _samplesReceived;
    private long _rejectedDataPoints;
    private long _rejectedRequests;

    /// <summary>A receiver appending to <paramref name="storage"/>.</summary>
    public OtlpMetricsReceiver(IAppendable storage, OtlpReceiverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _options = options ?? new OtlpReceiverOptions();
    }

    /// <summary>Samples appended so far.</summary>
    public long SamplesReceived => Interlocked.Read(ref _samplesReceived);

    /// <summary>Data points rejected by translation (reported as partial success).</summary>
    public long RejectedDataPoints => Interlocked.Read(ref _rejectedDataPoints);

    /// <summary>Requests answered with an error.</summary>
    public long RejectedRequests => Interlocked.Read(ref _rejectedRequests);

    /// <summary>The options in force.</summary>
    public OtlpReceiverOptions Options => _options;

    /// <summary>
    /// Decodes, translates and appends one request body. <paramref name="contentType"/> and
    /// <paramref name="contentEncoding"/> are the request's headers; the result is the complete HTTP answer.
    /// </summary>
    public OtlpResult Receive(ReadOnlySpan<byte> body, string? contentType, string? contentEncoding)
    {
        var format = FormatOf(contentType);
        if (format is null)
        {
            return Fail(OtlpResult.Text(415, $"unsupported content type \"{contentType}\": send {ProtobufContentType} or {JsonContentType}"));
        }
        var json = format == JsonContentType;

        byte[]? inflated = null;
        if (!string.IsNullOrEmpty(contentEncoding) && !contentEncoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            if (!contentEncoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                return Fail(OtlpResult.Text(415, $"unsupported content encoding \"{contentEncoding}\": send gzip or none"));
            }
            if (!TryGunzip(body, _options.MaxDecodedBytes, out inflated, out var gzipError, out var tooLarge))
            {
                return Fail(ErrorAnswer(json, tooLarge ? 413 : 400, gzipError));
            }
            body = inflated;
        }

        ExportMetricsServiceRequest request;
        try
        {
            request = json
                ? s_jsonParser.Parse<ExportMetricsServiceRequest>(Encoding.UTF8.GetString(body))
                : ExportMetricsServiceRequest.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            return Fail(ErrorAnswer(json, 400, "proto: " + e.Message));
        }
        catch (InvalidJsonException e)
        {
            return Fail(ErrorAnswer(json, 400, "json: " + e.Message));
        }
        return Append(request, json);
    }

    /// <summary>Translates and appends a decoded request (the answer is encoded as JSON when <paramref name="json"/>).</summary>
    public OtlpResult Append(ExportMetricsServiceRequest request, bool json = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var appender = _storage.Appender();
        var committed = false;
        try
        {
            var sink = new AppenderSink(appender);
            var translation = OtlpMetricsTranslator.Translate(request, _names, ref sink);
            if (translation.Stopped)
            {
                // Prometheus's texts (storage.ErrOutOfOrderSample, ...); 400 so the sender does not retry.
                var error = sink.Failure switch
                {
                    AppendStatus.OutOfOrder => "out of order sample",
                    AppendStatus.DuplicateTimestamp => "duplicate sample for timestamp",
                    _ => "out of bounds",
                };
                return Fail(ErrorAnswer(json, 400, error));
            }
            appender.Commit();
            committed = true;
            Interlocked.Add(ref _samplesReceived, sink.Appended);

            var rejected = translation.RejectedDataPoints + sink.InvalidLabels;
            var message = translation.ErrorMessage;
            if (sink.InvalidLabels > 0)
            {
                message = (message.Length > 0 ? message + "; " : "") + $"{sink.InvalidLabels} samples with invalid labels";
            }
            var response = new ExportMetricsServiceResponse();
            if (rejected > 0 || message.Length > 0)
            {
                Interlocked.Add(ref _rejectedDataPoints, rejected);
                response.PartialSuccess = new ExportMetricsPartialSuccess { RejectedDataPoints = rejected, ErrorMessage = message };
            }
            return Encode(json, 200, response, message.Length > 0 ? message : null);
        }
        finally
        {
            if (!committed)
            {
                appender.Rollback();
            }
        }
    }

    private OtlpResult Fail(OtlpResult result)
    {
        Interlocked.Increment(ref _rejectedRequests);
        return result;
    }

    /// <summary>The message format named by a Content-Type header (parameters ignored), or null when unsupported.</summary>
    private static string? FormatOf(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        if (mediaType.Equals(ProtobufContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ProtobufContentType;
        }
        return mediaType.Equals(JsonContentType, StringComparison.OrdinalIgnoreCase) ? JsonContentType : null;
    }

    /// <summary>A 4xx answer with a <c>google.rpc.Status</c> body (code 3, INVALID_ARGUMENT; 8, RESOURCE_EXHAUSTED, for 413).</summary>
    private static OtlpResult ErrorAnswer(bool json, int statusCode, string message)
        => Encode(json, statusCode, new Status { Code = statusCode == 413 ? 8 : 3, Message = message }, message);

    private static OtlpResult Encode(bool json, int statusCode, IMessage message, string? error) => json
        ? new OtlpResult(statusCode, JsonContentType, Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message)), error)
        : new OtlpResult(statusCode, ProtobufContentType, message.ToByteArray(), error);

    private static bool TryGunzip(ReadOnlySpan<byte> body, long limit, out byte[] inflated, out string error, out bool tooLarge)
    {
        inflated = [];
        tooLarge = false;
        try
        {
            using var input = new MemoryStream(body.ToArray(), writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + read > limit)
                {
                    tooLarge = true;
                    error = $"gzip: decompressed request exceeds the limit of {limit} bytes";
                    return false;
                }
                output.Write(buffer, 0, read);
            }
            inflated = output.ToArray();
            error = "";
            return true;
        }
        catch (InvalidDataException e)
        {
            error = "gzip: " + e.Message;
            return false;
        }
    }

    /// <summary>Appends each sample; stops at the first one the storage rejects for order or bounds.</summary>
    private struct AppenderSink(IAppender appender) : IOtlpSampleSink
    {
        public long Appended;
        public long InvalidLabels;
        public AppendStatus Failure;

        public bool Append(Labels labels, long timestampMs, double value)
        {
            var reference = default(SeriesRef);
            var status = appender.Append(ref reference, labels, timestampMs, value);
            switch (status)
            {
                case AppendStatus.Ok:
                    Appended++;
                    return true;
                case AppendStatus.InvalidLabels:
                    InvalidLabels++;
                    return true;
                default:
                    Failure = status;
                    return false;
            }
        }
    }
}

/// <summary>Limits of the OTLP receiver.</summary>
public sealed class OtlpReceiverOptions
{
    /// <summary>The largest request body accepted as sent (32 MiB, like the remote-write receiver).</summary>
    public long MaxBodyBytes { get; set; } = 32L << 20;

    /// <summary>The largest body accepted after gzip decompression (64 MiB).</summary>
    public long MaxDecodedBytes { get; set; } = 64L << 20;
}

/// <summary>The complete HTTP answer to an OTLP request.</summary>
/// <param name="StatusCode">200 (possibly with partial success), 400, 413 or 415.</param>
/// <param name="ContentType">The answer's content type (the request's encoding; text for 415).</param>
/// <param name="Body">The encoded <c>ExportMetricsServiceResponse</c> or <c>google.rpc.Status</c>, or the text.</param>
/// <param name="Error">What went wrong or was rejected, for logging; null when everything was accepted.</param>
public readonly record struct OtlpResult(int StatusCode, string ContentType, byte[] Body, string? Error)
{
    /// <summary>A plain-text answer.</summary>
    public static OtlpResult Text(int statusCode, string message) =>
        new(statusCode, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message + "\n"), message);
}
