using System.Globalization;
using Vigil.Model;

namespace Vigil.Scrape.Discovery.Kubernetes;

/// <summary>
/// Turns pods, services and endpoints into target groups with Prometheus 2.42's <c>__meta_kubernetes_*</c> labels
/// (discovery/kubernetes/pod.go, service.go, endpoints.go). Kubernetes label and annotation names are sanitized
/// (every character outside <c>[a-zA-Z0-9_]</c> becomes <c>_</c>).
/// </summary>
internal static class KubernetesTargets
{
    private const string Meta = "__meta_kubernetes_";
    public const string Namespace = Meta + "namespace";
    public const string PodName = Meta + "pod_name";
    public const string PodIP = Meta + "pod_ip";
    public const string PodContainerName = Meta + "pod_container_name";
    public const string PodContainerId = Meta + "pod_container_id";
    public const string PodContainerImage = Meta + "pod_container_image";
    public const string PodContainerPortName = Meta + "pod_container_port_name";
    public const string PodContainerPortNumber = Meta + "pod_container_port_number";
    public const string PodContainerPortProtocol = Meta + "pod_container_port_protocol";
    public const string PodContainerInit = Meta + "pod_container_init";
    public const string PodReady = Meta + "pod_ready";
    public const string PodPhase = Meta + "pod_phase";
    public const string PodNodeName = Meta + "pod_node_name";
    public const string PodHostIP = Meta + "pod_host_ip";
    public const string PodUid = Meta + "pod_uid";
    public const string PodControllerKind = Meta + "pod_controller_kind";
    public const string PodControllerName = Meta + "pod_controller_name";
    public const string ServiceName = Meta + "service_name";
    public const string ServicePortName = Meta + "service_port_name";
    public const string ServicePortNumber = Meta + "service_port_number";
    public const string ServicePortProtocol = Meta + "service_port_protocol";
    public const string ServiceClusterIP = Meta + "service_cluster_ip";
    public const string ServiceExternalName = Meta + "service_external_name";
    public const string ServiceType = Meta + "service_type";
    public const string EndpointsName = Meta + "endpoints_name";
    public const string EndpointNodeName = Meta + "endpoint_node_name";
    public const string EndpointHostname = Meta + "endpoint_hostname";
    public const string EndpointReady = Meta + "endpoint_ready";
    public const string EndpointPortName = Meta + "endpoint_port_name";
    public const string EndpointPortProtocol = Meta + "endpoint_port_protocol";
    public const string EndpointAddressTargetKind = Meta + "endpoint_address_target_kind";
    public const string EndpointAddressTargetName = Meta + "endpoint_address_target_name";

    public static string PodSource(string key) => "pod/" + key;

    public static string ServiceSource(string key) => "svc/" + key;

    public static string EndpointsSource(string key) => "endpoints/" + key;

    /// <summary>Prometheus's <c>strutil.SanitizeLabelName</c>.</summary>
    public static string SanitizeLabelName(string name)
    {
        foreach (var c in name)
        {
            if (!IsLabelChar(c))
            {
                return string.Create(name.Length, name, static (span, source) =>
                {
                    for (var i = 0; i < span.Length; i++)
                    {
                        span[i] = IsLabelChar(source[i]) ? source[i] : '_';
                    }
                });
            }
        }
        return name;
    }

    /// <summary>A pod's group: common pod labels, and a target per container port (init containers included).</summary>
    public static TargetGroup BuildPod(Pod pod)
    {
        var source = PodSource(pod.Key);
        // The pod IP is empty while a pod starts or after it was evicted: no targets then.
        if (pod.Status.PodIP.Length == 0)
        {
            return TargetGroup.Empty(source);
        }
        var common = new LabelsBuilder();
        AddPodLabels(common, pod);
        common.Set(Namespace, pod.Metadata.Namespace);
        var targets = new List<Labels>();
        var containers = pod.Spec.Containers ?? [];
        var initContainers = pod.Spec.InitContainers ?? [];
        for (var i = 0; i < containers.Count + initContainers.Count; i++)
        {
            var isInit = i >= containers.Count;
            var container = isInit ? initContainers[i - containers.Count] : containers[i];
            var statuses = isInit ? pod.Status.InitContainerStatuses : pod.Status.ContainerStatuses;
            var containerId = statuses?.Find(s => s.Name == container.Name)?.ContainerID ?? "";
            if (container.Ports is not { Count: > 0 })
            {
                // No ports: one target at the pod IP; the user adds a port by relabeling.
                targets.Add(new LabelsBuilder()
                    .Set(TargetGroup.AddressLabel, pod.Status.PodIP)
                    .Set(PodContainerName, container.Name)
                    .Set(PodContainerId, containerId)
                    .Set(PodContainerImage, container.Image)
                    .Set(PodContainerInit, isInit ? "true" : "false")
                    .ToLabels());
                continue;
            }
            foreach (var port in container.Ports)
            {
                var number = port.ContainerPort.ToString(CultureInfo.InvariantCulture);
                targets.Add(new LabelsBuilder()
                    .Set(TargetGroup.AddressLabel, DnsDiscoverer.HostPort(pod.Status.PodIP, port.ContainerPort))
                    .Set(PodContainerName, container.Name)
                    .Set(PodContainerId, containerId)
                    .Set(PodContainerImage, container.Image)
                    .Set(PodContainerPortNumber, number)
                    .Set(PodContainerPortName, port.Name)
                    .Set(PodContainerPortProtocol, port.Protocol)
                    .Set(PodContainerInit, isInit ? "true" : "false")
                    .ToLabels());
            }
        }
        return new TargetGroup(source, targets, common.ToLabels());
    }

