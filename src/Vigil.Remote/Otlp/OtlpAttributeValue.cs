using System.Globalization;
using System.Text;
using System.Text.Json;
using Vigil.Model.Exposition;
using Vigil.Remote.Otlp.Proto.Common;

namespace Vigil.Remote.Otlp;

/// <summary>
/// An OTLP attribute value as a label value, as the Collector's <c>pcommon.Value.AsString</c> (which Prometheus's
/// translator calls) writes it: strings as they are, bools as <c>true</c>/<c>false</c>, ints in decimal, doubles like
/// Go's <c>FormatFloat(v, 'f', -1, 64)</c>, bytes in standard base64, arrays and key-value lists as JSON.
/// </summary>
public static class OtlpAttributeValue
{
    /// <summary>The label value of <paramref name="value"/> (empty for an unset value).</summary>
    public static string AsString(AnyValue? value)
    {
        if (value is null)
        {
            return "";
        }
        return value.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.DoubleValue => GoFloat.FormatFixed(value.DoubleValue),
            AnyValue.ValueOneofCase.BytesValue => Convert.ToBase64String(value.BytesValue.Span),
            AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue => Json(value),
            _ => "",
        };
    }

    private static string Json(AnyValue value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, value);
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static void Write(Utf8JsonWriter writer, AnyValue? value)
    {
        switch (value?.ValueCase ?? AnyValue.ValueOneofCase.None)
        {
            case AnyValue.ValueOneofCase.StringValue:
                writer.WriteStringValue(value!.StringValue);
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                writer.WriteBooleanValue(value!.BoolValue);
                break;
            case AnyValue.ValueOneofCase.IntValue:
                writer.WriteNumberValue(value!.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value!.DoubleValue):
                writer.WriteNumberValue(value.DoubleValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue:
                writer.WriteStringValue(GoFloat.Format(value!.DoubleValue));
                break;
            case AnyValue.ValueOneofCase.BytesValue:
                writer.WriteBase64StringValue(value!.BytesValue.Span);
                break;
            case AnyValue.ValueOneofCase.ArrayValue:
                writer.WriteStartArray();
                foreach (var item in value!.ArrayValue.Values)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                // Go's encoding/json writes map keys sorted.
                var pairs = value!.KvlistValue.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal);
                writer.WriteStartObject();
                foreach (var pair in pairs)
                {
                    writer.WritePropertyName(pair.Key);
                    Write(writer, pair.Value);
                }
                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
