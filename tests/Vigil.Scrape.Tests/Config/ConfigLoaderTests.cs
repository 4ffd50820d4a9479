using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Scrape.Config;

namespace Vigil.Scrape.Tests.Config;

public sealed class ConfigLoaderTests
{
    private static PrometheusConfig Load(string yaml)
    {
        Assert.True(ConfigLoader.TryLoad(yaml, "prometheus.yml", out var config, out var errors), ConfigLoader.Describe(errors));
        return config;
    }

    private static IReadOnlyList<ConfigError> Errors(string yaml)
    {
        Assert.False(ConfigLoader.TryLoad(yaml, "prometheus.yml", out _, out var errors));
        return errors;
    }

    [Fact]
    public void Empty_file_has_Prometheus_defaults()
    {
        var config = Load("");
        Assert.Equal(TimeSpan.FromMinutes(1), config.Global.ScrapeInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), config.Global.ScrapeTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), config.Global.EvaluationInterval);
        Assert.Empty(config.ScrapeConfigs);
    }

    [Fact]
    public void Empty_global_block_keeps_defaults() => Assert.Equal(TimeSpan.FromMinutes(1), Load("global:\n").Global.ScrapeInterval);

    [Fact]
    public void Scrape_configs_inherit_global_interval_and_timeout()
    {
        var config = Load("""
            global:
              scrape_interval: 15s
              scrape_timeout: 12s
            scrape_configs:
              - job_name: a
              - job_name: b
                scrape_interval: 5s
              - job_name: c
                scrape_interval: 1m
                scrape_timeout: 30s
            """);
        var (a, b, c) = (config.ScrapeConfigs[0], config.ScrapeConfigs[1], config.ScrapeConfigs[2]);
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(12)), (a.ScrapeInterval, a.ScrapeTimeout));
        // The global timeout is longer than this job's interval: capped at the interval.
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), (b.ScrapeInterval, b.ScrapeTimeout));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)), (c.ScrapeInterval, c.ScrapeTimeout));
    }

    [Fact]
    public void Short_global_interval_caps_the_default_timeout()
    {
        var config = Load("global:\n  scrape_interval: 5s\n");
        Assert.Equal(TimeSpan.FromSeconds(5), config.Global.ScrapeTimeout);
    }

    [Fact]
    public void Scrape_config_defaults()
    {
        var s = Load("scrape_configs:\n  - job_name: a\n").ScrapeConfigs[0];
        Assert.Equal("/metrics", s.MetricsPath);
        Assert.Equal("http", s.Scheme);
        Assert.True(s.HonorTimestamps);
        Assert.False(s.HonorLabels);
        Assert.True(s.HttpClient.FollowRedirects);
        Assert.True(s.HttpClient.EnableHttp2);
        Assert.Null(s.HttpClient.Authorization);
        Assert.Equal(0UL, s.SampleLimit);
        Assert.Equal(0L, s.BodySizeLimit);
        Assert.True(s.Discovery.IsEmpty);
    }

    [Fact]
    public void Misspelled_field_names_file_line_and_type()
    {
        var errors = Errors("""
            global:
              scrape_interval: 15s

            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ["localhost:9090"]

              - job_name: node
                static_configs:
                  - targets: ["localhost:9100"]
                scrape_intervall: 5s
            """);
        var error = Assert.Single(errors);
        Assert.Equal("prometheus.yml:12: field scrape_intervall not found in type config.ScrapeConfig", error.ToString());
        Assert.Equal(12, error.Line);
    }

    [Fact]
    public void Every_error_is_reported_with_its_line()
    {
        var errors = Errors("""
            global:
              scrape_interval: 1x
              evaluation_intervall: 1m
            scrape_configs:
              - job_name: a
                sample_limit: many
                relabel_configs:
                  - action: hashmod
                    source_labels: [a]
                    target_label: b
            """);
        Assert.Equal(
            [
                "prometheus.yml:2: not a valid duration string: \"1x\"",
                "prometheus.yml:3: field evaluation_intervall not found in type config.plain",
                "prometheus.yml:6: cannot unmarshal !!str `many` into uint",
                "prometheus.yml:8: relabel configuration for hashmod requires non-zero modulus",
            ],
            errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 10s\n", 2, "scrape timeout greater than scrape interval for scrape config with job name \"a\"")]
    [InlineData("scrape_configs:\n  - job_name: a\n  - job_name: a\n", 3, "found multiple scrape configs with job name \"a\"")]
    [InlineData("scrape_configs:\n  - honor_labels: true\n", 2, "job_name is empty")]
    [InlineData("scrape_configs:\n  - job_name: a\n    job_name: b\n", 3, "field job_name already set in type config.ScrapeConfig")]
    [InlineData("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: [a]\n        regex: \"a(b\"\n        target_label: c\n", 5, "error parsing regexp: missing closing ): `^(?:a(b)$`")]
    [InlineData("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      -\n", 4, "empty or null target relabeling rule in scrape config")]
    [InlineData("scrape_configs:\n  - job_name: a\n    body_size_limit: 10XB\n", 3, "units: unknown unit XB in 10XB")]
    [InlineData("scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    authorization: {credentials: x}\n", 2, "at most one of basic_auth, oauth2 & authorization must be configured")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: deployment\n", 4, "unknown Kubernetes SD role \"deployment\"")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - namespaces: {names: [x]}\n", 4, "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n        bearer_token_file: /t\n", 4, "to use custom HTTP client configuration please provide the 'api_server' URL explicitly")]
    [InlineData("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n        namespace: [x]\n", 5, "field namespace not found in type kubernetes.plain")]
    [InlineData("remote_write:\n  - url: http://x\n    queue_config: {max_shardz: 3}\n", 3, "field max_shardz not found in type config.QueueConfig")]
    [InlineData("global:\n  external_labels: [a]\n", 2, "cannot unmarshal !!seq into map[string]string")]
    [InlineData("scrape_configs: x\n", 1, "cannot unmarshal !!str `x` into []*config.ScrapeConfig")]
    public void Invalid_values_are_named_with_their_line(string yaml, int line, string message)
    {
        var error = Assert.Single(Errors(yaml));
        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Yaml_syntax_errors_have_a_line()
    {
        var error = Assert.Single(Errors("scrape_configs:\n  - job_name: a\n   bad: [\n"));
        Assert.StartsWith("yaml: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line is 2 or 3);
    }

    [Fact]
    public void Legacy_bearer_token_becomes_authorization()
    {
        var config = Load("scrape_configs:\n  - job_name: a\n    bearer_token_file: /run/token\n  - job_name: b\n    bearer_token: tok\n");
        Assert.Equal(("Bearer", "/run/token"), (config.ScrapeConfigs[0].HttpClient.Authorization!.Type, config.ScrapeConfigs[0].HttpClient.Authorization!.CredentialsFile));
        Assert.Equal("tok", config.ScrapeConfigs[1].HttpClient.Authorization!.Credentials.Value);
        Assert.Equal("<secret>", config.ScrapeConfigs[1].HttpClient.Authorization!.Credentials.ToString());
    }

    [Fact]
    public void Every_scrape_field_is_read()
    {
        var s = Load("""
            scrape_configs:
              - job_name: full
                honor_labels: true
                honor_timestamps: false
                params: {module: [http_2xx, x]}
                scrape_interval: 30s
                scrape_timeout: 20s
                metrics_path: /probe
                scheme: https
                body_size_limit: 10MB
                sample_limit: 1000
                target_limit: 10
                label_limit: 30
                label_name_length_limit: 100
                label_value_length_limit: 200
                follow_redirects: false
                enable_http2: false
                basic_auth: {username: u, password_file: /pw}
                tls_config: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem, server_name: s, insecure_skip_verify: true}
                relabel_configs: [{source_labels: [a], target_label: b}]
                metric_relabel_configs: [{source_labels: [__name__], regex: "go_.*", action: drop}]
                static_configs: [{targets: ["a:1"], labels: {env: prod}}]
                file_sd_configs: [{files: [t/*.json]}]
                http_sd_configs: [{url: "http://sd/targets"}]
                dns_sd_configs: [{names: [x.example], type: aaaa, port: 80}]
                kubernetes_sd_configs:
                  - role: endpoints
                    api_server: https://k8s:6443
                    authorization: {credentials_file: /t}
                    tls_config: {ca_file: /ca}
                    namespaces: {own_namespace: true, names: [a, b]}
                    selectors: [{role: pod, label: "app=web"}]
                    attach_metadata: {node: true}
            """).ScrapeConfigs[0];
        Assert.True(s.HonorLabels);
        Assert.False(s.HonorTimestamps);
        Assert.Equal(["http_2xx", "x"], s.Params["module"]);
        Assert.Equal("/probe", s.MetricsPath);
        Assert.Equal("https", s.Scheme);
        Assert.Equal(10L << 20, s.BodySizeLimit);
        Assert.Equal((1000UL, 10UL, 30UL, 100UL, 200UL), (s.SampleLimit, s.TargetLimit, s.LabelLimit, s.LabelNameLengthLimit, s.LabelValueLengthLimit));
        Assert.False(s.HttpClient.FollowRedirects);
        Assert.False(s.HttpClient.EnableHttp2);
        Assert.Equal("/pw", s.HttpClient.BasicAuth!.PasswordFile);
        Assert.True(s.HttpClient.Tls.InsecureSkipVerify);
        Assert.Equal("s", s.HttpClient.Tls.ServerName);
        Assert.Single(s.RelabelConfigs);
        Assert.Equal(RelabelAction.Drop, s.MetricRelabelConfigs[0].Action);
        Assert.Equal(Labels.Of("env", "prod"), s.Discovery.Static[0].Labels);
        Assert.Equal(TimeSpan.FromMinutes(5), s.Discovery.File[0].RefreshInterval);
        Assert.Equal(TimeSpan.FromMinutes(1), s.Discovery.Http[0].RefreshInterval);
        Assert.Equal(("AAAA", 80, TimeSpan.FromSeconds(30)), (s.Discovery.Dns[0].Type, s.Discovery.Dns[0].Port, s.Discovery.Dns[0].RefreshInterval));
        var k = s.Discovery.Kubernetes[0];
        Assert.Equal(("endpoints", "https://k8s:6443/"), (k.Role, k.ApiServer!.ToString()));
        Assert.True(k.OwnNamespace);
        Assert.Equal(["a", "b"], k.Namespaces);
        Assert.Equal("app=web", k.Selectors[0].Label);
        Assert.True(k.AttachNodeMetadata);
        Assert.Equal("/t", k.HttpClient.Authorization!.CredentialsFile);
        Assert.Equal("/ca", k.HttpClient.Tls.CaFile);
    }

    [Fact]
    public void Remote_write_has_Prometheus_242_defaults()
    {
        var rw = Load("remote_write:\n  - url: http://mimir/api/v1/push\n").RemoteWrite[0];
        Assert.Equal(TimeSpan.FromSeconds(30), rw.RemoteTimeout);
        Assert.Equal((2500, 200, 1, 500), (rw.Queue.Capacity, rw.Queue.MaxShards, rw.Queue.MinShards, rw.Queue.MaxSamplesPerSend));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(5)), (rw.Queue.BatchSendDeadline, rw.Queue.MinBackoff, rw.Queue.MaxBackoff));
        Assert.True(rw.Metadata.Send);
        Assert.Equal(TimeSpan.FromMinutes(1), rw.Metadata.SendInterval);
    }

    [Fact]
    public void Alerting_is_read()
    {
        var config = Load("""
            alerting:
              alert_relabel_configs: [{regex: replica, action: labeldrop}]
              alertmanagers:
                - static_configs: [{targets: ["am:9093"]}]
                  path_prefix: /am
            """);
        var am = config.Alerting.Alertmanagers[0];
        Assert.Equal(("http", "/am", "v2", TimeSpan.FromSeconds(10)), (am.Scheme, am.PathPrefix, am.ApiVersion, am.Timeout));
        Assert.Equal(["am:9093"], am.Discovery.Static[0].Targets);
        Assert.Equal(RelabelAction.LabelDrop, config.Alerting.AlertRelabelConfigs[0].Action);
    }

    [Fact]
    public void Anchors_and_merge_keys_work()
    {
        var config = Load("""
            scrape_configs:
              - &base
                job_name: a
                scrape_interval: 10s
              - <<: *base
                job_name: b
            """);
        Assert.Equal(("b", TimeSpan.FromSeconds(10)), (config.ScrapeConfigs[1].JobName, config.ScrapeConfigs[1].ScrapeInterval));
    }

    [Fact]
    public void Files_resolve_relative_to_the_config_directory()
    {
        using var dir = new Vigil.Testing.TempDirectory();
        File.WriteAllText(dir.File("prometheus.yml"), "rule_files: [rules/*.yml]\n");
        Assert.True(ConfigLoader.TryLoadFile(dir.File("prometheus.yml"), out var config, out _));
        Assert.Equal(Path.Combine(dir.Path, "rules/*.yml"), config.ResolvePath(config.RuleFiles[0]));
        Assert.Equal("/abs/x.yml", config.ResolvePath("/abs/x.yml"));
    }

    [Fact]
    public void Missing_file_is_an_error_naming_it()
    {
        Assert.False(ConfigLoader.TryLoadFile("/nonexistent/prometheus.yml", out _, out var errors));
        Assert.StartsWith("/nonexistent/prometheus.yml: ", Assert.Single(errors).ToString(), StringComparison.Ordinal);
    }
}
