using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Vigil.Model;
using Vigil.Server.Hosting;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil serve</c>: runs the server. Flags carry Prometheus's names, so a Prometheus user's habits
/// (and systemd units) carry over: <c>--web.listen-address</c>, <c>--storage.tsdb.path</c>, <c>--config.file</c> ...
/// </summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var listen = new Option<string>("--web.listen-address")
        {
            Description = "Address to listen on for the UI, API and telemetry (host:port; \":9090\" listens on every interface).",
            DefaultValueFactory = _ => ListenAddress.Default.ToString(),
        };
        var dataPath = new Option<string>("--storage.tsdb.path")
        {
            Description = "Base path for metrics storage.",
            DefaultValueFactory = _ => "data/",
        };
        var configFile = new Option<string?>("--config.file")
        {
            Description = "Vigil/Prometheus configuration file path. Without it Vigil runs on embedded defaults.",
        };
        var retentionTime = new Option<string>("--storage.tsdb.retention.time")
        {
            Description = "How long to retain samples in storage (units: y, w, d, h, m, s, ms).",
            DefaultValueFactory = _ => "15d",
        };
        var retentionSize = new Option<string>("--storage.tsdb.retention.size")
        {
            Description = "Maximum number of bytes of storage blocks to retain (units: B, KB, MB, GB, TB, PB, EB; 0 = no limit).",
            DefaultValueFactory = _ => "0",
        };
        var lifecycle = new Option<bool>("--web.enable-lifecycle")
        {
            Description = "Enable shutdown and reload via HTTP request (POST /-/quit, POST /-/reload).",
        };
        var logLevel = new Option<string>("--log.level")
        {
            Description = "Only log messages with the given severity or above. One of: [debug, info, warn, error].",
            DefaultValueFactory = _ => "info",
        };
        logLevel.AcceptOnlyFromAmong("debug", "info", "warn", "error");
        var queryTimeout = new Option<string>("--query.timeout")
        {
            Description = "Maximum time a query may take before being aborted.",
            DefaultValueFactory = _ => "2m",
        };
        var queryMaxSamples = new Option<int>("--query.max-samples")
        {
            Description = "Maximum number of samples a single query can load into memory. Note that queries will fail if they try to load more samples than this into memory, so this also limits the number of samples a query can return.",
            DefaultValueFactory = _ => 50_000_000,
        };
        var queryMaxConcurrency = new Option<int>("--query.max-concurrency")
        {
            Description = "Maximum number of queries executed concurrently.",
            DefaultValueFactory = _ => 20,
        };
        var queryLookbackDelta = new Option<string>("--query.lookback-delta")
        {
            Description = "The maximum lookback duration for retrieving metrics during expression evaluations and federation.",
            DefaultValueFactory = _ => "5m",
        };
        var adminApi = new Option<bool>("--web.enable-admin-api")
        {
            Description = "Enable API endpoints for admin control actions (/api/v1/admin/tsdb/delete_series, /api/v1/admin/tsdb/snapshot).",
        };

        var remoteWriteReceiver = new Option<bool>("--web.enable-remote-write-receiver")
        {
            Description = "Accept remote-write requests on /api/v1/write (Prometheus remote write 1.0: snappy-compressed protobuf).",
        };

        var otlpReceiver = new Option<bool>("--web.enable-otlp-receiver")
        {
            Description = "Accept OTLP/HTTP metrics on /api/v1/otlp/v1/metrics (protobuf or JSON, optionally gzip; like Prometheus's --enable-feature=otlp-write-receiver).",
        };

        var alertmanagerConfig = new Option<string?>("--alertmanager.config.file")
        {
            Description = "Alertmanager 0.25 configuration file for the built-in alerting pipeline (API v2 under /api/v2). Without it a minimal configuration (one receiver that notifies nobody) is used.",
        };

        var rulesOutageTolerance = new Option<string>("--rules.alert.for-outage-tolerance")
        {
            Description = "Max time to tolerate Vigil outage for restoring \"for\" state of alert.",
            DefaultValueFactory = _ => "1h",
        };
        var rulesGracePeriod = new Option<string>("--rules.alert.for-grace-period")
        {
            Description = "Minimum duration between alert and restored \"for\" state. This is maintained only for alerts with configured \"for\" time greater than grace period.",
            DefaultValueFactory = _ => "10m",
        };
        var rulesResendDelay = new Option<string>("--rules.alert.resend-delay")
        {
            Description = "Minimum amount of time to wait before resending an alert to Alertmanager.",
            DefaultValueFactory = _ => "1m",
        };

        var sloFiles = new Option<string[]>("--slo.file")
        {
            Description = "SLO spec file (vigil/v1, docs/slo.md) compiled in-process to rule groups evaluated alongside the configuration's rule_files and reloaded with them. Repeatable; relative to the working directory; wildcards in the file name. A spec error stops start-up.",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("serve", "Run the Vigil server: the TSDB in --storage.tsdb.path, the Prometheus HTTP API (/api/v1), the management endpoints (/-/healthy, /-/ready, /-/quit, /-/reload) and Vigil's own /metrics.")
        {
            listen, dataPath, configFile, retentionTime, retentionSize, lifecycle, logLevel,
            queryTimeout, queryMaxSamples, queryMaxConcurrency, queryLookbackDelta, adminApi, remoteWriteReceiver, otlpReceiver, alertmanagerConfig,
            rulesOutageTolerance, rulesGracePeriod, rulesResendDelay, sloFiles,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ListenAddress.TryParse(parse.GetValue(listen), out var address, out var listenError))
            {
                return Fail(error, $"--web.listen-address: {listenError}");
            }
            if (!PromDuration.TryParse(parse.GetValue(retentionTime), out var retention, out var durationError))
            {
                return Fail(error, $"--storage.tsdb.retention.time: {durationError}");
            }
            if (!ByteSize.TryParse(parse.GetValue(retentionSize), out var sizeBytes, out var sizeError))
            {
                return Fail(error, $"--storage.tsdb.retention.size: {sizeError}");
            }
            if (!PromDuration.TryParse(parse.GetValue(queryTimeout), out var timeout, out var timeoutError) || timeout <= TimeSpan.Zero)
            {
                return Fail(error, $"--query.timeout: {timeoutError ?? "must be positive"}");
            }
            if (!PromDuration.TryParse(parse.GetValue(queryLookbackDelta), out var lookback, out var lookbackError) || lookback <= TimeSpan.Zero)
            {
                return Fail(error, $"--query.lookback-delta: {lookbackError ?? "must be positive"}");
            }
            if (!PromDuration.TryParse(parse.GetValue(rulesOutageTolerance), out var outageTolerance, out var outageError))
            {
                return Fail(error, $"--rules.alert.for-outage-tolerance: {outageError}");
            }
            if (!PromDuration.TryParse(parse.GetValue(rulesGracePeriod), out var gracePeriod, out var graceError))
            {
                return Fail(error, $"--rules.alert.for-grace-period: {graceError}");
            }
            if (!PromDuration.TryParse(parse.GetValue(rulesResendDelay), out var resendDelay, out var resendError))
            {
                return Fail(error, $"--rules.alert.resend-delay: {resendError}");
            }
            if (parse.GetValue(queryMaxConcurrency) < 1)
            {
                return Fail(error, "--query.max-concurrency: must be at least 1");
            }
            var options = new ServerOptions
            {
                ListenAddress = address,
                DataPath = parse.GetValue(dataPath) ?? "data/",
                ConfigFile = parse.GetValue(configFile),
                RetentionTime = retention,
                RetentionSizeBytes = sizeBytes,
                EnableLifecycle = parse.GetValue(lifecycle),
                QueryTimeout = timeout,
                QueryMaxSamples = parse.GetValue(queryMaxSamples),
                QueryMaxConcurrency = parse.GetValue(queryMaxConcurrency),
                QueryLookbackDelta = lookback,
                EnableAdminApi = parse.GetValue(adminApi),
                EnableRemoteWriteReceiver = parse.GetValue(remoteWriteReceiver),
                EnableOtlpReceiver = parse.GetValue(otlpReceiver),
                AlertmanagerConfigFile = parse.GetValue(alertmanagerConfig),
                RulesForOutageTolerance = outageTolerance,
                RulesForGracePeriod = gracePeriod,
                RulesResendDelay = resendDelay,
                SloFiles = parse.GetValue(sloFiles) ?? [],
                LogLevel = parse.GetValue(logLevel) switch
                {
                    "debug" => LogLevel.Debug,
                    "warn" => LogLevel.Warning,
                    "error" => LogLevel.Error,
                    _ => LogLevel.Information,
                },
            };

            WebApplication app;
            try
            {
                app = VigilHost.Build(options);
            }
            catch (StartupException e)
            {
                return Fail(error, e.Message);
            }
            await using (app.ConfigureAwait(false))
            {
                try
                {
                    await app.RunAsync().ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    // Kestrel reports a taken port as an IOException: say which flag to change.
                    return Fail(error, $"cannot listen on {address} (--web.listen-address): {e.Message}");
                }
            }
            _ = output;
            _ = cancellationToken;
            return VigilCommand.Ok;
        });
        return command;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"vigil: error: {message}");
        return VigilCommand.Failed;
    }
}
