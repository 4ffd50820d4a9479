using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Remote.Otlp;

namespace Vigil.Server.Api;

public sealed partial class PrometheusApi
{
    private OtlpMetricsReceiver? _otlpReceiver;
    private int _otlpMetricsRegistered;

    /// <summary>The OTLP metrics receiver (created on first use, appending to the TSDB).</summary>
    public OtlpMetricsReceiver OtlpReceiver =>
        _otlpReceiver ?? Interlocked.CompareExchange(ref _otlpReceiver, new OtlpMetricsReceiver(_db), null) ?? _otlpReceiver;

    /// <summary>
    /// <c>POST /api/v1/otlp/v1/metrics</c>, the path later Prometheus versions serve OTLP on (so an OpenTelemetry
    /// exporter's endpoint is <c>http://vigil:9090/api/v1/otlp/v1/metrics</c>): 200 with an
    /// <c>ExportMetricsServiceResponse</c> (with <c>partial_success</c> when points were rejected), 400 for an
    /// undecodable body or a sample out of order, 413 past the body limit, 415 for other content types or encodings;
    /// 404 with a hint when the receiver is off (<c>--web.enable-otlp-receiver</c>).
    /// </summary>
    private async Task OtlpMetricsAsync(HttpContext context)
    {
        var response = context.Response;
        if (!_options.EnableOtlpReceiver)
        {
            await PlainErrorAsync(response, StatusCodes.Status404NotFound, "otlp write receiver needs to be enabled with --web.enable-otlp-receiver").ConfigureAwait(false);
            return;
        }
        var receiver = OtlpReceiver;
        RegisterOtlpMetrics(context.RequestServices.GetService<IMeterFactory>(), receiver);
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

            var result = receiver.Receive(buffer.AsSpan(0, length), context.Request.ContentType, context.Request.Headers.ContentEncoding.ToString());
            if (result.Error is { } error)
            {
                if (result.StatusCode >= 400)
                {
                    _log.LogWarning("OTLP metrics request rejected: {Error}", error);
                }
                else
                {
                    _log.LogWarning("OTLP metrics request partly rejected: {Error}", error);
                }
            }
            response.StatusCode = result.StatusCode;
            response.ContentType = result.ContentType;
            response.ContentLength = result.Body.Length;
            await response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The receiver's counters on Vigil's <c>/metrics</c> (meter <c>Vigil.Otlp</c>), registered with the enabled
    /// receiver's first request: samples appended, data points rejected (the partial_success counts) and requests
    /// refused.
    /// </summary>
    private void RegisterOtlpMetrics(IMeterFactory? meters, OtlpMetricsReceiver receiver)
    {
        if (meters is null || Interlocked.Exchange(ref _otlpMetricsRegistered, 1) == 1)
        {
            return;
        }
        var meter = meters.Create("Vigil.Otlp");
        meter.CreateObservableCounter("vigil_otlp_samples_received_total", () => receiver.SamplesReceived, description: "Total number of samples appended from OTLP metrics requests.");
        meter.CreateObservableCounter("vigil_otlp_rejected_data_points_total", () => receiver.RejectedDataPoints, description: "Total number of OTLP data points rejected (delta temporality, exponential histograms, invalid points), reported as partial success.");
        meter.CreateObservableCounter("vigil_otlp_rejected_requests_total", () => receiver.RejectedRequests, description: "Total number of OTLP metrics requests answered with an error.");
    }
}
