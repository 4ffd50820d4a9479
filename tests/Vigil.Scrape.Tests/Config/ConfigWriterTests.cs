using Vigil.Scrape.Config;

namespace Vigil.Scrape.Tests.Config;

public sealed class ConfigWriterTests
{
    private const string WithSecrets = """
        global:
          scrape_interval: 15s
          external_labels: {cluster: eu}
        scrape_configs:
          - job_name: basic
            basic_auth: {username: admin, password: hunter2}
            static_configs: [{targets: ["a:1"]}]
          - job_name: bearer
            bearer_token: tok-123
            relabel_configs: [{source_labels: [a, b], target_label: c}]
            http_sd_configs:
              - url: http://sd/x
                authorization: {credentials: sd-cred-456}
        remote_write:
          - url: http://mimir/push
            headers: {X-Scope-OrgID: tenant-secret}
            basic_auth: {username: u, password: rw-pass-789}
        """;

    private static PrometheusConfig Load(string yaml)
    {
        Assert.True(ConfigLoader.TryLoad(yaml, null, out var config, out var errors), ConfigLoader.Describe(errors));
        return config;
    }

    [Fact]
    public void Secrets_are_never_written()
    {
        var yaml = ConfigWriter.Write(Load(WithSecrets));
        foreach (var secret in new[] { "hunter2", "tok-123", "sd-cred-456", "rw-pass-789", "tenant-secret" })
        {
            Assert.DoesNotContain(secret, yaml, StringComparison.Ordinal);
        }
        Assert.Contains("password: <secret>", yaml, StringComparison.Ordinal);
        Assert.Contains("credentials: <secret>", yaml, StringComparison.Ordinal);
        Assert.Contains("username: admin", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_written_like_Prometheus_status_config()
    {
        var yaml = ConfigWriter.Write(Load("scrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: [\"localhost:9090\"]\n"));
        Assert.Equal(
            """
            global:
              scrape_interval: 1m
              scrape_timeout: 10s
              evaluation_interval: 1m
            scrape_configs:
            - job_name: prometheus
              honor_timestamps: true
              scrape_interval: 1m
              scrape_timeout: 10s
              metrics_path: /metrics
              scheme: http
              tls_config:
                insecure_skip_verify: false
              follow_redirects: true
              enable_http2: true
              static_configs:
              - targets:
                - localhost:9090

            """.ReplaceLineEndings("\n"),
            yaml);
    }

    [Fact]
    public void Written_config_loads_back_the_same()
    {
        var first = Load(WithSecrets);
        var again = Load(ConfigWriter.Write(first));
        Assert.Equal(first.Global.ExternalLabels, again.Global.ExternalLabels);
        Assert.Equal(first.ScrapeConfigs.Select(s => (s.JobName, s.ScrapeInterval, s.ScrapeTimeout)), again.ScrapeConfigs.Select(s => (s.JobName, s.ScrapeInterval, s.ScrapeTimeout)));
        Assert.Equal(["a", "b"], again.ScrapeConfigs[1].RelabelConfigs[0].SourceLabels);
        Assert.Equal("<secret>", again.ScrapeConfigs[0].HttpClient.BasicAuth!.Password.Value);
        Assert.Equal(ConfigWriter.Write(first), ConfigWriter.Write(again));
    }
}
