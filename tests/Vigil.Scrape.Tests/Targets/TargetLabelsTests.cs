using Vigil.Model;
using Vigil.Scrape.Config;
using Vigil.Scrape.Targets;
using Vigil.Testing;

namespace Vigil.Scrape.Tests.Targets;

public sealed class TargetLabelsTests
{
    private static ScrapeConfig Job(string yaml)
    {
        Assert.True(ConfigLoader.TryLoad(yaml, null, out var config, out var errors), ConfigLoader.Describe(errors));
        return config.ScrapeConfigs[0];
    }

    [Fact]
    public void Defaults_are_added_before_relabeling_and_instance_after()
    {
        var job = Job("scrape_configs:\n  - job_name: node\n    scrape_interval: 15s\n    params: {module: [m1, m2]}\n");
        Assert.True(TargetLabels.TryPopulate(Labels.Of("__address__", "host:9100", "__meta_x", "1"), job, out var labels, out var discovered, out _));
        Assert.Equal(
            Labels.Of("__address__", "host:9100", "__meta_x", "1", "__metrics_path__", "/metrics", "__param_module", "m1", "__scheme__", "http",
                "__scrape_interval__", "15s", "__scrape_timeout__", "10s", "job", "node"),
            discovered);
        Assert.Equal(
            Labels.Of("__address__", "host:9100", "__metrics_path__", "/metrics", "__param_module", "m1", "__scheme__", "http",
                "__scrape_interval__", "15s", "__scrape_timeout__", "10s", "instance", "host:9100", "job", "node"),
            labels);
    }

    [Theory]
    [InlineData("http", "host", "host:80")]
    [InlineData("https", "host", "host:443")]
    [InlineData("http", "[::1]", "[::1]:80")]
    [InlineData("http", "host:1", "host:1")]
    public void Default_port_follows_the_scheme(string scheme, string address, string expected)
    {
        var job = Job($"scrape_configs:\n  - job_name: a\n    scheme: {scheme}\n");
        Assert.True(TargetLabels.TryPopulate(Labels.Of("__address__", address), job, out var labels, out _, out _));
        Assert.Equal(expected, labels!.Get("__address__"));
        Assert.Equal(expected, labels.Get("instance"));
    }

    [Fact]
    public void Dropped_target_has_no_labels_but_keeps_discovered()
    {
        var job = Job("scrape_configs:\n  - job_name: a\n    relabel_configs: [{source_labels: [__address__], regex: 'x.*', action: drop}]\n");
        Assert.True(TargetLabels.TryPopulate(Labels.Of("__address__", "x:1"), job, out var labels, out var discovered, out _));
        Assert.Null(labels);
        Assert.Equal("x:1", discovered.Get("__address__"));
    }

    [Theory]
    [InlineData("{target_label: __address__, replacement: ''}", "no address")]
    [InlineData("{target_label: __scrape_interval__, replacement: 'x'}", "error parsing scrape interval: not a valid duration string: \"x\"")]
    [InlineData("{target_label: __scrape_timeout__, replacement: '0s'}", "scrape timeout cannot be 0")]
    [InlineData("{target_label: __scrape_timeout__, replacement: '2m'}", "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")")]
    [InlineData("{target_label: __address__, replacement: 'a/b:1'}", "\"a/b:1\" is not a valid hostname")]
    public void Invalid_targets_say_why(string rule, string expected)
    {
        var job = Job($"scrape_configs:\n  - job_name: a\n    relabel_configs: [{rule}]\n");
        Assert.False(TargetLabels.TryPopulate(Labels.Of("__address__", "x:1"), job, out _, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Kubernetes_example_applies_the_annotation_convention()
    {
        Assert.True(ConfigLoader.TryLoadFile(RepoRoot.Combine("monitoring", "examples", "kubernetes.yml"), out var config, out var errors), ConfigLoader.Describe(errors));
        var job = config.ScrapeConfigs[0];
        var pod = Labels.Of(
            "__address__", "10.1.2.3:8080",
            "__meta_kubernetes_namespace", "shop",
            "__meta_kubernetes_pod_name", "cart-7d9f",
            "__meta_kubernetes_pod_phase", "Running",
            "__meta_kubernetes_pod_label_app", "cart",
            "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true",
            "__meta_kubernetes_pod_annotation_prometheus_io_port", "9102",
            "__meta_kubernetes_pod_annotation_prometheus_io_path", "/internal/metrics",
            "__meta_kubernetes_pod_annotation_prometheus_io_scheme", "https");
        Assert.True(TargetLabels.TryPopulate(pod, job, out var labels, out _, out var error), error);
        Assert.NotNull(labels);
        Assert.Equal("10.1.2.3:9102", labels.Get("__address__"));
        Assert.Equal("/internal/metrics", labels.Get("__metrics_path__"));
        Assert.Equal("https", labels.Get("__scheme__"));
        Assert.Equal(("cart", "shop", "cart-7d9f", "10.1.2.3:9102"), (labels.Get("app"), labels.Get("namespace"), labels.Get("pod"), labels.Get("instance")));

        var unannotated = Labels.Of("__address__", "10.1.2.4:8080", "__meta_kubernetes_pod_phase", "Running");
        Assert.True(TargetLabels.TryPopulate(unannotated, job, out var dropped, out _, out _));
        Assert.Null(dropped);

        var noPort = Labels.Of("__address__", "10.1.2.5", "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true", "__meta_kubernetes_pod_phase", "Running");
        Assert.True(TargetLabels.TryPopulate(noPort, job, out var defaults, out _, out _));
        Assert.Equal(("10.1.2.5:80", "/metrics", "http"), (defaults!.Get("__address__"), defaults.Get("__metrics_path__"), defaults.Get("__scheme__")));
    }
}
