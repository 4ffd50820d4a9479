using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Alerting.Alerts;
using Vigil.Alerting.Dispatch;
using Vigil.Alerting.History;
using Vigil.Alerting.Matching;
using Vigil.Alerting.Silencing;
using Vigil.Model;
using Vigil.Server.Hosting;

namespace Vigil.Server.Alerting;

/// <summary>
/// Alertmanager 0.25's HTTP API v2 (<c>/api/v2/status</c>, <c>alerts</c>, <c>alerts/groups</c>, <c>silences</c>,
/// <c>silence/{id}</c>, <c>receivers</c>), the deprecated <c>POST /api/v1/alerts</c> for old senders, and Vigil's
/// own <c>GET /api/v2/history</c>. Shapes, status codes and error texts follow the real Alertmanager so that
/// <c>amtool</c> and Prometheus work against Vigil unchanged.
/// </summary>
public static partial class AlertmanagerApi
{
    /// <summary>The Alertmanager release whose API Vigil serves (reported as <c>versionInfo.version</c>).</summary>
    public const string AlertmanagerApiVersion = "0.25.0";

    /// <summary>Registers the alerting service (with Vigil's receivers unless an <see cref="Vigil.Alerting.Pipeline.INotifierFactory"/> is registered).</summary>
    public static IServiceCollection AddAlerting(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new AlertingService(options, DataDirectory.Prepare(options.DataPath), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            sp.GetService<Vigil.Alerting.Pipeline.INotifierFactory>() ?? new Vigil.Alerting.Receivers.ReceiverNotifierFactory()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertingService>());
        return services;
    }

