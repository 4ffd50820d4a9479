using System.Buffers;
using System.Globalization;
using System.Text;

namespace Vigil.Model.Exposition;

/// <summary>
/// Writes metric families in text format 0.0.4 or OpenMetrics 1.0 to an <see cref="IBufferWriter{T}"/>.
/// The writer formats exactly what it is given: callers emit families in order, one HELP/TYPE
/// (and in OpenMetrics, UNIT) per family before its samples, and name OpenMetrics counter
/// families without their <c>_total</c> suffix. Values use Go's float formatting (<see cref="GoFloat"/>).
/// </summary>
public sealed class ExpositionWriter
{
    private readonly IBufferWriter<byte> _output;

    /// <summary>A writer in <paramref name="format"/> onto <paramref name="output"/>.</summary>
    public ExpositionWriter(IBufferWriter<byte> output, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        Format = format;
    }

    /// <summary>The format being written.</summary>
    public ExpositionFormat Format { get; }

    /// <summary><c># HELP name text</c>. Text 0.0.4 escapes <c>\</c> and newline; OpenMetrics also <c>"</c>.</summary>
    public void WriteHelp(string name, string help)
    {
        WriteAscii("# HELP "u8);
        WriteString(name);
        WriteByte((byte)' ');
        WriteEscaped(help, escapeQuote: Format == ExpositionFormat.OpenMetrics);
        WriteByte((byte)'\n');
    }

    /// <summary><c># TYPE name type</c>; types OpenMetrics alone has are written as <c>untyped</c> in text 0.0.4.</summary>
    public void WriteType(string name, MetricType type)
    {
        WriteAscii("# TYPE "u8);
        WriteString(name);
        WriteByte((byte)' ');
        WriteAscii(TypeName(type, Format));
        WriteByte((byte)'\n');
    }

    /// <summary><c># UNIT name unit</c> (OpenMetrics only; text 0.0.4 has no UNIT line, so nothing is written).</summary>
    public void WriteUnit(string name, string unit)
    {
        if (Format != ExpositionFormat.OpenMetrics || string.IsNullOrEmpty(unit))
        {
            return;
        }
        WriteAscii("# UNIT "u8);
        WriteString(name);
        WriteByte((byte)' ');
        WriteString(unit);
        WriteByte((byte)'\n');
    }

    /// <summary>One sample line: <c>name{labels} value [timestamp] [# {exemplar} value [ts]]</c>.</summary>
    public void WriteSample(string name, ReadOnlySpan<Label> labels, double value, long? timestampMs = null, Exemplar? exemplar = null)
        => WriteSample(name, labels, null, null, value, timestampMs, exemplar);

    /// <summary>
    /// One sample line with one extra label appended after <paramref name="labels"/> (a bucket's <c>le</c>
    /// or a summary's <c>quantile</c>), so callers need not build a new label set per line.
    /// </summary>
    public void WriteSample(string name, ReadOnlySpan<Label> labels, string? extraName, string? extraValue, double value, long? timestampMs = null, Exemplar? exemplar = null)
    {
        WriteString(name);
        // __name__ is the metric name, not a label to print: a set holding only it gets no braces ("foo 1", not "foo{} 1").
        var any = extraName is not null;
        foreach (var l in labels)
        {
            any |= l.Name != Label.MetricName;
        }
        if (any)
        {
            WriteByte((byte)'{');
            var first = true;
            foreach (var l in labels)
            {
                if (l.Name == Label.MetricName)
                {
                    continue;
                }
                WriteLabel(l.Name, l.Value, ref first);
            }
            if (extraName is not null)
            {
                WriteLabel(extraName, extraValue ?? "", ref first);
            }
            WriteByte((byte)'}');
        }
        WriteByte((byte)' ');
        WriteFloat(value);
        if (timestampMs is long ts)
        {
            WriteByte((byte)' ');
            WriteTimestamp(ts);
        }
        if (exemplar is not null && Format == ExpositionFormat.OpenMetrics)
        {
            WriteAscii(" # {"u8);
            var first = true;
            foreach (var l in exemplar.Labels.AsSpan())
            {
                WriteLabel(l.Name, l.Value, ref first);
            }
            WriteAscii("} "u8);
            WriteFloat(exemplar.Value);
            if (exemplar.TimestampMs is long ets)
            {
                WriteByte((byte)' ');
                WriteOpenMetricsTimestamp(ets);
            }
        }
        WriteByte((byte)'\n');
    }

