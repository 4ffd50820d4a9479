using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Scrape.Discovery;
using Vigil.Scrape.Discovery.Kubernetes;
using Vigil.Testing;

namespace Vigil.Scrape.Tests.Discovery;

public sealed class KubernetesDiscovererTests
{
    private readonly ManualClock _clock = new();

    /// <summary>The usual pod scrape config's relabeling (the prometheus.io/* annotation convention).</summary>
    private static readonly RelabelConfig[] s_annotationConvention =
    [
        new() { SourceLabels = ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], Action = RelabelAction.Keep, Regex = RelabelRegex.Create("true") },
        new() { SourceLabels = ["__meta_kubernetes_pod_annotation_prometheus_io_path"], TargetLabel = "__metrics_path__", Regex = RelabelRegex.Create("(.+)") },
        new()
        {
            SourceLabels = ["__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"],
            Regex = RelabelRegex.Create(@"([^:]+)(?::\d+)?;(\d+)"),
            Replacement = "$1:$2",
            TargetLabel = "__address__",
        },
        new() { SourceLabels = ["__meta_kubernetes_pod_annotation_prometheus_io_scheme"], TargetLabel = "__scheme__", Regex = RelabelRegex.Create("(https?)") },
        new() { Action = RelabelAction.LabelMap, Regex = RelabelRegex.Create("__meta_kubernetes_pod_label_(.+)") },
        new() { SourceLabels = ["__meta_kubernetes_namespace"], TargetLabel = "namespace" },
        new() { SourceLabels = ["__meta_kubernetes_pod_name"], TargetLabel = "pod" },
    ];

    /// <summary>Relabels every target of the groups and keeps the distinct results without <c>__meta_</c> labels, as a scrape pool would.</summary>
    private static List<Labels> ScrapeTargets(IEnumerable<TargetGroup> groups)
    {
        var result = new List<Labels>();
        foreach (var group in groups)
        {
            foreach (var merged in group.MergedTargets())
            {
                var relabeled = Relabeler.Process(merged, s_annotationConvention);
                if (relabeled is null)
                {
                    continue;
                }
                var final = new LabelsBuilder(relabeled).RemoveWhere(l => l.Name.StartsWith("__meta_", StringComparison.Ordinal)).ToLabels();
                if (!result.Contains(final))
                {
                    result.Add(final);
                }
            }
        }
        return result;
    }

    private static readonly Dictionary<string, string> s_scrapeAnnotations = new()
    {
        ["prometheus.io/scrape"] = "true",
        ["prometheus.io/port"] = "9102",
        ["prometheus.io/path"] = "/custom/metrics",
        ["prometheus.io/scheme"] = "https",
    };

    [Fact]
    public async Task Pods_are_listed_then_watched_through_add_update_and_delete_with_prometheus_labels()
    {
        await using var api = new FakeKubernetesApi();
        object[] containers =
        [
            new { name = "app", image = "web:1.2", ports = new object[] { new { name = "http", containerPort = 8080, protocol = "TCP" }, new { name = "metrics", containerPort = 9102, protocol = "TCP" } } },
            new { name = "sidecar", image = "envoy:1" },
        ];
        object[] init = [new { name = "migrate", image = "migrate:3" }];
        api.Lists["/api/v1/pods"] = FakeKubernetesApi.List("100",
            FakeKubernetesApi.Pod("web-1", annotations: s_scrapeAnnotations, labels: new() { ["app"] = "web", ["app.kubernetes.io/name"] = "shop" }, containers: containers, initContainers: init));
        using var discoverer = new KubernetesDiscoverer(new KubernetesSdOptions(KubernetesRole.Pod, api.BaseUri), timeProvider: _clock);
        await using var probe = new DiscoveryProbe(discoverer);

        var groups = await probe.WaitAsync(g => g.Count == 1, what: "the listed pod");
        var group = groups["pod/default/web-1"];
        Assert.Equal(Labels.Of(
            "__meta_kubernetes_namespace", "default",
            "__meta_kubernetes_pod_name", "web-1",
            "__meta_kubernetes_pod_ip", "10.0.0.5",
            "__meta_kubernetes_pod_ready", "true",
            "__meta_kubernetes_pod_phase", "Running",
            "__meta_kubernetes_pod_node_name", "node-1",
            "__meta_kubernetes_pod_host_ip", "192.168.1.10",
            "__meta_kubernetes_pod_uid", "uid-web-1",
            "__meta_kubernetes_pod_controller_kind", "ReplicaSet",
            "__meta_kubernetes_pod_controller_name", "web-5d8f",
            "__meta_kubernetes_pod_label_app", "web",
            "__meta_kubernetes_pod_labelpresent_app", "true",
            "__meta_kubernetes_pod_label_app_kubernetes_io_name", "shop",
            "__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true",
            "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true",
            "__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true",
            "__meta_kubernetes_pod_annotation_prometheus_io_port", "9102",
            "__meta_kubernetes_pod_annotationpresent_prometheus_io_port", "true",
            "__meta_kubernetes_pod_annotation_prometheus_io_path", "/custom/metrics",
            "__meta_kubernetes_pod_annotationpresent_prometheus_io_path", "true",
            "__meta_kubernetes_pod_annotation_prometheus_io_scheme", "https",
            "__meta_kubernetes_pod_annotationpresent_prometheus_io_scheme", "true"), group.Labels);
        Assert.Equal(
        [
            Labels.Of("__address__", "10.0.0.5:8080", "__meta_kubernetes_pod_container_name", "app", "__meta_kubernetes_pod_container_id", "containerd://abc123",
                "__meta_kubernetes_pod_container_image", "web:1.2", "__meta_kubernetes_pod_container_port_name", "http",
                "__meta_kubernetes_pod_container_port_number", "8080", "__meta_kubernetes_pod_container_port_protocol", "TCP",
                "__meta_kubernetes_pod_container_init", "false"),
            Labels.Of("__address__", "10.0.0.5:9102", "__meta_kubernetes_pod_container_name", "app", "__meta_kubernetes_pod_container_id", "containerd://abc123",
                "__meta_kubernetes_pod_container_image", "web:1.2", "__meta_kubernetes_pod_container_port_name", "metrics",
                "__meta_kubernetes_pod_container_port_number", "9102", "__meta_kubernetes_pod_container_port_protocol", "TCP",
                "__meta_kubernetes_pod_container_init", "false"),
            Labels.Of("__address__", "10.0.0.5", "__meta_kubernetes_pod_container_name", "sidecar",
                "__meta_kubernetes_pod_container_image", "envoy:1", "__meta_kubernetes_pod_container_init", "false"),
            Labels.Of("__address__", "10.0.0.5", "__meta_kubernetes_pod_container_name", "migrate",
                "__meta_kubernetes_pod_container_image", "migrate:3", "__meta_kubernetes_pod_container_init", "true"),
        ], group.Targets);

        // The annotation convention: every container target of the pod becomes the one annotated endpoint.
        Assert.Equal([Labels.Of("__address__", "10.0.0.5:9102", "__metrics_path__", "/custom/metrics", "__scheme__", "https",
            "app", "web", "app_kubernetes_io_name", "shop", "namespace", "default", "pod", "web-1")], ScrapeTargets(groups.Values));

        var watch = await api.NextWatchAsync("/api/v1/pods");
        Assert.Contains("resourceVersion=100", watch.Query);

        // Update: not ready any more, and the scrape annotation turned off.
        watch.Send("MODIFIED", FakeKubernetesApi.Pod("web-1", ready: false, resourceVersion: "101",
            annotations: new() { ["prometheus.io/scrape"] = "false", ["prometheus.io/port"] = "9102" }, containers: containers));
        groups = await probe.WaitAsync(g => g["pod/default/web-1"].Labels.Get("__meta_kubernetes_pod_ready") == "false", what: "the update");
        Assert.Empty(ScrapeTargets(groups.Values));
        Assert.False(groups["pod/default/web-1"].Labels.Has("__meta_kubernetes_pod_annotation_prometheus_io_path"));

        // Add a second pod, annotated; delete the first.
        watch.Send("ADDED", FakeKubernetesApi.Pod("web-2", ip: "10.0.0.6", resourceVersion: "102", annotations: new() { ["prometheus.io/scrape"] = "true" }));
        watch.Send("DELETED", FakeKubernetesApi.Pod("web-1", resourceVersion: "103"));
        groups = await probe.WaitAsync(g => g.Count == 1 && g.ContainsKey("pod/default/web-2"), what: "add and delete");
        Assert.Equal([Labels.Of("__address__", "10.0.0.6:8080", "app", "web", "namespace", "default", "pod", "web-2")], ScrapeTargets(groups.Values));

        // A pod without an IP yet has no targets.
        watch.Send("ADDED", FakeKubernetesApi.Pod("web-3", ip: "", resourceVersion: "104"));
        watch.Send("MODIFIED", FakeKubernetesApi.Pod("web-2", ip: "10.0.0.6", resourceVersion: "105", annotations: new() { ["prometheus.io/scrape"] = "true", ["prometheus.io/port"] = "7000" }));
        groups = await probe.WaitAsync(g => g["pod/default/web-2"].Labels.Has("__meta_kubernetes_pod_annotation_prometheus_io_port"));
        Assert.False(groups.ContainsKey("pod/default/web-3"));
        Assert.Equal("10.0.0.6:7000", ScrapeTargets(groups.Values).Single().Get("__address__"));

        // A watch the server ends normally resumes from the last resource version, without listing again.
        watch.Close();
        watch = await api.NextWatchAsync("/api/v1/pods");
        Assert.Contains("resourceVersion=105", watch.Query);
        Assert.Equal(1, api.ListRequests("/api/v1/pods"));

        // 410 Gone: list again; what the new list lacks is removed.
        api.Lists["/api/v1/pods"] = FakeKubernetesApi.List("200", FakeKubernetesApi.Pod("web-4", ip: "10.0.0.8", resourceVersion: "199"));
        watch.Send("ERROR", """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 105 (150)","reason":"Expired","code":410}""");
        groups = await probe.WaitAsync(g => g.Count == 1 && g.ContainsKey("pod/default/web-4"), what: "the relist after 410");
        Assert.Equal(2, api.ListRequests("/api/v1/pods"));
        watch = await api.NextWatchAsync("/api/v1/pods");
        Assert.Contains("resourceVersion=200", watch.Query);
        Assert.Null(discoverer.LastError);
    }

    [Fact]
    public async Task A_failed_list_is_an_error_and_is_retried_after_the_retry_delay()
    {
        await using var api = new FakeKubernetesApi();
        using var discoverer = new KubernetesDiscoverer(new KubernetesSdOptions(KubernetesRole.Pod, api.BaseUri) { RetryDelay = TimeSpan.FromSeconds(5) }, timeProvider: _clock);
        await using var probe = new DiscoveryProbe(discoverer);

        await probe.WaitAsync(_ => discoverer.LastError is not null, what: "the 404");
        Assert.Contains("404", discoverer.LastError);

        api.Lists["/api/v1/pods"] = FakeKubernetesApi.List("1", FakeKubernetesApi.Pod("a"));
        await probe.WaitAsync(g => g.Count == 1, () => _clock.Advance(TimeSpan.FromSeconds(5)), "the retried list");
        Assert.Null(discoverer.LastError);
    }

    [Fact]
    public async Task Namespaces_selectors_and_the_bearer_token_file_shape_the_requests()
    {
        using var dir = new TempDirectory("vigil-k8s");
        File.WriteAllText(dir.File("token"), "s3cr3t\n");
        await using var api = new FakeKubernetesApi();
        api.Lists["/api/v1/namespaces/a/pods"] = FakeKubernetesApi.List("1", FakeKubernetesApi.Pod("p", ns: "a"));
        api.Lists["/api/v1/namespaces/b/pods"] = FakeKubernetesApi.List("1", FakeKubernetesApi.Pod("p", ns: "b", ip: "10.0.0.9"));
        var options = new KubernetesSdOptions(KubernetesRole.Pod, api.BaseUri)
        {
            Namespaces = ["a", "b"],
            Selectors = [new KubernetesSelector(KubernetesRole.Pod, Label: "app=web", Field: "status.phase=Running"), new KubernetesSelector(KubernetesRole.Service, Label: "x=y")],
            BearerTokenFile = dir.File("token"),
        };
        using var discoverer = new KubernetesDiscoverer(options, timeProvider: _clock);
        await using var probe = new DiscoveryProbe(discoverer);

        var groups = await probe.WaitAsync(g => g.Count == 2);

        Assert.Equal("b", groups["pod/b/p"].Labels.Get("__meta_kubernetes_namespace"));
        var list = api.Requests.First(r => r.StartsWith("/api/v1/namespaces/a/pods?", StringComparison.Ordinal));
        Assert.Contains("labelSelector=app%3Dweb", list);
        Assert.Contains("fieldSelector=status.phase%3DRunning", list);
        Assert.All(api.Authorizations, a => Assert.Equal("Bearer s3cr3t", a));
    }

    [Fact]
    public async Task Services_become_targets_at_their_cluster_dns_names()
    {
        await using var api = new FakeKubernetesApi();
        api.Lists["/api/v1/services"] = FakeKubernetesApi.List("5",
            """
            {"metadata": {"name": "api", "namespace": "shop", "resourceVersion": "3", "labels": {"app": "api"}, "annotations": {"prometheus.io/probe": "true"}},
             "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.12", "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080}]}}
            """,
            """
            {"metadata": {"name": "ext", "namespace": "shop", "resourceVersion": "4"},
             "spec": {"type": "ExternalName", "externalName": "db.example.com", "ports": [{"protocol": "TCP", "port": 5432}]}}
            """);
        using var discoverer = new KubernetesDiscoverer(new KubernetesSdOptions(KubernetesRole.Service, api.BaseUri), timeProvider: _clock);
        await using var probe = new DiscoveryProbe(discoverer);

        var groups = await probe.WaitAsync(g => g.Count == 2);

        var api1 = groups["svc/shop/api"];
        Assert.Equal(Labels.Of("__meta_kubernetes_namespace", "shop", "__meta_kubernetes_service_name", "api",
            "__meta_kubernetes_service_label_app", "api", "__meta_kubernetes_service_labelpresent_app", "true",
            "__meta_kubernetes_service_annotation_prometheus_io_probe", "true", "__meta_kubernetes_service_annotationpresent_prometheus_io_probe", "true"), api1.Labels);
        Assert.Equal(Labels.Of("__address__", "api.shop.svc:80", "__meta_kubernetes_service_port_name", "http", "__meta_kubernetes_service_port_number", "80",
            "__meta_kubernetes_service_port_protocol", "TCP", "__meta_kubernetes_service_type", "ClusterIP", "__meta_kubernetes_service_cluster_ip", "10.96.0.12"), api1.Targets.Single());
        Assert.Equal(Labels.Of("__address__", "ext.shop.svc:5432", "__meta_kubernetes_service_port_number", "5432",
            "__meta_kubernetes_service_port_protocol", "TCP", "__meta_kubernetes_service_type", "ExternalName", "__meta_kubernetes_service_external_name", "db.example.com"),
            groups["svc/shop/ext"].Targets.Single());
    }

    [Fact]
    public async Task Endpoints_carry_the_pod_and_service_labels_and_follow_pod_changes()
    {
        await using var api = new FakeKubernetesApi();
        api.Lists["/api/v1/namespaces/shop/endpoints"] = FakeKubernetesApi.List("7",
            """
            {"metadata": {"name": "api", "namespace": "shop", "resourceVersion": "6", "labels": {"app": "api"}},
             "subsets": [{
               "addresses": [{"ip": "10.0.0.7", "nodeName": "node-1", "targetRef": {"kind": "Pod", "namespace": "shop", "name": "api-1"}}],
               "notReadyAddresses": [{"ip": "10.0.0.8", "hostname": "api-2", "targetRef": {"kind": "Pod", "namespace": "shop", "name": "api-2"}}],
               "ports": [{"name": "web", "port": 8080, "protocol": "TCP"}]}]}
            """);
        api.Lists["/api/v1/namespaces/shop/services"] = FakeKubernetesApi.List("7",
            """{"metadata": {"name": "api", "namespace": "shop", "resourceVersion": "2", "labels": {"tier": "backend"}}, "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1"}}""");
        object[] containers = [new { name = "api", image = "api:7", ports = new object[] { new { name = "web", containerPort = 8080, protocol = "TCP" }, new { name = "metrics", containerPort = 9090, protocol = "TCP" } } }];
        api.Lists["/api/v1/namespaces/shop/pods"] = FakeKubernetesApi.List("7",
            FakeKubernetesApi.Pod("api-1", ns: "shop", ip: "10.0.0.7", labels: new() { ["app"] = "api" }, containers: containers));
        var options = new KubernetesSdOptions(KubernetesRole.Endpoints, api.BaseUri) { Namespaces = ["shop"] };
        using var discoverer = new KubernetesDiscoverer(options, timeProvider: _clock);
        await using var probe = new DiscoveryProbe(discoverer);

        var groups = await probe.WaitAsync(g => g.Count == 1);

        var group = groups["endpoints/shop/api"];
        Assert.Equal(Labels.Of("__meta_kubernetes_namespace", "shop", "__meta_kubernetes_endpoints_name", "api",
            "__meta_kubernetes_endpoints_label_app", "api", "__meta_kubernetes_endpoints_labelpresent_app", "true",
            "__meta_kubernetes_service_name", "api", "__meta_kubernetes_service_label_tier", "backend", "__meta_kubernetes_service_labelpresent_tier", "true"), group.Labels);
        Assert.Equal(3, group.Targets.Count);
        var ready = group.Targets[0];
        Assert.Equal("10.0.0.7:8080", ready.Get("__address__"));
        Assert.Equal("true", ready.Get("__meta_kubernetes_endpoint_ready"));
        Assert.Equal("web", ready.Get("__meta_kubernetes_endpoint_port_name"));
        Assert.Equal("TCP", ready.Get("__meta_kubernetes_endpoint_port_protocol"));
        Assert.Equal("Pod", ready.Get("__meta_kubernetes_endpoint_address_target_kind"));
        Assert.Equal("api-1", ready.Get("__meta_kubernetes_endpoint_address_target_name"));
        Assert.Equal("node-1", ready.Get("__meta_kubernetes_endpoint_node_name"));
        Assert.Equal("api-1", ready.Get("__meta_kubernetes_pod_name"));
        Assert.Equal("api", ready.Get("__meta_kubernetes_pod_label_app"));
        Assert.Equal("api", ready.Get("__meta_kubernetes_pod_container_name"));
        Assert.Equal("8080", ready.Get("__meta_kubernetes_pod_container_port_number"));
        // The not-ready address's pod is unknown: endpoint labels only.
        var notReady = group.Targets[1];
        Assert.Equal(Labels.Of("__address__", "10.0.0.8:8080", "__meta_kubernetes_endpoint_ready", "false", "__meta_kubernetes_endpoint_port_name", "web",
            "__meta_kubernetes_endpoint_port_protocol", "TCP", "__meta_kubernetes_endpoint_address_target_kind", "Pod",
            "__meta_kubernetes_endpoint_address_target_name", "api-2", "__meta_kubernetes_endpoint_hostname", "api-2"), notReady);
        // The pod's port no endpoint port covers gets its own target.
        var extra = group.Targets[2];
        Assert.Equal("10.0.0.7:9090", extra.Get("__address__"));
        Assert.Equal("metrics", extra.Get("__meta_kubernetes_pod_container_port_name"));
        Assert.False(extra.Has("__meta_kubernetes_endpoint_ready"));

        // A pod change rebuilds the endpoints that use it.
        var pods = await api.NextWatchAsync("/api/v1/namespaces/shop/pods");
        pods.Send("MODIFIED", FakeKubernetesApi.Pod("api-1", ns: "shop", ip: "10.0.0.7", resourceVersion: "8", labels: new() { ["app"] = "api", ["version"] = "v2" }, containers: containers));
        await probe.WaitAsync(g => g["endpoints/shop/api"].Targets[0].Get("__meta_kubernetes_pod_label_version") == "v2", what: "the pod change");

        // Deleting the endpoints removes the group.
        var endpoints = await api.NextWatchAsync("/api/v1/namespaces/shop/endpoints");
        endpoints.Send("DELETED", """{"metadata": {"name": "api", "namespace": "shop", "resourceVersion": "9"}}""");
        await probe.WaitAsync(g => g.Count == 0, what: "the deletion");
    }

    [Theory]
    [InlineData("app.kubernetes.io/name", "app_kubernetes_io_name")]
    [InlineData("example.com/team-owner", "example_com_team_owner")]
    [InlineData("plain_name1", "plain_name1")]
    public void Sanitizes_label_names_as_prometheus(string name, string expected)
        => Assert.Equal(expected, KubernetesTargets.SanitizeLabelName(name));
}