    /// <summary>Maps the endpoints and subscribes the alerting configuration to <c>/-/reload</c>.</summary>
    public static IEndpointRouteBuilder MapAlertmanagerApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var service = endpoints.ServiceProvider.GetRequiredService<AlertingService>();
        endpoints.ServiceProvider.GetRequiredService<ConfigReloader>().Subscribe((_, _) =>
        {
            service.Reload();
            return Task.CompletedTask;
        });
        var v2 = endpoints.MapGroup("/api/v2");
        v2.MapGet("/status", () => Status(service));
        v2.MapGet("/receivers", () => Json(w =>
        {
            w.WriteStartArray();
            foreach (var r in service.Active.Config.Receivers)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
        v2.MapGet("/alerts", (HttpRequest request) => GetAlerts(service, request));
        v2.MapPost("/alerts", (HttpRequest request) => PostAlertsV2(service, request));
        v2.MapGet("/alerts/groups", (HttpRequest request) => GetAlertGroups(service, request));
        v2.MapGet("/silences", (HttpRequest request) => GetSilences(service, request));
        v2.MapPost("/silences", (HttpRequest request) => PostSilence(service, request));
        v2.MapGet("/silence/{id}", (string id) => GetSilence(service, id));
        v2.MapDelete("/silence/{id}", (string id) => DeleteSilence(service, id));
        v2.MapGet("/history", (HttpRequest request) => GetHistory(service, request));
        endpoints.MapPost("/api/v1/alerts", (HttpRequest request) => PostAlertsV1(service, request));
        return endpoints;
    }

    // ---- status, receivers ----

    private static IResult Status(AlertingService service) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("cluster");
        w.WriteStartArray("peers");
        w.WriteEndArray();
        w.WriteString("status", "disabled");
        w.WriteEndObject();
        w.WriteStartObject("config");
        w.WriteString("original", service.Active.Original);
        w.WriteEndObject();
        w.WriteString("uptime", AlertmanagerJson.Time(service.Started));
        w.WriteStartObject("versionInfo");
        // The version is the Alertmanager API Vigil implements (amtool warns when it differs from its own); the
        // revision names Vigil's build.
        w.WriteString("branch", "vigil");
        w.WriteString("buildDate", "");
        w.WriteString("buildUser", "vigil");
        w.WriteString("goVersion", "dotnet" + BuildInfo.RuntimeVersion);
        w.WriteString("revision", "vigil-" + BuildInfo.Version + "-" + BuildInfo.Revision);
        w.WriteString("version", AlertmanagerApiVersion);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    // ---- alerts ----

    private static IResult GetAlerts(AlertingService service, HttpRequest request)
    {
        if (!TryAlertQuery(request, out var query, out var error))
        {
            return error;
        }
        var now = service.Time.GetUtcNow();
        var route = service.Active.Route;
        var alerts = service.Store.Snapshot();
        alerts.Sort(static (a, b) => a.Fingerprint.CompareTo(b.Fingerprint));
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var alert in alerts)
            {
                var receivers = route.Match(alert.Labels).Select(static r => r.Options.Receiver).ToList();
                if (query.Receiver is not null && !receivers.Any(query.Receiver.IsMatch))
                {
                    continue;
                }
                if (!Passes(service, query, alert, now, out var status))
                {
                    continue;
                }
                AlertmanagerJson.WriteAlert(w, alert, status, receivers);
            }
            w.WriteEndArray();
        });
    }

    private static IResult GetAlertGroups(AlertingService service, HttpRequest request)
    {
        if (!TryAlertQuery(request, out var query, out var error))
        {
            return error;
        }
        var now = service.Time.GetUtcNow();
        var groups = new List<(AggregationGroup Group, List<Alert> Alerts)>();
        var receiversOf = new Dictionary<ulong, List<string>>();
        foreach (var group in service.Active.Dispatcher.Groups())
        {
            var receiver = group.Route.Options.Receiver;
            if (query.Receiver is not null && !query.Receiver.IsMatch(receiver))
            {
                continue;
            }
            var kept = new List<Alert>();
            foreach (var alert in group.Alerts())
            {
                if (!Passes(service, query, alert, now, out _))
                {
                    continue;
                }
                if (!receiversOf.TryGetValue(alert.Fingerprint, out var list))
                {
                    receiversOf[alert.Fingerprint] = list = [];
                }
                list.Add(receiver);
                kept.Add(alert);
            }
            if (kept.Count > 0)
            {
                kept.Sort(AlertOrder.Instance);
                groups.Add((group, kept));
            }
        }
        groups.Sort(static (a, b) =>
        {
            var c = AlertOrder.LabelSetBefore(a.Group.Labels, b.Group.Labels);
            return c != 0 ? c : string.CompareOrdinal(a.Group.Route.Options.Receiver, b.Group.Route.Options.Receiver);
        });
        foreach (var list in receiversOf.Values)
        {
            list.Sort(StringComparer.Ordinal);
        }
        return Json(w =>
        {
            w.WriteStartArray();
            foreach (var (group, alerts) in groups)
            {
                w.WriteStartObject();
                w.WriteStartArray("alerts");
                foreach (var alert in alerts)
                {
                    AlertmanagerJson.WriteAlert(w, alert, service.Marker.Status(alert.Fingerprint), receiversOf[alert.Fingerprint]);
                }
                w.WriteEndArray();
                AlertmanagerJson.WriteLabels(w, "labels", group.Labels);
                w.WriteStartObject("receiver");
                w.WriteString("name", group.Route.Options.Receiver);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private sealed record AlertQuery(List<Matcher> Filter, Regex? Receiver, bool Active, bool Silenced, bool Inhibited, bool Unprocessed);

    private static bool TryAlertQuery(HttpRequest request, out AlertQuery query, out IResult error)
    {
        query = null!;
        error = null!;
        if (!TryParseFilter(request, out var filter, out var filterError))
        {
            error = Payload(StatusCodes.Status400BadRequest, filterError);
            return false;
        }
        Regex? receiver = null;
        if (request.Query.TryGetValue("receiver", out var r) && r.Count > 0)
        {
            if (!LabelMatcher.TryCreate(LabelMatchType.Regex, "receiver", r[0]!, out _, out _))
            {
                var wrapped = "^(?:" + r[0] + ")$";
                LabelMatcher.TryCreate(LabelMatchType.Regex, "receiver", wrapped, out _, out var reError);
                error = Payload(StatusCodes.Status400BadRequest, "failed to parse receiver param: " + reError);
                return false;
            }
            receiver = new Regex("^(?:" + r[0] + ")$", RegexOptions.CultureInvariant);
        }
        if (!TryBool(request, "active", out var active, out error) || !TryBool(request, "silenced", out var silenced, out error) ||
            !TryBool(request, "inhibited", out var inhibited, out error) || !TryBool(request, "unprocessed", out var unprocessed, out error))
        {
            return false;
        }
        query = new AlertQuery(filter, receiver, active, silenced, inhibited, unprocessed);
        return true;
    }

    private static bool Passes(AlertingService service, AlertQuery query, Alert alert, DateTimeOffset now, out AlertStatus status)
    {
        status = AlertStatus.Unprocessed;
        if (alert.EndsAt != DateTimeOffset.MinValue && alert.EndsAt < now)
        {
            return false;
        }
        service.UpdateStatus(alert.Labels);
        status = service.Marker.Status(alert.Fingerprint);
        if (!query.Active && status.State == AlertState.Active)
        {
            return false;
        }
        if (!query.Unprocessed && status.State == AlertState.Unprocessed)
        {
            return false;
        }
        if (!query.Silenced && status.SilencedBy.Count > 0)
        {
            return false;
        }
        if (!query.Inhibited && status.InhibitedBy.Count > 0)
        {
            return false;
        }
        return MatchesFilter(query.Filter, alert.Labels.Get, name => alert.Labels.Has(name));
    }

    /// <summary>Alertmanager's <c>matchFilterLabels</c>: an empty-valued matcher ignores whether the label is present in the way it asks.</summary>
    internal static bool MatchesFilter(List<Matcher> filter, Func<string, string> value, Func<string, bool> present)
    {
        foreach (var m in filter)
        {
            var has = present(m.Name);
            var v = has ? value(m.Name) : "";
            if (m.Type is LabelMatchType.NotEqual or LabelMatchType.NotRegex)
            {
                if (m.Value.Length == 0 && has)
                {
                    continue;
                }
            }
            else if (m.Value.Length == 0 && !has)
            {
                continue;
            }
            if (!m.Matches(v))
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<IResult> PostAlertsV2(AlertingService service, HttpRequest request)
    {
        List<PostedAlert> posted;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Error(StatusCodes.Status400BadRequest, 400, $"parsing alerts body from \"\" failed, because json: cannot unmarshal {GoJsonKind(doc.RootElement)} into Go value of type models.PostableAlerts");
            }
            if (!TryReadAlerts(doc.RootElement, v2: true, out posted, out var validation))
            {
                return Error(StatusCodes.Status422UnprocessableEntity, 602, validation);
            }
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, 400, $"parsing alerts body from \"\" failed, because {e.Message}");
        }
        var errors = service.Ingestion.Ingest(posted, service.Active.Config.Global.ResolveTimeout);
        return errors.Count > 0 ? Payload(StatusCodes.Status400BadRequest, string.Join("; ", errors)) : Results.Ok();
    }

    private static async Task<IResult> PostAlertsV1(AlertingService service, HttpRequest request)
    {
        List<PostedAlert> posted;
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
            if (doc.RootElement.ValueKind != JsonValueKind.Array || !TryReadAlerts(doc.RootElement, v2: false, out posted, out var validation))
            {
                return V1Error($"json: cannot unmarshal {GoJsonKind(doc.RootElement)} into Go value of type []*types.Alert");
            }
        }
        catch (JsonException e)
        {
            return V1Error(e.Message);
        }
        var errors = service.Ingestion.Ingest(posted, service.Active.Config.Global.ResolveTimeout);
        if (errors.Count > 0)
        {
            return V1Error(string.Join("; ", errors));
        }
        return Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("status", "success");
            w.WriteEndObject();
        });
    }

    private static IResult V1Error(string message) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("status", "error");
        w.WriteString("errorType", "bad_data");
        w.WriteString("error", message);
        w.WriteEndObject();
    }, StatusCodes.Status400BadRequest);

    private static bool TryReadAlerts(JsonElement array, bool v2, out List<PostedAlert> posted, out string error)
    {
        posted = [];
        error = "";
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"json: cannot unmarshal {GoJsonKind(item)} into Go value of type models.PostableAlert");
            }
            var labels = new List<Label>();
            if (item.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in l.EnumerateObject())
                {
                    labels.Add(new Label(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new JsonException($"json: cannot unmarshal {GoJsonKind(p.Value)} into Go value of type string")));
                }
            }
            else if (v2)
            {
                error = $"{index.ToString(CultureInfo.InvariantCulture)}.labels in body is required";
                return false;
            }
            var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (item.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in a.EnumerateObject())
                {
                    annotations[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new JsonException($"json: cannot unmarshal {GoJsonKind(p.Value)} into Go value of type string");
                }
            }
            var generator = item.TryGetProperty("generatorURL", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()! : "";
            posted.Add(new PostedAlert(LabelsWithoutEmpty(labels), annotations, ReadTime(item, "startsAt"), ReadTime(item, "endsAt"), generator));
            index++;
        }
        return true;
    }

    // Alertmanager removes labels with empty values before validating; duplicate names cannot occur in a JSON object it decodes (the last wins).
    private static Labels LabelsWithoutEmpty(List<Label> labels)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var l in labels)
        {
            byName[l.Name] = l.Value;
        }
        return Labels.From(byName.Select(static p => new Label(p.Key, p.Value)));
    }

    private static DateTimeOffset ReadTime(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var t) || t.ValueKind == JsonValueKind.Null)
        {
            return DateTimeOffset.MinValue;
        }
        if (t.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            // Go's zero time (0001-01-01T00:00:00Z) means "not set".
            return parsed.UtcDateTime == DateTime.MinValue ? DateTimeOffset.MinValue : parsed;
        }
        throw new JsonException($"parsing time {t.GetRawText()} as \"2006-01-02T15:04:05Z07:00\": cannot parse {t.GetRawText()} as \"2006\"");
    }

    private static string GoJsonKind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    // ---- helpers ----

    private static bool TryParseFilter(HttpRequest request, out List<Matcher> matchers, out string error)
    {
        matchers = [];
        error = "";
        foreach (var text in request.Query["filter"])
        {
            if (!MatcherParser.TryParseMatcher(text ?? "", out var m, out var e))
            {
                error = e;
                return false;
            }
            matchers.Add(m);
        }
        return true;
    }

    private static bool TryBool(HttpRequest request, string name, out bool value, out IResult error)
    {
        value = true;
        error = null!;
        if (!request.Query.TryGetValue(name, out var v) || v.Count == 0)
        {
            return true;
        }
        switch (v[0]!.ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "y" or "on" or "selected" or "checked" or "ok":
                value = true;
                return true;
            case "false" or "0" or "no" or "n" or "off" or "":
                value = false;
                return true;
            default:
                error = Error(StatusCodes.Status400BadRequest, 601, $"{name} in query must be of type bool: \"{v[0]}\"");
                return false;
        }
    }

    // Quotes as \" (not \u0022) like Go's encoder, so error strings read the same as Alertmanager's.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static IResult Json(Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            write(w);
        }
        buffer.WriteByte((byte)'\n');
        var bytes = buffer.ToArray();
        return status == StatusCodes.Status200OK ? Results.Bytes(bytes, "application/json") : new JsonBytesResult(bytes, status);
    }

    /// <summary>A go-swagger string payload (<c>"message"</c>).</summary>
    internal static IResult Payload(int status, string message) => Json(w => w.WriteStringValue(message), status);

    /// <summary>A go-openapi error (<c>{"code":602,"message":"..."}</c>).</summary>
    internal static IResult Error(int status, int code, string message) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
    }, status);

    private sealed class JsonBytesResult(byte[] bytes, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            return httpContext.Response.Body.WriteAsync(bytes).AsTask();
        }
    }
}
