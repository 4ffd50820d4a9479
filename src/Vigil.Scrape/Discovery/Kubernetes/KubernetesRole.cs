namespace Vigil.Scrape.Discovery.Kubernetes;

/// <summary>What a Kubernetes discoverer turns into targets.</summary>
public enum KubernetesRole
{
    /// <summary>One target per pod container port (or per container without ports).</summary>
    Pod,

    /// <summary>One target per service port, at the service's DNS name.</summary>
    Service,

    /// <summary>One target per endpoint address and port, with the backing pod's and service's labels.</summary>
    Endpoints,
}