    /// <summary>A service's group: a target per port at <c>name.namespace.svc:port</c>.</summary>
    public static TargetGroup BuildService(Service service)
    {
        var common = new LabelsBuilder();
        AddServiceLabels(common, service);
        var targets = new List<Labels>();
        foreach (var port in service.Spec.Ports ?? [])
        {
            var target = new LabelsBuilder()
                .Set(TargetGroup.AddressLabel, DnsDiscoverer.HostPort($"{service.Metadata.Name}.{service.Metadata.Namespace}.svc", port.Port))
                .Set(ServicePortName, port.Name)
                .Set(ServicePortNumber, port.Port.ToString(CultureInfo.InvariantCulture))
                .Set(ServicePortProtocol, port.Protocol)
                .Set(ServiceType, service.Spec.Type);
            if (service.Spec.Type == "ExternalName")
            {
                target.Set(ServiceExternalName, service.Spec.ExternalName);
            }
            else
            {
                target.Set(ServiceClusterIP, service.Spec.ClusterIP);
            }
            targets.Add(target.ToLabels());
        }
        return new TargetGroup(ServiceSource(service.Key), targets, common.ToLabels());
    }

    /// <summary>
    /// An Endpoints object's group: a target per address and port (ready ones, then not-ready ones), with the backing
    /// pod's labels and the matching container port; then a target for every port of those pods no endpoint port
    /// covered. Common labels: namespace, endpoints name and labels, and the same-named service's labels.
    /// </summary>
    public static TargetGroup BuildEndpoints(Endpoints endpoints, Func<string, Service?> services, Func<string, Pod?> pods)
    {
        var common = new LabelsBuilder()
            .Set(Namespace, endpoints.Metadata.Namespace)
            .Set(EndpointsName, endpoints.Metadata.Name);
        if (services(endpoints.Key) is { } service)
        {
            AddServiceLabels(common, service);
        }
        AddMetaLabels(common, Meta + "endpoints_label_", Meta + "endpoints_labelpresent_", endpoints.Metadata.Labels);

        var targets = new List<Labels>();
        var seenPods = new List<(Pod Pod, List<int> Ports)>();
        void Add(EndpointAddress address, EndpointPort port, string ready)
        {
            var target = new LabelsBuilder()
                .Set(TargetGroup.AddressLabel, DnsDiscoverer.HostPort(address.IP, port.Port))
                .Set(EndpointPortName, port.Name)
                .Set(EndpointPortProtocol, port.Protocol)
                .Set(EndpointReady, ready);
            if (address.TargetRef is { } reference)
            {
                target.Set(EndpointAddressTargetKind, reference.Kind).Set(EndpointAddressTargetName, reference.Name);
            }
            if (address.NodeName is { } node)
            {
                target.Set(EndpointNodeName, node);
            }
            if (address.Hostname.Length > 0)
            {
                target.Set(EndpointHostname, address.Hostname);
            }
            var pod = address.TargetRef is { Kind: "Pod" } r ? pods(r.Namespace + "/" + r.Name) : null;
            if (pod is null)
            {
                targets.Add(target.ToLabels());
                return;
            }
            var entry = seenPods.Find(p => p.Pod.Key == pod.Key);
            if (entry.Pod is null)
            {
                entry = (pod, []);
                seenPods.Add(entry);
            }
            AddPodLabels(target, pod);
            foreach (var container in pod.Spec.Containers ?? [])
            {
                var match = container.Ports?.Find(p => p.ContainerPort == port.Port);
                if (match is not null)
                {
                    target.Set(PodContainerName, container.Name)
                        .Set(PodContainerImage, container.Image)
                        .Set(PodContainerPortName, match.Name)
                        .Set(PodContainerPortNumber, port.Port.ToString(CultureInfo.InvariantCulture))
                        .Set(PodContainerPortProtocol, port.Protocol);
                    break;
                }
            }
            entry.Ports.Add(port.Port);
            targets.Add(target.ToLabels());
        }

        foreach (var subset in endpoints.Subsets ?? [])
        {
            foreach (var port in subset.Ports ?? [])
            {
                foreach (var address in subset.Addresses ?? [])
                {
                    Add(address, port, "true");
                }
                foreach (var address in subset.NotReadyAddresses ?? [])
                {
                    Add(address, port, "false");
                }
            }
        }

        // Ports of the seen pods that no endpoint port covered get targets of their own.
        foreach (var (pod, ports) in seenPods)
        {
            foreach (var container in pod.Spec.Containers ?? [])
            {
                foreach (var port in container.Ports ?? [])
                {
                    if (ports.Contains(port.ContainerPort))
                    {
                        continue;
                    }
                    var target = new LabelsBuilder()
                        .Set(TargetGroup.AddressLabel, DnsDiscoverer.HostPort(pod.Status.PodIP, port.ContainerPort))
                        .Set(PodContainerName, container.Name)
                        .Set(PodContainerImage, container.Image)
                        .Set(PodContainerPortName, port.Name)
                        .Set(PodContainerPortNumber, port.ContainerPort.ToString(CultureInfo.InvariantCulture))
                        .Set(PodContainerPortProtocol, port.Protocol);
                    AddPodLabels(target, pod);
                    targets.Add(target.ToLabels());
                }
            }
        }
        return new TargetGroup(EndpointsSource(endpoints.Key), targets, common.ToLabels());
    }

