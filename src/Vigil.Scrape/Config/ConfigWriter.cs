using System.Globalization;
using Vigil.Model;
using Vigil.Model.Relabel;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vigil.Scrape.Config;

/// <summary>
/// Writes a loaded configuration back as YAML, defaults filled in and every secret replaced by <c>&lt;secret&gt;</c>,
/// in the field order and shape of Prometheus's <c>/api/v1/status/config</c> (empty fields left out).
/// </summary>
public static class ConfigWriter
{
    /// <summary>The configuration as YAML text.</summary>
    public static string Write(PrometheusConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        var y = new Writer(new Emitter(text));
        y.Begin();
        y.Key("global");
        y.Map(() => Global(y, config.Global));
        if (config.Alerting.AlertRelabelConfigs.Count > 0 || config.Alerting.Alertmanagers.Count > 0)
        {
            y.Key("alerting");
            y.Map(() =>
            {
                Relabels(y, "alert_relabel_configs", config.Alerting.AlertRelabelConfigs);
                y.List("alertmanagers", config.Alerting.Alertmanagers, am => Alertmanager(y, am));
            });
        }
        y.Strings("rule_files", config.RuleFiles);
        y.List("scrape_configs", config.ScrapeConfigs, s => Scrape(y, s));
        if (config.Storage.OutOfOrderTimeWindow != TimeSpan.Zero || config.Storage.MaxExemplars != new StorageConfig().MaxExemplars)
        {
            y.Key("storage");
            y.Map(() =>
            {
                y.Key("tsdb");
                y.Map(() => y.Duration("out_of_order_time_window", config.Storage.OutOfOrderTimeWindow, always: true));
                y.Key("exemplars");
                y.Map(() => y.Number("max_exemplars", config.Storage.MaxExemplars));
            });
        }
        if (config.Tracing.Endpoint.Length > 0)
        {
            y.Key("tracing");
            y.Map(() =>
            {
                y.Str("client_type", config.Tracing.ClientType);
                y.Str("endpoint", config.Tracing.Endpoint);
                y.Number("sampling_fraction", config.Tracing.SamplingFraction);
                y.Bool("insecure", config.Tracing.Insecure, omitFalse: true);
                y.Strings("headers", config.Tracing.Headers);
                y.Str("compression", config.Tracing.Compression);
                y.Duration("timeout", config.Tracing.Timeout);
                Tls(y, config.Tracing.Tls);
            });
        }
        y.List("remote_write", config.RemoteWrite, rw => RemoteWrite(y, rw));
        y.List("remote_read", config.RemoteRead, rr => RemoteRead(y, rr));
        y.End();
        return text.ToString();
    }

    private static void Global(Writer y, GlobalConfig g)
    {
        y.Duration("scrape_interval", g.ScrapeInterval);
        y.Duration("scrape_timeout", g.ScrapeTimeout);
        y.Duration("evaluation_interval", g.EvaluationInterval);
        y.Str("query_log_file", g.QueryLogFile);
        y.Labels("external_labels", g.ExternalLabels);
    }

    private static void Scrape(Writer y, ScrapeConfig s)
    {
        y.Str("job_name", s.JobName);
        y.Bool("honor_labels", s.HonorLabels, omitFalse: true);
        y.Bool("honor_timestamps", s.HonorTimestamps, omitFalse: false);
        if (s.Params.Count > 0)
        {
            y.Key("params");
            y.Map(() =>
            {
                foreach (var (name, values) in s.Params)
                {
                    y.Strings(name, values, alwaysWrite: true);
                }
            });
        }
        y.Duration("scrape_interval", s.ScrapeInterval);
        y.Duration("scrape_timeout", s.ScrapeTimeout);
        y.Str("metrics_path", s.MetricsPath);
        y.Str("scheme", s.Scheme);
        if (s.BodySizeLimit > 0)
        {
            y.Str("body_size_limit", ByteSize.Format(s.BodySizeLimit));
        }
        y.Number("sample_limit", s.SampleLimit);
        y.Number("target_limit", s.TargetLimit);
        y.Number("label_limit", s.LabelLimit);
        y.Number("label_name_length_limit", s.LabelNameLengthLimit);
        y.Number("label_value_length_limit", s.LabelValueLengthLimit);
        HttpClient(y, s.HttpClient);
        Discovery(y, s.Discovery);
        Relabels(y, "relabel_configs", s.RelabelConfigs);
        Relabels(y, "metric_relabel_configs", s.MetricRelabelConfigs);
    }

