using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Vigil.Server.Api;

/// <summary>
/// The API's JSON envelope, as Prometheus's <c>respond</c>/<c>respondError</c> write it:
/// <c>{"status":"success","data":...,"warnings":[...]}</c> with 200, or
/// <c>{"status":"error","errorType":"bad_data","error":"..."}</c> with the error type's status code.
/// </summary>
public static class ApiResponse
{
    /// <summary>
    /// Compact JSON; non-ASCII written as UTF-8 like Go does (the default encoder would write <c>\u00F6</c> for "ö" and
    /// <c>\u002B</c> for the "+" of <c>+Inf</c>). Go additionally escapes &lt;, &gt; and &amp;; the JSON is equal either way.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The content type of every API answer.</summary>
    public const string ContentType = "application/json";

    /// <summary>Writes a success envelope whose <c>data</c> is written by <paramref name="writeData"/>.</summary>
    public static async Task WriteSuccessAsync(HttpResponse response, Action<Utf8JsonWriter> writeData, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(writeData);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, "success"u8);
            writer.WritePropertyName("data"u8);
            writeData(writer);
            WriteWarnings(writer, warnings);
            writer.WriteEndObject();
            await writer.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes the warnings array when there are any (Prometheus's <c>omitempty</c>).</summary>
    public static void WriteWarnings(Utf8JsonWriter writer, IReadOnlyList<string>? warnings)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (warnings is not { Count: > 0 })
        {
            return;
        }
        writer.WriteStartArray("warnings"u8);
        foreach (var w in warnings)
        {
            writer.WriteStringValue(w);
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes an error envelope with the status code Prometheus uses for its type.</summary>
    public static async Task WriteErrorAsync(HttpResponse response, ApiErrorType type, string message)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = ApiException.StatusCode(type);
        response.ContentType = ContentType;
        var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, "error"u8);
            writer.WriteString("errorType"u8, ApiException.Name(type));
            writer.WriteString("error"u8, message);
            writer.WriteEndObject();
            await writer.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes a JSON array of strings.</summary>
    public static void WriteStrings(Utf8JsonWriter writer, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray();
        foreach (var v in values)
        {
            writer.WriteStringValue(v);
        }
        writer.WriteEndArray();
    }
}
