using Vigil.Model;
using Vigil.Yaml;

namespace Vigil.Scrape.Config;

internal sealed partial class ConfigReader
{
    // Prometheus's patRulePath: only the last path element may hold a '*'.
    private static bool IsValidRulePath(string path)
    {
        var star = path.IndexOf('*', StringComparison.Ordinal);
        return star < 0 || path.IndexOf('/', star) < 0;
    }

    public PrometheusConfig ReadConfig(YamlNode? root)
    {
        var config = new PrometheusConfig();
        if (root is null)
        {
            return config;
        }
        var scrapeConfigs = new List<ScrapeConfig>();
        var ruleFiles = new List<string>();
        YamlNode? ruleFilesNode = null;
        Fields(root, "config.plain", (key, value) =>
        {
            switch (key)
            {
                case "global": config.Global = Global(value); return true;
                case "alerting": config.Alerting = Alerting(value); return true;
                case "rule_files": ruleFiles = StrList(value); ruleFilesNode = value; return true;
                case "scrape_configs": scrapeConfigs = Seq(value, "[]*config.ScrapeConfig", "empty or null scrape config section", Scrape); return true;
                case "storage": config.Storage = Storage(value); return true;
                case "tracing": config.Tracing = Tracing(value); return true;
                case "remote_write": config.RemoteWrite = Seq(value, "[]*config.RemoteWriteConfig", "empty or null remote write config section", RemoteWrite); return true;
                case "remote_read": config.RemoteRead = Seq(value, "[]*config.RemoteReadConfig", "empty or null remote read config section", RemoteRead); return true;
                default: return false;
            }
        });
        foreach (var rf in ruleFiles)
        {
            if (!IsValidRulePath(rf))
            {
                Error(ruleFilesNode!, $"invalid rule file path \"{rf}\"");
            }
        }
        config.RuleFiles = ruleFiles;

        // Global overrides and job name uniqueness, after the whole file is read (as Prometheus does).
        var jobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scrape in scrapeConfigs)
        {
            ApplyGlobal(scrape, config.Global);
            if (scrape.JobName.Length > 0 && !jobs.Add(scrape.JobName))
            {
                Error(scrape.Line, $"found multiple scrape configs with job name \"{scrape.JobName}\"");
            }
        }
        config.ScrapeConfigs = scrapeConfigs;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rw in config.RemoteWrite)
        {
            if (rw.Name.Length > 0 && !names.Add(rw.Name))
            {
                Error(root, $"found multiple remote write configs with job name \"{rw.Name}\"");
            }
        }
        names.Clear();
        foreach (var rr in config.RemoteRead)
        {
            if (rr.Name.Length > 0 && !names.Add(rr.Name))
            {
                Error(root, $"found multiple remote read configs with job name \"{rr.Name}\"");
            }
        }
        return config;
    }

    private GlobalConfig Global(YamlNode node)
    {
        var global = new GlobalConfig();
        TimeSpan interval = TimeSpan.Zero, timeout = TimeSpan.Zero, evaluation = TimeSpan.Zero;
        YamlNode? timeoutNode = null;
        Fields(node, "config.plain", (key, value) =>
        {
            switch (key)
            {
                case "scrape_interval": interval = Duration(value, TimeSpan.Zero); return true;
                case "scrape_timeout": timeout = Duration(value, TimeSpan.Zero); timeoutNode = value; return true;
                case "evaluation_interval": evaluation = Duration(value, TimeSpan.Zero); return true;
                case "external_labels": global.ExternalLabels = LabelSet(value, "map[string]string"); return true;
                case "query_log_file": global.QueryLogFile = Str(value); return true;
                default: return false;
            }
        });
        // Prometheus's GlobalConfig.UnmarshalYAML.
        if (interval == TimeSpan.Zero)
        {
            interval = new GlobalConfig().ScrapeInterval;
        }
        if (timeout > interval)
        {
            Error(timeoutNode ?? node, "global scrape timeout greater than scrape interval");
        }
        if (timeout == TimeSpan.Zero)
        {
            var defaultTimeout = new GlobalConfig().ScrapeTimeout;
            timeout = defaultTimeout > interval ? interval : defaultTimeout;
        }
        global.ScrapeInterval = interval;
        global.ScrapeTimeout = timeout;
        global.EvaluationInterval = evaluation == TimeSpan.Zero ? new GlobalConfig().EvaluationInterval : evaluation;
        return global;
    }

    private ScrapeConfig? Scrape(YamlNode node)
    {
        var scrape = new ScrapeConfig { Line = node.Line };
        var http = new HttpClientFields();
        var discovery = new DiscoveryFields();
        Fields(node, "config.ScrapeConfig", (key, value) =>
        {
            switch (key)
            {
                case "job_name": scrape.JobName = Str(value); return true;
                case "honor_labels": scrape.HonorLabels = Bool(value, false); return true;
                case "honor_timestamps": scrape.HonorTimestamps = Bool(value, true); return true;
                case "params": scrape.Params = Params(value); return true;
                case "scrape_interval": scrape.ScrapeInterval = Duration(value, TimeSpan.Zero); return true;
                case "scrape_timeout": scrape.ScrapeTimeout = Duration(value, TimeSpan.Zero); return true;
                case "metrics_path": scrape.MetricsPath = Str(value); return true;
                case "scheme": scrape.Scheme = Str(value); return true;
                case "body_size_limit": scrape.BodySizeLimit = Size(value); return true;
                case "sample_limit": scrape.SampleLimit = UInt(value); return true;
                case "target_limit": scrape.TargetLimit = UInt(value); return true;
                case "label_limit": scrape.LabelLimit = UInt(value); return true;
                case "label_name_length_limit": scrape.LabelNameLengthLimit = UInt(value); return true;
                case "label_value_length_limit": scrape.LabelValueLengthLimit = UInt(value); return true;
                case "relabel_configs": scrape.RelabelConfigs = RelabelConfigs(value, "empty or null target relabeling rule in scrape config"); return true;
                case "metric_relabel_configs": scrape.MetricRelabelConfigs = RelabelConfigs(value, "empty or null metric relabeling rule in scrape config"); return true;
                default: return HttpClientField(http, key, value) || DiscoveryField(discovery, key, value);
            }
        });
        if (scrape.JobName.Length == 0)
        {
            Error(node, "job_name is empty");
        }
        scrape.HttpClient = FinishHttpClient(http, node);
        scrape.Discovery = discovery.Finish();
        return scrape;
    }

    // Prometheus's ScrapeConfig.Validate: inherit the global interval and timeout.
    private void ApplyGlobal(ScrapeConfig scrape, GlobalConfig global)
    {
        if (scrape.ScrapeInterval == TimeSpan.Zero)
        {
            scrape.ScrapeInterval = global.ScrapeInterval;
        }
        if (scrape.ScrapeTimeout > scrape.ScrapeInterval)
        {
            Error(scrape.Line, $"scrape timeout greater than scrape interval for scrape config with job name \"{scrape.JobName}\"");
        }
        if (scrape.ScrapeTimeout == TimeSpan.Zero)
        {
            scrape.ScrapeTimeout = global.ScrapeTimeout > scrape.ScrapeInterval ? scrape.ScrapeInterval : global.ScrapeTimeout;
        }
    }

    private Dictionary<string, IReadOnlyList<string>> Params(YamlNode node)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (IsNull(node))
        {
            return result;
        }
        if (node is not YamlMapping map)
        {
            TypeError(node, "url.Values");
            return result;
        }
        foreach (var (k, v) in map.Entries)
        {
            var key = Str(k);
            if (!result.TryAdd(key, StrList(v)))
            {
                Error(k, $"key \"{key}\" already set in map");
            }
        }
        return result;
    }

    /// <summary>The inline HTTP client fields as written, before Prometheus's validation folds them together.</summary>
    private sealed class HttpClientFields
    {
        public BasicAuth? BasicAuth;
        public Authorization? Authorization;
        public bool HasOAuth2;
        public string BearerToken = "";
        public string BearerTokenFile = "";
        public TlsConfig Tls = new();
        public string ProxyUrl = "";
        public bool FollowRedirects = true;
        public bool EnableHttp2 = true;
    }

    private bool HttpClientField(HttpClientFields http, string key, YamlNode value)
    {
        switch (key)
        {
            case "basic_auth":
                if (!IsNull(value))
                {
                    var auth = new BasicAuth();
                    Fields(value, "config.plain", (k, v) =>
                    {
                        switch (k)
                        {
                            case "username": auth.Username = Str(v); return true;
                            case "password": auth.Password = new Secret(Str(v)); return true;
                            case "password_file": auth.PasswordFile = Str(v); return true;
                            default: return false;
                        }
                    });
                    http.BasicAuth = auth;
                }
                return true;
            case "authorization":
                if (!IsNull(value))
                {
                    var auth = new Authorization { Type = "" };
                    Fields(value, "config.Authorization", (k, v) =>
                    {
                        switch (k)
                        {
                            case "type": auth.Type = Str(v); return true;
                            case "credentials": auth.Credentials = new Secret(Str(v)); return true;
                            case "credentials_file": auth.CredentialsFile = Str(v); return true;
                            default: return false;
                        }
                    });
                    http.Authorization = auth;
                }
                return true;
            case "oauth2":
                if (!IsNull(value))
                {
                    http.HasOAuth2 = true;
                    OAuth2(value);
                }
                return true;
            case "bearer_token": http.BearerToken = Str(value); return true;
            case "bearer_token_file": http.BearerTokenFile = Str(value); return true;
            case "tls_config": http.Tls = Tls(value); return true;
            case "proxy_url":
                http.ProxyUrl = Str(value);
                if (http.ProxyUrl.Length > 0 && !Uri.TryCreate(http.ProxyUrl, UriKind.Absolute, out _))
                {
                    Error(value, $"parse \"{http.ProxyUrl}\": missing protocol scheme");
                }
                return true;
            case "follow_redirects": http.FollowRedirects = Bool(value, true); return true;
            case "enable_http2": http.EnableHttp2 = Bool(value, true); return true;
            default: return false;
        }
    }

    // OAuth 2.0 is accepted and validated as Prometheus does, but Vigil does not fetch tokens with it yet.
    private void OAuth2(YamlNode node)
    {
        string clientId = "", secret = "", secretFile = "", tokenUrl = "";
        Fields(node, "config.plain", (k, v) =>
        {
            switch (k)
            {
                case "client_id": clientId = Str(v); return true;
                case "client_secret": secret = Str(v); return true;
                case "client_secret_file": secretFile = Str(v); return true;
                case "scopes": StrList(v); return true;
                case "token_url": tokenUrl = Str(v); return true;
                case "endpoint_params": StrMap(v); return true;
                case "tls_config": Tls(v); return true;
                case "proxy_url": Str(v); return true;
                default: return false;
            }
        });
        if (clientId.Length == 0)
        {
            Error(node, "oauth2 client_id must be configured");
        }
        else if (tokenUrl.Length == 0)
        {
            Error(node, "oauth2 token_url must be configured");
        }
        else if (secret.Length > 0 && secretFile.Length > 0)
        {
            Error(node, "at most one of oauth2 client_secret & client_secret_file must be configured");
        }
    }

    private TlsConfig Tls(YamlNode node)
    {
        var tls = new TlsConfig();
        Fields(node, "config.plain", (k, v) =>
        {
            switch (k)
            {
                case "ca_file": tls.CaFile = Str(v); return true;
                case "cert_file": tls.CertFile = Str(v); return true;
                case "key_file": tls.KeyFile = Str(v); return true;
                case "server_name": tls.ServerName = Str(v); return true;
                case "insecure_skip_verify": tls.InsecureSkipVerify = Bool(v, false); return true;
                case "min_version":
                    tls.MinVersion = Str(v);
                    if (tls.MinVersion is not ("" or "TLS10" or "TLS11" or "TLS12" or "TLS13"))
                    {
                        Error(v, $"unknown TLS version: {tls.MinVersion}");
                    }
                    return true;
                default: return false;
            }
        });
        return tls;
    }

    // prometheus/common's HTTPClientConfig.Validate (v0.39), messages verbatim.
    private HttpClientConfig FinishHttpClient(HttpClientFields http, YamlNode node)
    {
        var config = new HttpClientConfig
        {
            BasicAuth = http.BasicAuth,
            Tls = http.Tls,
            ProxyUrl = http.ProxyUrl,
            FollowRedirects = http.FollowRedirects,
            EnableHttp2 = http.EnableHttp2,
        };
        var hasBearer = http.BearerToken.Length > 0 || http.BearerTokenFile.Length > 0;
        if (http.BearerToken.Length > 0 && http.BearerTokenFile.Length > 0)
        {
            Error(node, "at most one of bearer_token & bearer_token_file must be configured");
            return config;
        }
        if ((http.BasicAuth is not null || http.HasOAuth2) && hasBearer)
        {
            Error(node, "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
            return config;
        }
        if (http.BasicAuth is { } basic && basic.Password.IsSet && basic.PasswordFile.Length > 0)
        {
            Error(node, "at most one of basic_auth password & password_file must be configured");
            return config;
        }
        if (http.Authorization is { } auth)
        {
            if (hasBearer)
            {
                Error(node, "authorization is not compatible with bearer_token & bearer_token_file");
                return config;
            }
            if (auth.Credentials.IsSet && auth.CredentialsFile.Length > 0)
            {
                Error(node, "at most one of authorization credentials & credentials_file must be configured");
                return config;
            }
            auth.Type = auth.Type.Trim();
            if (auth.Type.Length == 0)
            {
                auth.Type = "Bearer";
            }
            if (string.Equals(auth.Type, "basic", StringComparison.OrdinalIgnoreCase))
            {
                Error(node, "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
                return config;
            }
            if (http.BasicAuth is not null || http.HasOAuth2)
            {
                Error(node, "at most one of basic_auth, oauth2 & authorization must be configured");
                return config;
            }
            config.Authorization = auth;
        }
        else if (http.BearerToken.Length > 0)
        {
            config.Authorization = new Authorization { Credentials = new Secret(http.BearerToken) };
        }
        else if (http.BearerTokenFile.Length > 0)
        {
            config.Authorization = new Authorization { CredentialsFile = http.BearerTokenFile };
        }
        return config;
    }

    private static bool IsHttpUrl(Uri url) => url.Scheme is "http" or "https";

    /// <summary>A URL field (<c>config.URL</c>): parsed as Go's url.Parse would accept it.</summary>
    private Uri? Url(YamlNode node)
    {
        var text = Str(node);
        if (text.Length == 0)
        {
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.IsFile && !text.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            Error(node, $"parse \"{text}\": missing protocol scheme");
            return null;
        }
        return url;
    }
}
