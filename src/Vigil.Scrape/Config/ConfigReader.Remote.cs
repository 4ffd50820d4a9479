using Vigil.Yaml;

namespace Vigil.Scrape.Config;

internal sealed partial class ConfigReader
{
    // Prometheus's reservedHeaders (lower case); Authorization has its own message.
    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-encoding", "content-length", "content-type", "user-agent", "connection", "keep-alive",
        "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding",
        "x-prometheus-remote-write-version", "x-prometheus-remote-read-version", "x-amz-date", "x-amz-security-token",
        "x-amz-content-sha256",
    };

    private AlertingConfig Alerting(YamlNode node)
    {
        var alerting = new AlertingConfig();
        Fields(node, "config.plain", (key, value) =>
        {
            switch (key)
            {
                case "alert_relabel_configs": alerting.AlertRelabelConfigs = RelabelConfigs(value, "empty or null alert relabeling rule"); return true;
                case "alertmanagers": alerting.Alertmanagers = Seq(value, "[]*config.AlertmanagerConfig", "empty or null alertmanager config", Alertmanager); return true;
                default: return false;
            }
        });
        return alerting;
    }

    private AlertmanagerConfig? Alertmanager(YamlNode node)
    {
        var config = new AlertmanagerConfig();
        var http = new HttpClientFields();
        var discovery = new DiscoveryFields();
        YamlNode? versionNode = null;
        Fields(node, "config.AlertmanagerConfig", (key, value) =>
        {
            switch (key)
            {
                case "scheme": config.Scheme = Str(value); return true;
                case "path_prefix": config.PathPrefix = Str(value); return true;
                case "timeout": config.Timeout = Duration(value, config.Timeout); return true;
                case "api_version": config.ApiVersion = Str(value); versionNode = value; return true;
                case "relabel_configs": config.RelabelConfigs = RelabelConfigs(value, "empty or null Alertmanager target relabeling rule"); return true;
                default: return HttpClientField(http, key, value) || DiscoveryField(discovery, key, value);
            }
        });
        config.HttpClient = FinishHttpClient(http, node);
        config.Discovery = discovery.Finish();
        if (config.ApiVersion.Length == 0)
        {
            config.ApiVersion = "v2";
        }
        if (config.ApiVersion is not ("v1" or "v2"))
        {
            Error(versionNode ?? node, $"expected Alertmanager api version to be one of [v1 v2] but got {config.ApiVersion}");
        }
        return config;
    }

    private RemoteWriteConfig? RemoteWrite(YamlNode node)
    {
        var config = new RemoteWriteConfig();
        var http = new HttpClientFields();
        YamlNode? headersNode = null;
        Uri? url = null;
        Fields(node, "config.plain", (key, value) =>
        {
            switch (key)
            {
                case "url": url = Url(value); return true;
                case "remote_timeout": config.RemoteTimeout = Duration(value, config.RemoteTimeout); return true;
                case "headers": config.Headers = StrMap(value); headersNode = value; return true;
                case "write_relabel_configs": config.WriteRelabelConfigs = RelabelConfigs(value, "empty or null relabeling rule in remote write config"); return true;
                case "name": config.Name = Str(value); return true;
                case "send_exemplars": config.SendExemplars = Bool(value, false); return true;
                case "send_native_histograms": config.SendNativeHistograms = Bool(value, false); return true;
                case "queue_config": config.Queue = Queue(value); return true;
                case "metadata_config": config.Metadata = Metadata(value); return true;
                default: return HttpClientField(http, key, value);
            }
        });
        config.HttpClient = FinishHttpClient(http, node);
        if (url is null)
        {
            if (!Errors.Exists(e => e.Line >= node.Line && e.Message.StartsWith("parse ", StringComparison.Ordinal)))
            {
                Error(node, "url for remote_write is empty");
            }
        }
        else
        {
            config.Url = url;
        }
        CheckHeaders(config.Headers, headersNode ?? node);
        return config;
    }

    private void CheckHeaders(IReadOnlyDictionary<string, string> headers, YamlNode node)
    {
        foreach (var name in headers.Keys)
        {
            if (string.Equals(name, "authorization", StringComparison.OrdinalIgnoreCase))
            {
                Error(node, "authorization header must be changed via the basic_auth, authorization, oauth2, or sigv4 parameter");
            }
            else if (s_reservedHeaders.Contains(name))
            {
                Error(node, $"{name} is a reserved header. It must not be changed");
            }
        }
    }

    private QueueConfig Queue(YamlNode node)
    {
        var queue = new QueueConfig();
        Fields(node, "config.QueueConfig", (key, value) =>
        {
            switch (key)
            {
                case "capacity": queue.Capacity = Int(value); return true;
                case "max_shards": queue.MaxShards = Int(value); return true;
                case "min_shards": queue.MinShards = Int(value); return true;
                case "max_samples_per_send": queue.MaxSamplesPerSend = Int(value); return true;
                case "batch_send_deadline": queue.BatchSendDeadline = Duration(value, queue.BatchSendDeadline); return true;
                case "min_backoff": queue.MinBackoff = Duration(value, queue.MinBackoff); return true;
                case "max_backoff": queue.MaxBackoff = Duration(value, queue.MaxBackoff); return true;
                case "retry_on_http_429": queue.RetryOnRateLimit = Bool(value, false); return true;
                default: return false;
            }
        });
        return queue;
    }

    private MetadataConfig Metadata(YamlNode node)
    {
        var metadata = new MetadataConfig();
        Fields(node, "config.MetadataConfig", (key, value) =>
        {
            switch (key)
            {
                case "send": metadata.Send = Bool(value, true); return true;
                case "send_interval": metadata.SendInterval = Duration(value, metadata.SendInterval); return true;
                case "max_samples_per_send": metadata.MaxSamplesPerSend = Int(value); return true;
                default: return false;
            }
        });
        return metadata;
    }

    private RemoteReadConfig? RemoteRead(YamlNode node)
    {
        var config = new RemoteReadConfig();
        var http = new HttpClientFields();
        YamlNode? headersNode = null;
        Uri? url = null;
        Fields(node, "config.plain", (key, value) =>
        {
            switch (key)
            {
                case "url": url = Url(value); return true;
                case "remote_timeout": config.RemoteTimeout = Duration(value, config.RemoteTimeout); return true;
                case "headers": config.Headers = StrMap(value); headersNode = value; return true;
                case "name": config.Name = Str(value); return true;
                case "required_matchers": config.RequiredMatchers = StrMap(value); return true;
                case "read_recent": config.ReadRecent = Bool(value, false); return true;
                case "filter_external_labels": config.FilterExternalLabels = Bool(value, true); return true;
                default: return HttpClientField(http, key, value);
            }
        });
        config.HttpClient = FinishHttpClient(http, node);
        if (url is null)
        {
            if (!Errors.Exists(e => e.Line >= node.Line && e.Message.StartsWith("parse ", StringComparison.Ordinal)))
            {
                Error(node, "url for remote_read is empty");
            }
        }
        else
        {
            config.Url = url;
        }
        CheckHeaders(config.Headers, headersNode ?? node);
        return config;
    }

    private StorageConfig Storage(YamlNode node)
    {
        var storage = new StorageConfig();
        Fields(node, "config.StorageConfig", (key, value) =>
        {
            switch (key)
            {
                case "tsdb":
                    Fields(value, "config.TSDBConfig", (k, v) =>
                    {
                        if (k != "out_of_order_time_window")
                        {
                            return false;
                        }
                        storage.OutOfOrderTimeWindow = Duration(v, TimeSpan.Zero);
                        return true;
                    });
                    return true;
                case "exemplars":
                    Fields(value, "config.ExemplarsConfig", (k, v) =>
                    {
                        if (k != "max_exemplars")
                        {
                            return false;
                        }
                        storage.MaxExemplars = (long)UInt(v, "int64");
                        return true;
                    });
                    return true;
                default: return false;
            }
        });
        return storage;
    }

    private TracingConfig Tracing(YamlNode node)
    {
        var tracing = new TracingConfig();
        YamlNode? typeNode = null;
        Fields(node, "config.plain", (key, value) =>
        {
            switch (key)
            {
                case "endpoint": tracing.Endpoint = Str(value); return true;
                case "client_type": tracing.ClientType = Str(value); typeNode = value; return true;
                case "sampling_fraction": tracing.SamplingFraction = Float(value); return true;
                case "insecure": tracing.Insecure = Bool(value, false); return true;
                case "headers": tracing.Headers = StrMap(value); return true;
                case "compression": tracing.Compression = Str(value); return true;
                case "timeout": tracing.Timeout = Duration(value, tracing.Timeout); return true;
                case "tls_config": tracing.Tls = Tls(value); return true;
                default: return false;
            }
        });
        if (tracing.ClientType.Length == 0)
        {
            tracing.ClientType = "grpc";
        }
        if (tracing.ClientType is not ("grpc" or "http"))
        {
            Error(typeNode ?? node, $"expected tracing client type to be to be http or grpc, but got {tracing.ClientType}");
        }
        return tracing;
    }
}
