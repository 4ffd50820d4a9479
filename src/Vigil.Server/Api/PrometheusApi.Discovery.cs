using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Vigil.Server.Api;

/// <summary>
/// <c>metadata</c>, <c>targets</c>, <c>targets/metadata</c>, <c>rules</c>, <c>alerts</c>, <c>alertmanagers</c>:
/// Prometheus's parameter checks and answer shapes. Vigil has no scrape layer, rule evaluator or notifier yet,
/// so each answers with its empty shape.
/// </summary>
public sealed partial class PrometheusApi
{
    private async Task MetadataAsync(HttpContext context, ApiForm form)
    {
        ParseLimit(form);
        await ApiResponse.WriteSuccessAsync(context.Response, static w =>
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task TargetsAsync(HttpContext context, ApiForm form)
    {
        // Any "state" is accepted: Prometheus fills the lists it asks for and leaves the other empty.
        await ApiResponse.WriteSuccessAsync(context.Response, static w =>
        {
            w.WriteStartObject();
            WriteEmptyArray(w, "activeTargets"u8);
            WriteEmptyArray(w, "droppedTargets"u8);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task TargetMetadataAsync(HttpContext context, ApiForm form)
    {
        ParseLimit(form);
        var matchTarget = form.Value("match_target");
        if (matchTarget.Length > 0)
        {
            try
            {
                ParseSelector(matchTarget);
            }
            catch (ApiException e)
            {
                throw ApiException.InvalidParameter("match_target", e.Message);
            }
        }
        await ApiResponse.WriteSuccessAsync(context.Response, static w =>
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private async Task RulesAsync(HttpContext context, ApiForm form)
    {
        // Prometheus reads "type" from the URL only, lower-cased.
        var type = (context.Request.Query["type"].FirstOrDefault() ?? "").ToLowerInvariant();
        if (type is not ("" or "alert" or "record"))
        {
            throw ApiException.InvalidParameter("type", $"not supported value {Vigil.Model.LabelText.Quote(type)}");
        }
        await ApiResponse.WriteSuccessAsync(context.Response, static w =>
        {
            w.WriteStartObject();
            WriteEmptyArray(w, "groups"u8);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task AlertsAsync(HttpContext context, ApiForm form)
    {
        await ApiResponse.WriteSuccessAsync(context.Response, static w =>
        {
            w.WriteStartObject();
            WriteEmptyArray(w, "alerts"u8);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task AlertmanagersAsync(HttpContext context, ApiForm form)
    {
        await ApiResponse.WriteSuccessAsync(context.Response, static w =>
        {
            w.WriteStartObject();
            WriteEmptyArray(w, "activeAlertmanagers"u8);
            WriteEmptyArray(w, "droppedAlertmanagers"u8);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Prometheus: a non-empty <c>limit</c> must be an integer (<c>strconv.Atoi</c>).</summary>
    private static long ParseLimit(ApiForm form)
    {
        var text = form.Value("limit");
        if (text.Length == 0)
        {
            return -1;
        }
        if (!GoStrconv.TryAtoi(text, out var limit))
        {
            throw new ApiException(ApiErrorType.BadData, "limit must be a number");
        }
        return limit;
    }

    private static void WriteEmptyArray(Utf8JsonWriter writer, ReadOnlySpan<byte> property)
    {
        writer.WriteStartArray(property);
        writer.WriteEndArray();
    }
}
