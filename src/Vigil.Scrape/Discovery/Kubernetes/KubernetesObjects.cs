using System.Text.Json;

namespace Vigil.Scrape.Discovery.Kubernetes;

// The parts of the core/v1 API objects discovery reads (k8s.io/api/core/v1/types.go), bound by System.Text.Json.
#pragma warning disable CA1812 // instantiated by the JSON serializer

/// <summary>Anything with object metadata.</summary>
internal abstract class KubeObject
{
    public ObjectMeta Metadata { get; set; } = new();

    public string Key => Metadata.Namespace + "/" + Metadata.Name;
}

internal sealed class ObjectMeta
{
    public string Name { get; set; } = "";

    public string Namespace { get; set; } = "";

    public string Uid { get; set; } = "";

    public string ResourceVersion { get; set; } = "";

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }
}

internal sealed class OwnerReference
{
    public string Kind { get; set; } = "";

    public string Name { get; set; } = "";

    public bool? Controller { get; set; }
}

internal sealed class Pod : KubeObject
{
    public PodSpec Spec { get; set; } = new();

    public PodStatus Status { get; set; } = new();
}

internal sealed class PodSpec
{
    public string NodeName { get; set; } = "";

    public List<Container>? Containers { get; set; }

    public List<Container>? InitContainers { get; set; }
}

internal sealed class Container
{
    public string Name { get; set; } = "";

    public string Image { get; set; } = "";

    public List<ContainerPortSpec>? Ports { get; set; }
}

internal sealed class ContainerPortSpec
{
    public string Name { get; set; } = "";

    public int ContainerPort { get; set; }

    public string Protocol { get; set; } = "";
}

internal sealed class PodStatus
{
    public string Phase { get; set; } = "";

    public string PodIP { get; set; } = "";

    public string HostIP { get; set; } = "";

    public List<PodCondition>? Conditions { get; set; }

    public List<ContainerStatus>? ContainerStatuses { get; set; }

    public List<ContainerStatus>? InitContainerStatuses { get; set; }
}

internal sealed class PodCondition
{
    public string Type { get; set; } = "";

    public string Status { get; set; } = "";
}

internal sealed class ContainerStatus
{
    public string Name { get; set; } = "";

    public string ContainerID { get; set; } = "";
}

internal sealed class Service : KubeObject
{
    public ServiceSpec Spec { get; set; } = new();
}

internal sealed class ServiceSpec
{
    public string Type { get; set; } = "";

    public string ClusterIP { get; set; } = "";

    public string ExternalName { get; set; } = "";

    public List<ServicePort>? Ports { get; set; }
}

internal sealed class ServicePort
{
    public string Name { get; set; } = "";

    public string Protocol { get; set; } = "";

    public int Port { get; set; }
}

internal sealed class Endpoints : KubeObject
{
    public List<EndpointSubset>? Subsets { get; set; }
}

internal sealed class EndpointSubset
{
    public List<EndpointAddress>? Addresses { get; set; }

    public List<EndpointAddress>? NotReadyAddresses { get; set; }

    public List<EndpointPort>? Ports { get; set; }
}

internal sealed class EndpointAddress
{
    public string IP { get; set; } = "";

    public string Hostname { get; set; } = "";

    public string? NodeName { get; set; }

    public ObjectReference? TargetRef { get; set; }
}

internal sealed class ObjectReference
{
    public string Kind { get; set; } = "";

    public string Namespace { get; set; } = "";

    public string Name { get; set; } = "";
}

internal sealed class EndpointPort
{
    public string Name { get; set; } = "";

    public int Port { get; set; }

    public string Protocol { get; set; } = "";
}

/// <summary>A list response: <c>{"metadata": {"resourceVersion": ..., "continue": ...}, "items": [...]}</c>.</summary>
internal sealed class KubeList<T>
{
    public ListMeta Metadata { get; set; } = new();

    public List<T>? Items { get; set; }
}

internal sealed class ListMeta
{
    public string ResourceVersion { get; set; } = "";

    public string Continue { get; set; } = "";
}

/// <summary>One line of a watch stream: <c>{"type": "ADDED", "object": {...}}</c>.</summary>
internal sealed class WatchEvent
{
    public string Type { get; set; } = "";

    public JsonElement Object { get; set; }
}

/// <summary>The Status object of an error (a watch's ERROR event, a failed request).</summary>
internal sealed class KubeStatus
{
    public int Code { get; set; }

    public string Reason { get; set; } = "";

    public string Message { get; set; } = "";
}
#pragma warning restore CA1812
