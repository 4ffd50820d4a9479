using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Model;
using Vigil.Scrape.Manager;
using Vigil.Scrape.Scraping;
using Vigil.Server.Rules;
using Vigil.Server.Scrape;

namespace Vigil.Server.Api;

/// <summary>
/// <c>metadata</c>, <c>targets</c>, <c>targets/metadata</c>, <c>rules</c>, <c>alerts</c>, <c>alertmanagers</c>:
/// Prometheus's parameter checks and answer shapes. Targets and their metadata come from the scrape manager;
/// <c>rules</c> and <c>alerts</c> come from the <see cref="RuleService"/>; Vigil has no notifier yet, so alertmanagers answers with its empty shape.
/// </summary>
public sealed partial class PrometheusApi
{
    /// <summary>
    /// <c>/api/v1/metadata</c>: per metric name, the distinct (type, help, unit) triples the active targets exposed,
    /// as Prometheus's metricMetadata gathers them; <c>metric</c> narrows to one name, <c>limit</c> caps the names.
    /// </summary>
    private async Task MetadataAsync(HttpContext context, ApiForm form)
    {
        var limit = ParseLimit(form);
        var metric = form.Value("metric");
        var manager = context.RequestServices.GetService<ScrapeService>()?.Manager;
        var byMetric = new Dictionary<string, List<(string Type, string Help, string Unit)>>(StringComparer.Ordinal);
        var order = new List<string>();
        if (manager is not null)
        {
            foreach (var md in manager.Metadata())
            {
                if (metric.Length > 0 && md.Metric != metric)
                {
                    continue;
                }
                if (!byMetric.TryGetValue(md.Metric, out var set))
                {
                    byMetric[md.Metric] = set = [];
                    order.Add(md.Metric);
                }
                var entry = (TargetMetadata.TypeName(md.Type), md.Help, md.Unit);
                if (!set.Contains(entry))
                {
                    set.Add(entry);
                }
            }
        }
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartObject();
            var written = 0;
            foreach (var name in order)
            {
                if (limit >= 0 && written >= limit)
                {
                    break;
                }
                w.WriteStartArray(name);
                foreach (var (type, help, unit) in byMetric[name])
                {
                    w.WriteStartObject();
                    w.WriteString("type"u8, type);
                    w.WriteString("help"u8, help);
                    w.WriteString("unit"u8, unit);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                written++;
            }
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task TargetsAsync(HttpContext context, ApiForm form)
    {
        // Prometheus reads "state" from the URL, lower-cased: "" and "any" show both lists, "active" or "dropped"
        // one of them, anything else neither (each list is then empty, not absent).
        var state = (context.Request.Query["state"].FirstOrDefault() ?? "").ToLowerInvariant();
        var showActive = state is "" or "any" or "active";
        var showDropped = state is "" or "any" or "dropped";
        var manager = context.RequestServices.GetService<ScrapeService>()?.Manager;
        IReadOnlyList<TargetStatus> active = showActive && manager is not null ? manager.ActiveTargets() : [];
        IReadOnlyList<DroppedTarget> dropped = showDropped && manager is not null ? manager.DroppedTargets() : [];
        var hostname = Environment.MachineName;
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("activeTargets"u8);
            foreach (var t in active)
            {
                w.WriteStartObject();
                w.WriteStartObject("discoveredLabels"u8);
                QueryResultWriter.WriteLabels(w, t.DiscoveredLabels);
                w.WriteEndObject();
                w.WriteStartObject("labels"u8);
                QueryResultWriter.WriteLabels(w, t.Labels);
                w.WriteEndObject();
                w.WriteString("scrapePool"u8, t.ScrapePool);
                w.WriteString("scrapeUrl"u8, t.ScrapeUrl.OriginalString);
                w.WriteString("globalUrl"u8, GlobalUrl(t.ScrapeUrl, hostname));
                w.WriteString("lastError"u8, t.LastError);
                w.WriteString("lastScrape"u8, t.LastScrape is { } last ? FormatRfc3339Nano(last) : "0001-01-01T00:00:00Z");
                w.WriteNumber("lastScrapeDuration"u8, t.LastScrapeDuration.TotalSeconds);
                w.WriteString("health"u8, TargetHealthNames.Of(t.Health));
                w.WriteString("scrapeInterval"u8, PromDuration.Format(t.ScrapeInterval));
                w.WriteString("scrapeTimeout"u8, PromDuration.Format(t.ScrapeTimeout));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("droppedTargets"u8);
            foreach (var t in dropped)
            {
                w.WriteStartObject();
                w.WriteStartObject("discoveredLabels"u8);
                QueryResultWriter.WriteLabels(w, t.DiscoveredLabels);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Prometheus's <c>globalURL</c>: the scrape URL as another machine would reach it, the host replaced by this
    /// machine's name when it is a loopback or unspecified address (or <c>localhost</c>).
    /// </summary>
    internal static string GlobalUrl(Uri url, string hostname)
    {
        var host = url.Host.Trim('[', ']');
        var local = host == "localhost" || (System.Net.IPAddress.TryParse(host, out var ip) && (System.Net.IPAddress.IsLoopback(ip) || ip.Equals(System.Net.IPAddress.Any) || ip.Equals(System.Net.IPAddress.IPv6Any)));
        if (!local)
        {
            return url.OriginalString;
        }
        var builder = new UriBuilder(url) { Host = hostname };
        return builder.Uri.OriginalString;
    }

    private async Task TargetMetadataAsync(HttpContext context, ApiForm form)
    {
        var limit = ParseLimit(form);
        var matchTarget = form.Value("match_target");
        IReadOnlyList<LabelMatcher>? matchers = null;
        if (matchTarget.Length > 0)
        {
            try
            {
                matchers = ParseSelector(matchTarget);
            }
            catch (ApiException e)
            {
                throw ApiException.InvalidParameter("match_target", e.Message);
            }
        }
        var metric = form.Value("metric");
        var manager = context.RequestServices.GetService<ScrapeService>()?.Manager;
        var result = new List<TargetMetadata>();
        if (manager is not null)
        {
            // As 2.42: the limit is checked before each target, so a target's metadata is never cut in half.
            foreach (var target in manager.ActiveTargets())
            {
                if (limit >= 0 && result.Count >= limit)
                {
                    break;
                }
                if (matchers is not null && !MatchesAll(target.Labels, matchers))
                {
                    continue;
                }
                foreach (var md in manager.Metadata())
                {
                    if (md.Target.Equals(target.Labels) && (metric.Length == 0 || md.Metric == metric))
                    {
                        result.Add(md);
                    }
                }
            }
        }
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartArray();
            foreach (var md in result)
            {
                w.WriteStartObject();
                w.WriteStartObject("target"u8);
                QueryResultWriter.WriteLabels(w, md.Target);
                w.WriteEndObject();
                if (metric.Length == 0)
                {
                    w.WriteString("metric"u8, md.Metric);
                }
                w.WriteString("type"u8, TargetMetadata.TypeName(md.Type));
                w.WriteString("help"u8, md.Help);
                w.WriteString("unit"u8, md.Unit);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static bool MatchesAll(Labels labels, IReadOnlyList<LabelMatcher> matchers)
    {
        foreach (var m in matchers)
        {
            if (!m.Matches(labels.Get(m.Name)))
            {
                return false;
            }
        }
        return true;
    }

    private async Task RulesAsync(HttpContext context, ApiForm form)
    {
        // Prometheus reads "type" from the URL only, lower-cased.
        var type = (context.Request.Query["type"].FirstOrDefault() ?? "").ToLowerInvariant();
        if (type is not ("" or "alert" or "record"))
        {
            throw ApiException.InvalidParameter("type", $"not supported value {Vigil.Model.LabelText.Quote(type)}");
        }
        var rules = context.RequestServices.GetService<RuleService>()?.Manager;
        await ApiResponse.WriteSuccessAsync(context.Response, w => RulesApiWriter.WriteRules(w, rules, type)).ConfigureAwait(false);
    }

    private async Task AlertsAsync(HttpContext context, ApiForm form)
    {
        var rules = context.RequestServices.GetService<RuleService>()?.Manager;
        await ApiResponse.WriteSuccessAsync(context.Response, w => RulesApiWriter.WriteAlerts(w, rules)).ConfigureAwait(false);
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