    private static void HttpClient(Writer y, HttpClientConfig h)
    {
        if (h.BasicAuth is { } basic)
        {
            y.Key("basic_auth");
            y.Map(() =>
            {
                y.Str("username", basic.Username);
                y.Secret("password", basic.Password);
                y.Str("password_file", basic.PasswordFile);
            });
        }
        if (h.Authorization is { } auth)
        {
            y.Key("authorization");
            y.Map(() =>
            {
                y.Str("type", auth.Type);
                y.Secret("credentials", auth.Credentials);
                y.Str("credentials_file", auth.CredentialsFile);
            });
        }
        Tls(y, h.Tls);
        y.Str("proxy_url", h.ProxyUrl);
        y.Bool("follow_redirects", h.FollowRedirects, omitFalse: false);
        y.Bool("enable_http2", h.EnableHttp2, omitFalse: false);
    }

    private static void Tls(Writer y, TlsConfig tls)
    {
        y.Key("tls_config");
        y.Map(() =>
        {
            y.Str("ca_file", tls.CaFile);
            y.Str("cert_file", tls.CertFile);
            y.Str("key_file", tls.KeyFile);
            y.Str("server_name", tls.ServerName);
            y.Bool("insecure_skip_verify", tls.InsecureSkipVerify, omitFalse: false);
            y.Str("min_version", tls.MinVersion);
        });
    }

    private static void Discovery(Writer y, DiscoveryConfigs d)
    {
        y.List("dns_sd_configs", d.Dns, c =>
        {
            y.Strings("names", c.Names);
            y.Duration("refresh_interval", c.RefreshInterval);
            y.Str("type", c.Type);
            y.Number("port", c.Port);
        });
        y.List("file_sd_configs", d.File, c =>
        {
            y.Strings("files", c.Files);
            y.Duration("refresh_interval", c.RefreshInterval);
        });
        y.List("http_sd_configs", d.Http, c =>
        {
            HttpClient(y, c.HttpClient);
            y.Duration("refresh_interval", c.RefreshInterval);
            y.Str("url", c.Url.OriginalString);
        });
        y.List("kubernetes_sd_configs", d.Kubernetes, c =>
        {
            y.Str("api_server", c.ApiServer?.OriginalString ?? "");
            y.Str("role", c.Role);
            y.Str("kubeconfig_file", c.KubeconfigFile);
            HttpClient(y, c.HttpClient);
            y.Key("namespaces");
            y.Map(() =>
            {
                y.Bool("own_namespace", c.OwnNamespace, omitFalse: false);
                y.Strings("names", c.Namespaces);
            });
            y.List("selectors", c.Selectors, s =>
            {
                y.Str("role", s.Role);
                y.Str("label", s.Label);
                y.Str("field", s.Field);
            });
            if (c.AttachNodeMetadata)
            {
                y.Key("attach_metadata");
                y.Map(() => y.Bool("node", true, omitFalse: false));
            }
        });
        y.List("static_configs", d.Static, g =>
        {
            y.Strings("targets", g.Targets, alwaysWrite: true);
            y.Labels("labels", g.Labels);
        });
    }

    private static void Relabels(Writer y, string key, IReadOnlyList<RelabelConfig> rules)
        => y.List(key, rules, r =>
        {
            if (r.SourceLabels.Count > 0)
            {
                y.Key("source_labels");
                y.FlowStrings(r.SourceLabels);
            }
            y.Str("separator", r.Separator);
            y.Str("regex", r.Regex.Source);
            y.Number("modulus", r.Modulus);
            y.Str("target_label", r.TargetLabel);
            y.Str("replacement", r.Replacement);
            y.Str("action", r.Action.ToName());
        });

    private static void Alertmanager(Writer y, AlertmanagerConfig am)
    {
        HttpClient(y, am.HttpClient);
        y.Str("scheme", am.Scheme);
        y.Str("path_prefix", am.PathPrefix);
        y.Duration("timeout", am.Timeout);
        y.Str("api_version", am.ApiVersion);
        Discovery(y, am.Discovery);
        Relabels(y, "relabel_configs", am.RelabelConfigs);
    }

    private static void RemoteWrite(Writer y, RemoteWriteConfig rw)
    {
        y.Str("url", rw.Url.OriginalString);
        y.Duration("remote_timeout", rw.RemoteTimeout);
        // Header values may carry tokens (tenant headers, API keys): Prometheus masks them too.
        if (rw.Headers.Count > 0)
        {
            y.Key("headers");
            y.Map(() =>
            {
                foreach (var name in rw.Headers.Keys.Order(StringComparer.Ordinal))
                {
                    y.Str(name, Secret.Mask);
                }
            });
        }
        Relabels(y, "write_relabel_configs", rw.WriteRelabelConfigs);
        y.Str("name", rw.Name);
        y.Bool("send_exemplars", rw.SendExemplars, omitFalse: false);
        y.Bool("send_native_histograms", rw.SendNativeHistograms, omitFalse: false);
        HttpClient(y, rw.HttpClient);
        y.Key("queue_config");
        y.Map(() =>
        {
            y.Number("capacity", rw.Queue.Capacity);
            y.Number("max_shards", rw.Queue.MaxShards);
            y.Number("min_shards", rw.Queue.MinShards);
            y.Number("max_samples_per_send", rw.Queue.MaxSamplesPerSend);
            y.Duration("batch_send_deadline", rw.Queue.BatchSendDeadline);
            y.Duration("min_backoff", rw.Queue.MinBackoff);
            y.Duration("max_backoff", rw.Queue.MaxBackoff);
            y.Bool("retry_on_http_429", rw.Queue.RetryOnRateLimit, omitFalse: true);
        });
        y.Key("metadata_config");
        y.Map(() =>
        {
            y.Bool("send", rw.Metadata.Send, omitFalse: false);
            y.Duration("send_interval", rw.Metadata.SendInterval);
            y.Number("max_samples_per_send", rw.Metadata.MaxSamplesPerSend);
        });
    }

