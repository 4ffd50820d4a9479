using System.Buffers;
using System.Globalization;
using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;

namespace Vigil.Server.Federation;

/// <summary>
/// Writes federated samples as Prometheus 2.42 does: text format 0.0.4 through client_model's
/// <c>MetricFamilyToText</c>, one <c>untyped</c> family per metric name (a <c># TYPE name untyped</c> line, no HELP),
/// each sample as <c>name{labels} value timestamp</c>. The labels are the series' own (without <c>__name__</c>), then
/// the external labels the series does not have, by name, where <c>instance=""</c> counts as an external label unless
/// one is configured (web/federate.go). Values as Go's <c>writeFloat</c>: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>,
/// otherwise <c>FormatFloat(v, 'g', -1, 64)</c>.
/// </summary>
public sealed class FederationTextWriter : IFederationWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly FederationLabels _labels;
    private string? _family;

    /// <summary>A writer into <paramref name="output"/>, adding <paramref name="externalLabels"/>.</summary>
    public FederationTextWriter(IBufferWriter<byte> output, Labels externalLabels)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _labels = new FederationLabels(externalLabels);
    }

    /// <inheritdoc/>
    public void Complete()
    {
    }

    /// <inheritdoc/>
    public void Write(in FederatedSample sample)
    {
        var labels = sample.Labels;
        var name = labels.MetricName;
        if (name.Length == 0)
        {
            return;
        }
        if (name != _family)
        {
            Ascii("# TYPE ");
            Utf8(name);
            Ascii(" untyped\n");
            _family = name;
        }
        Utf8(name);
        var first = true;
        foreach (var label in _labels.For(labels))
        {
            WriteLabel(label, ref first);
        }
        if (!first)
        {
            Ascii("}");
        }
        Ascii(" ");
        WriteValue(sample.Value);
        Ascii(" ");
        var span = _output.GetSpan(20);
        sample.TimestampMs.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
        _output.Advance(written);
        Ascii("\n");
    }

    private void WriteLabel(Label label, ref bool first)
    {
        Ascii(first ? "{" : ",");
        first = false;
        Utf8(label.Name);
        Ascii("=\"");
        var value = label.Value;
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var escape = value[i] switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                _ => null,
            };
            if (escape is not null)
            {
                Utf8(value.AsSpan(start, i - start));
                Ascii(escape);
                start = i + 1;
            }
        }
        Utf8(value.AsSpan(start));
        Ascii("\"");
    }

    private void WriteValue(double value)
    {
        // client_model's writeFloat special-cases these before strconv ('g', -1): -0 prints as 0.
        if (value == 0)
        {
            Ascii("0");
            return;
        }
        if (double.IsNaN(value))
        {
            Ascii("NaN");
            return;
        }
        if (double.IsInfinity(value))
        {
            Ascii(value > 0 ? "+Inf" : "-Inf");
            return;
        }
        var span = _output.GetSpan(32);
        GoFloat.TryFormat(value, span, out var written);
        _output.Advance(written);
    }

    private void Ascii(string text)
    {
        var span = _output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        _output.Advance(text.Length);
    }

    private void Utf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        _output.Advance(written);
    }
}
