using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vigil.Remote.Receive;

namespace Vigil.Server.Api;

public sealed partial class PrometheusApi
{
    private RemoteWriteReceiver? _receiver;

    /// <summary>The remote-write receiver (created on first use, appending to the TSDB).</summary>
    public RemoteWriteReceiver RemoteWriteReceiver =>
        _receiver ?? Interlocked.CompareExchange(ref _receiver, new RemoteWriteReceiver(_db), null) ?? _receiver;

    /// <summary>
    /// <c>POST /api/v1/write</c>: 204 when every sample was appended; 400 with Prometheus's plain-text reason for a
    /// request a sender must not retry (bad snappy or protobuf, out of order, duplicate, out of bounds); 404 when the
    /// receiver is off, with Prometheus's hint; 413 past the body limit.
    /// </summary>
    private async Task RemoteWriteAsync(HttpContext context)
    {
        var response = context.Response;
        if (!_options.EnableRemoteWriteReceiver)
        {
            await PlainErrorAsync(response, StatusCodes.Status404NotFound, "remote write receiver needs to be enabled with --web.enable-remote-write-receiver").ConfigureAwait(false);
            return;
        }
        var receiver = RemoteWriteReceiver;
        var limit = receiver.Options.MaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await PlainErrorAsync(response, StatusCodes.Status413PayloadTooLarge, $"request body of {context.Request.ContentLength} bytes exceeds the limit of {limit} bytes").ConfigureAwait(false);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, Math.Max(context.Request.ContentLength ?? 64 * 1024, 4096)));
        try
        {
            var length = 0;
            var body = context.Request.Body;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > limit)
                    {
                        await PlainErrorAsync(response, StatusCodes.Status413PayloadTooLarge, $"request body exceeds the limit of {limit} bytes").ConfigureAwait(false);
                        return;
                    }
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            if (length > limit)
            {
                await PlainErrorAsync(response, StatusCodes.Status413PayloadTooLarge, $"request body exceeds the limit of {limit} bytes").ConfigureAwait(false);
                return;
            }

            var result = receiver.Receive(buffer.AsSpan(0, length));
            if (result.Error is { } error)
            {
                _log.LogWarning("remote write request rejected: {Error}", error);
                await PlainErrorAsync(response, result.StatusCode, error).ConfigureAwait(false);
                return;
            }
            response.StatusCode = result.StatusCode;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Go's <c>http.Error</c>: plain text, nosniff, the message and a newline.</summary>
    private static Task PlainErrorAsync(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync(message + "\n");
    }
}
