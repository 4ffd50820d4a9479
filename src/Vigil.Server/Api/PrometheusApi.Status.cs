using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Model;
using Vigil.Server.Hosting;

using Vigil.Server.Scrape;

namespace Vigil.Server.Api;

/// <summary><c>status/buildinfo</c>, <c>status/config</c>, <c>status/flags</c>, <c>status/runtimeinfo</c>, <c>status/tsdb</c>.</summary>
public sealed partial class PrometheusApi
{
    private async Task BuildInfoAsync(HttpContext context, ApiForm form)
    {
        // Prometheus's fields, nothing more: a "features" map would make Grafana treat Vigil as Mimir.
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("version"u8, BuildInfo.Version);
            w.WriteString("revision"u8, BuildInfo.Revision);
            w.WriteString("branch"u8, AssemblyMetadata("Branch"));
            w.WriteString("buildUser"u8, AssemblyMetadata("BuildUser"));
            w.WriteString("buildDate"u8, AssemblyMetadata("BuildDate"));
            w.WriteString("goVersion"u8, "dotnet" + BuildInfo.RuntimeVersion);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>A build fact stamped into the assembly as <c>[AssemblyMetadata(key, value)]</c>, or "" (as Go leaves an unset ldflag).</summary>
    private static string AssemblyMetadata(string key)
    {
        foreach (var a in typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (a.Key == key)
            {
                return a.Value ?? "";
            }
        }
        return "";
    }

    private async Task ConfigAsync(HttpContext context, ApiForm form)
    {
        var yaml = _config.Yaml;
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("yaml"u8, yaml);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The flags <c>vigil serve</c> ran with, by Prometheus's names, as strings (sorted, like Go's map encoding).</summary>
    public SortedDictionary<string, string> Flags()
    {
        var o = _options;
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["config.file"] = o.ConfigFile ?? "",
            ["log.level"] = o.LogLevel switch
            {
                LogLevel.Trace or LogLevel.Debug => "debug",
                LogLevel.Warning => "warn",
                LogLevel.Error or LogLevel.Critical => "error",
                _ => "info",
            },
            ["query.lookback-delta"] = PromDuration.Format(o.QueryLookbackDelta),
            ["query.max-concurrency"] = o.QueryMaxConcurrency.ToString(CultureInfo.InvariantCulture),
            ["query.max-samples"] = o.QueryMaxSamples.ToString(CultureInfo.InvariantCulture),
            ["query.timeout"] = PromDuration.Format(o.QueryTimeout),
            ["storage.tsdb.path"] = o.DataPath,
            ["storage.tsdb.retention.size"] = ByteSize.Format(o.RetentionSizeBytes),
            ["storage.tsdb.retention.time"] = PromDuration.Format(o.RetentionTime),
            ["web.enable-admin-api"] = o.EnableAdminApi ? "true" : "false",
            ["web.enable-lifecycle"] = o.EnableLifecycle ? "true" : "false",
            ["web.enable-otlp-receiver"] = o.EnableOtlpReceiver ? "true" : "false",
            ["web.enable-remote-write-receiver"] = o.EnableRemoteWriteReceiver ? "true" : "false",
            ["web.listen-address"] = o.ListenAddress.ToString(),
        };
    }

    private async Task FlagsAsync(HttpContext context, ApiForm form)
    {
        var flags = Flags();
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in flags)
            {
                w.WriteString(name, value);
            }
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task RuntimeInfoAsync(HttpContext context, ApiForm form)
    {
        var config = _config;
        var retention = "";
        if (_options.RetentionTime > TimeSpan.Zero)
        {
            retention = PromDuration.Format(_options.RetentionTime);
        }
        if (_options.RetentionSizeBytes > 0)
        {
            retention = (retention.Length > 0 ? retention + " or " : "") + ByteSize.Format(_options.RetentionSizeBytes);
        }
        // The last reload's outcome, as prometheus_config_last_reload_successful reports it.
        var reloadSuccess = context.RequestServices.GetService<ScrapeService>()?.LastReloadSuccessful ?? true;
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("startTime"u8, FormatRfc3339Nano(_startTime));
            w.WriteString("CWD"u8, Environment.CurrentDirectory);
            w.WriteBoolean("reloadConfigSuccess"u8, reloadSuccess);
            w.WriteString("lastConfigTime"u8, FormatRfc3339Nano(config.LoadedAt.AddTicks(-(config.LoadedAt.UtcTicks % TimeSpan.TicksPerSecond))));
            w.WriteNumber("corruptionCount"u8, _db.Wal.RepairedCorruptions);
            // Go's goroutines and GOMAXPROCS have no exact .NET twins: the thread pool's threads and the processor count.
            w.WriteNumber("goroutineCount"u8, ThreadPool.ThreadCount);
            w.WriteNumber("GOMAXPROCS"u8, Environment.ProcessorCount);
            w.WriteString("GOGC"u8, "");
            w.WriteString("GODEBUG"u8, "");
            w.WriteString("storageRetention"u8, retention);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Go's <c>time.RFC3339Nano</c> in UTC: trailing zeros of the fraction dropped, <c>Z</c>.</summary>
    internal static string FormatRfc3339Nano(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private async Task TsdbStatusAsync(HttpContext context, ApiForm form)
    {
        var status = TsdbStatus.Compute(_db.Head, TsdbStatus.DefaultLimit);
        await ApiResponse.WriteSuccessAsync(context.Response, w => status.Write(w)).ConfigureAwait(false);
    }
}