    /// <summary>Whether <paramref name="endpoints"/> has an address backed by the pod <paramref name="podKey"/>.</summary>
    public static bool References(Endpoints endpoints, string podKey)
    {
        foreach (var subset in endpoints.Subsets ?? [])
        {
            foreach (var list in (ReadOnlySpan<List<EndpointAddress>?>)[subset.Addresses, subset.NotReadyAddresses])
            {
                foreach (var address in list ?? [])
                {
                    if (address.TargetRef is { Kind: "Pod" } r && r.Namespace + "/" + r.Name == podKey)
                    {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void AddPodLabels(LabelsBuilder labels, Pod pod)
    {
        labels.Set(PodName, pod.Metadata.Name)
            .Set(PodIP, pod.Status.PodIP)
            .Set(PodReady, Ready(pod))
            .Set(PodPhase, pod.Status.Phase)
            .Set(PodNodeName, pod.Spec.NodeName)
            .Set(PodHostIP, pod.Status.HostIP)
            .Set(PodUid, pod.Metadata.Uid);
        if (pod.Metadata.OwnerReferences?.Find(o => o.Controller == true) is { } controller)
        {
            labels.Set(PodControllerKind, controller.Kind).Set(PodControllerName, controller.Name);
        }
        AddMetaLabels(labels, Meta + "pod_label_", Meta + "pod_labelpresent_", pod.Metadata.Labels);
        AddMetaLabels(labels, Meta + "pod_annotation_", Meta + "pod_annotationpresent_", pod.Metadata.Annotations);
    }

    private static void AddServiceLabels(LabelsBuilder labels, Service service)
    {
        labels.Set(ServiceName, service.Metadata.Name).Set(Namespace, service.Metadata.Namespace);
        AddMetaLabels(labels, Meta + "service_label_", Meta + "service_labelpresent_", service.Metadata.Labels);
        AddMetaLabels(labels, Meta + "service_annotation_", Meta + "service_annotationpresent_", service.Metadata.Annotations);
    }

    private static void AddMetaLabels(LabelsBuilder labels, string valuePrefix, string presentPrefix, Dictionary<string, string>? source)
    {
        if (source is null)
        {
            return;
        }
        foreach (var (name, value) in source)
        {
            var sanitized = SanitizeLabelName(name);
            labels.Set(valuePrefix + sanitized, value);
            labels.Set(presentPrefix + sanitized, "true");
        }
    }

    private static string Ready(Pod pod)
    {
        var condition = pod.Status.Conditions?.Find(c => c.Type == "Ready");
        return condition is null ? "unknown" : condition.Status.ToLowerInvariant();
    }

    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
