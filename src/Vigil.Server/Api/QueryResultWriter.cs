using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vigil.Model;
using Vigil.Model.Exposition;
using Vigil.PromQL.Engine;

namespace Vigil.Server.Api;

/// <summary>
/// Writes a query result straight into the response pipe in Prometheus 2.42's JSON: <c>resultType</c>, then
/// <c>result</c> as <c>[ts,"v"]</c> (scalar, string), <c>[{"metric":{...},"value":[ts,"v"]}]</c> (vector) or
/// <c>[{"metric":{...},"values":[[ts,"v"],...]}]</c> (matrix). Sample timestamps are JSON numbers of seconds with
/// up to three decimals (Prometheus's <c>jsonutil.MarshalTimestamp</c>); values are strings formatted like Go's
/// <c>strconv.FormatFloat(v, 'f', -1, 64)</c>. Nothing is allocated per sample; the pipe is flushed every
/// <see cref="FlushThresholdBytes"/> so a large result streams instead of piling up in memory.
/// </summary>
public static class QueryResultWriter
{
    /// <summary>How many bytes are buffered before the pipe is flushed to the client.</summary>
    public const int FlushThresholdBytes = 64 * 1024;

    private const int ScratchBytes = GoFloat.MaxFixedLength + 32;

    /// <summary>Writes the success envelope with <paramref name="value"/> as <c>data</c>.</summary>
    public static async Task WriteAsync(HttpResponse response, QueryValue value, IReadOnlyList<string>? warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(value);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ApiResponse.ContentType;
        var pipe = response.BodyWriter;
        var scratch = ArrayPool<byte>.Shared.Rent(ScratchBytes);
        var writer = new Utf8JsonWriter(pipe, ApiResponse.WriterOptions);
        // The writer commits to the pipe whenever it needs more room; what matters is how much the pipe holds
        // unsent, so flush by total bytes written: the pipe's few pooled segments are then reused.
        long flushed = 0;
        try
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, "success"u8);
            writer.WriteStartObject("data"u8);
            switch (value)
            {
                case ScalarResult scalar:
                    writer.WriteString("resultType"u8, "scalar"u8);
                    writer.WritePropertyName("result"u8);
                    WriteScalar(writer, scalar.TimestampMs, scalar.Value, scratch);
                    break;
                case StringResult str:
                    writer.WriteString("resultType"u8, "string"u8);
                    writer.WritePropertyName("result"u8);
                    WriteString(writer, str.TimestampMs, str.Value, scratch);
                    break;
                case Vector vector:
                    writer.WriteString("resultType"u8, "vector"u8);
                    writer.WriteStartArray("result"u8);
                    for (var i = 0; i < vector.Samples.Count; i++)
                    {
                        WriteVectorSample(writer, vector.Samples[i], scratch);
                        if (writer.BytesCommitted + writer.BytesPending - flushed >= FlushThresholdBytes)
                        {
                            flushed = await FlushAsync(writer, pipe, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    writer.WriteEndArray();
                    break;
                case Matrix matrix:
                    writer.WriteString("resultType"u8, "matrix"u8);
                    writer.WriteStartArray("result"u8);
                    foreach (var series in matrix.Series)
                    {
                        WriteSeries(writer, series, scratch);
                        if (writer.BytesCommitted + writer.BytesPending - flushed >= FlushThresholdBytes)
                        {
                            flushed = await FlushAsync(writer, pipe, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    writer.WriteEndArray();
                    break;
                default:
                    throw new InvalidOperationException($"unknown query value {value.GetType().Name}");
            }
            writer.WriteEndObject();
            ApiResponse.WriteWarnings(writer, warnings);
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static async ValueTask<long> FlushAsync(Utf8JsonWriter writer, System.IO.Pipelines.PipeWriter pipe, CancellationToken cancellationToken)
    {
        writer.Flush();
        await pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
        return writer.BytesCommitted;
    }

    /// <summary>A scalar: <c>[seconds,"value"]</c>; the timestamp as Go's encoding/json writes <c>float64(t)/1000</c>.</summary>
    public static void WriteScalar(Utf8JsonWriter writer, long timestampMs, double value, Span<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        GoFloat.TryFormatFixed(timestampMs / 1000.0, scratch, out var n);
        writer.WriteRawValue(scratch[..n], skipInputValidation: true);
        GoFloat.TryFormatFixed(value, scratch, out n);
        writer.WriteStringValue(scratch[..n]);
        writer.WriteEndArray();
    }

    private static void WriteString(Utf8JsonWriter writer, long timestampMs, string value, Span<byte> scratch)
    {
        writer.WriteStartArray();
        GoFloat.TryFormatFixed(timestampMs / 1000.0, scratch, out var n);
        writer.WriteRawValue(scratch[..n], skipInputValidation: true);
        writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static void WriteVectorSample(Utf8JsonWriter writer, VectorSample sample, Span<byte> scratch)
    {
        writer.WriteStartObject();
        WriteMetric(writer, sample.Metric);
        writer.WritePropertyName("value"u8);
        WritePoint(writer, sample.TimestampMs, sample.Value, scratch);
        writer.WriteEndObject();
    }

    private static void WriteSeries(Utf8JsonWriter writer, Series series, Span<byte> scratch)
    {
        writer.WriteStartObject();
        WriteMetric(writer, series.Metric);
        writer.WriteStartArray("values"u8);
        foreach (var p in series.Points)
        {
            WritePoint(writer, p.TimestampMs, p.Value, scratch);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The <c>"metric"</c> object: labels in their (sorted) order.</summary>
    public static void WriteMetric(Utf8JsonWriter writer, Labels labels)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(labels);
        writer.WriteStartObject("metric"u8);
        WriteLabels(writer, labels);
        writer.WriteEndObject();
    }

    /// <summary>Label pairs as properties of the current object.</summary>
    public static void WriteLabels(Utf8JsonWriter writer, Labels labels)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var l in labels.AsSpan())
        {
            writer.WriteString(l.Name, l.Value);
        }
    }

    /// <summary>A sample: <c>[seconds,"value"]</c>.</summary>
    public static void WritePoint(Utf8JsonWriter writer, long timestampMs, double value, Span<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartArray();
        var n = FormatTimestamp(timestampMs, scratch);
        writer.WriteRawValue(scratch[..n], skipInputValidation: true);
        GoFloat.TryFormatFixed(value, scratch, out n);
        writer.WriteStringValue(scratch[..n]);
        writer.WriteEndArray();
    }

    /// <summary>
    /// Prometheus's <c>jsonutil.MarshalTimestamp</c>: whole seconds, then (when the milliseconds are not zero) a point
    /// and exactly three digits: <c>1435781451.781</c>, <c>100.500</c>, <c>-100.500</c>, <c>5</c>.
    /// </summary>
    public static int FormatTimestamp(long timestampMs, Span<byte> destination)
    {
        var pos = 0;
        // Go negates in int64 and prints the (possibly still negative, for MinInt64) parts.
        var t = timestampMs;
        if (t < 0)
        {
            destination[pos++] = (byte)'-';
            t = unchecked(-t);
        }
        var seconds = t / 1000;
        var fraction = t % 1000;
        seconds.TryFormat(destination[pos..], out var n, default, System.Globalization.CultureInfo.InvariantCulture);
        pos += n;
        if (fraction != 0)
        {
            destination[pos++] = (byte)'.';
            if (fraction is > 0 and < 100)
            {
                destination[pos++] = (byte)'0';
            }
            if (fraction is > 0 and < 10)
            {
                destination[pos++] = (byte)'0';
            }
            fraction.TryFormat(destination[pos..], out n, default, System.Globalization.CultureInfo.InvariantCulture);
            pos += n;
        }
        return pos;
    }
}