    /// <summary>The <c># EOF</c> line that ends an OpenMetrics exposition (nothing in text 0.0.4).</summary>
    public void WriteEof()
    {
        if (Format == ExpositionFormat.OpenMetrics)
        {
            WriteAscii("# EOF\n"u8);
        }
    }

    /// <summary>The type keyword for <paramref name="type"/> in <paramref name="format"/>.</summary>
    public static ReadOnlySpan<byte> TypeName(MetricType type, ExpositionFormat format) => type switch
    {
        MetricType.Counter => "counter"u8,
        MetricType.Gauge => "gauge"u8,
        MetricType.Histogram => "histogram"u8,
        MetricType.Summary => "summary"u8,
        MetricType.GaugeHistogram when format == ExpositionFormat.OpenMetrics => "gaugehistogram"u8,
        MetricType.Info when format == ExpositionFormat.OpenMetrics => "info"u8,
        MetricType.StateSet when format == ExpositionFormat.OpenMetrics => "stateset"u8,
        _ => format == ExpositionFormat.OpenMetrics ? "unknown"u8 : "untyped"u8,
    };

    private void WriteLabel(string name, string value, ref bool first)
    {
        if (!first)
        {
            WriteByte((byte)',');
        }
        first = false;
        WriteString(name);
        WriteAscii("=\""u8);
        WriteEscaped(value, escapeQuote: true);
        WriteByte((byte)'"');
    }

    private void WriteFloat(double value)
    {
        var span = _output.GetSpan(GoFloat.MaxLength);
        GoFloat.TryFormat(value, span, out var n);
        _output.Advance(n);
    }

    private void WriteTimestamp(long ms)
    {
        if (Format == ExpositionFormat.OpenMetrics)
        {
            WriteOpenMetricsTimestamp(ms);
            return;
        }
        var span = _output.GetSpan(24);
        ms.TryFormat(span, out var n, default, CultureInfo.InvariantCulture);
        _output.Advance(n);
    }

    // OpenMetrics timestamps are seconds: write ms/1000 exactly, without binary float rounding.
    private void WriteOpenMetricsTimestamp(long ms)
    {
        var span = _output.GetSpan(32);
        var pos = 0;
        var negative = ms < 0;
        var abs = negative ? -(decimal)ms : ms;
        var seconds = decimal.Truncate(abs / 1000);
        var frac = (int)(abs - (seconds * 1000));
        if (negative)
        {
            span[pos++] = (byte)'-';
        }
        seconds.TryFormat(span[pos..], out var n, default, CultureInfo.InvariantCulture);
        pos += n;
        if (frac != 0)
        {
            span[pos++] = (byte)'.';
            span[pos++] = (byte)('0' + (frac / 100));
            span[pos++] = (byte)('0' + (frac / 10 % 10));
            span[pos++] = (byte)('0' + (frac % 10));
            while (span[pos - 1] == (byte)'0')
            {
                pos--;
            }
        }
        _output.Advance(pos);
    }

    private void WriteEscaped(string text, bool escapeQuote)
    {
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) * 2);
        var pos = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\':
                    span[pos++] = (byte)'\\';
                    span[pos++] = (byte)'\\';
                    break;
                case '\n':
                    span[pos++] = (byte)'\\';
                    span[pos++] = (byte)'n';
                    break;
                case '"' when escapeQuote:
                    span[pos++] = (byte)'\\';
                    span[pos++] = (byte)'"';
                    break;
                default:
                    pos += rune.EncodeToUtf8(span[pos..]);
                    break;
            }
        }
        _output.Advance(pos);
    }

    private void WriteString(string text)
    {
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var n = Encoding.UTF8.GetBytes(text, span);
        _output.Advance(n);
    }

    private void WriteAscii(ReadOnlySpan<byte> text)
    {
        var span = _output.GetSpan(text.Length);
        text.CopyTo(span);
        _output.Advance(text.Length);
    }

    private void WriteByte(byte b)
    {
        var span = _output.GetSpan(1);
        span[0] = b;
        _output.Advance(1);
    }
}