    private static void RemoteRead(Writer y, RemoteReadConfig rr)
    {
        y.Str("url", rr.Url.OriginalString);
        y.Duration("remote_timeout", rr.RemoteTimeout);
        if (rr.Headers.Count > 0)
        {
            y.Key("headers");
            y.Map(() =>
            {
                foreach (var name in rr.Headers.Keys.Order(StringComparer.Ordinal))
                {
                    y.Str(name, Secret.Mask);
                }
            });
        }
        y.Bool("read_recent", rr.ReadRecent, omitFalse: false);
        y.Str("name", rr.Name);
        HttpClient(y, rr.HttpClient);
        y.Strings("required_matchers", rr.RequiredMatchers);
        y.Bool("filter_external_labels", rr.FilterExternalLabels, omitFalse: false);
    }

    /// <summary>A thin layer over YamlDotNet's emitter: keys, scalars, blocks, omitting empty values.</summary>
    private sealed class Writer(IEmitter emitter)
    {
        public void Begin()
        {
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart());
            emitter.Emit(new MappingStart());
        }

        public void End()
        {
            emitter.Emit(new MappingEnd());
            emitter.Emit(new DocumentEnd(isImplicit: true));
            emitter.Emit(new StreamEnd());
        }

        public void Key(string key) => Scalar(key);

        public void Map(Action body)
        {
            emitter.Emit(new MappingStart());
            body();
            emitter.Emit(new MappingEnd());
        }

        public void Str(string key, string value)
        {
            if (value.Length == 0)
            {
                return;
            }
            Key(key);
            Scalar(value);
        }

        public void Secret(string key, Secret value)
        {
            if (value.IsSet)
            {
                Str(key, Config.Secret.Mask);
            }
        }

        public void Bool(string key, bool value, bool omitFalse)
        {
            if (!value && omitFalse)
            {
                return;
            }
            Key(key);
            Scalar(value ? "true" : "false");
        }

        public void Duration(string key, TimeSpan value, bool always = false)
        {
            if (value == TimeSpan.Zero && !always)
            {
                return;
            }
            Key(key);
            Scalar(PromDuration.Format(value));
        }

        public void Number(string key, double value)
        {
            if (value == 0)
            {
                return;
            }
            Key(key);
            Scalar(value.ToString("R", CultureInfo.InvariantCulture));
        }

        public void Number(string key, ulong value)
        {
            if (value == 0)
            {
                return;
            }
            Key(key);
            Scalar(value.ToString(CultureInfo.InvariantCulture));
        }

        public void Number(string key, long value) => Number(key, (double)value);

        public void Strings(string key, IReadOnlyList<string> values, bool alwaysWrite = false)
        {
            if (values.Count == 0 && !alwaysWrite)
            {
                return;
            }
            Key(key);
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
            foreach (var v in values)
            {
                Scalar(v);
            }
            emitter.Emit(new SequenceEnd());
        }

        public void FlowStrings(IReadOnlyList<string> values)
        {
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Flow));
            foreach (var v in values)
            {
                Scalar(v);
            }
            emitter.Emit(new SequenceEnd());
        }

        public void Strings(string key, IReadOnlyDictionary<string, string> map)
        {
            if (map.Count == 0)
            {
                return;
            }
            Key(key);
            Map(() =>
            {
                foreach (var name in map.Keys.Order(StringComparer.Ordinal))
                {
                    Key(name);
                    Scalar(map[name]);
                }
            });
        }

        public void Labels(string key, Model.Labels labels)
        {
            if (labels.Count == 0)
            {
                return;
            }
            Key(key);
            Map(() =>
            {
                foreach (var l in labels)
                {
                    Key(l.Name);
                    Scalar(l.Value);
                }
            });
        }

        public void List<T>(string key, IReadOnlyList<T> items, Action<T> body)
        {
            if (items.Count == 0)
            {
                return;
            }
            Key(key);
            emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
            foreach (var item in items)
            {
                Map(() => body(item));
            }
            emitter.Emit(new SequenceEnd());
        }

        private void Scalar(string value) => emitter.Emit(new Scalar(value));
    }
}
