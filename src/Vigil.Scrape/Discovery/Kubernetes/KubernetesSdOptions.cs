using System.Globalization;

namespace Vigil.Scrape.Discovery.Kubernetes;

/// <summary>A label and/or field selector applied to the list and watch requests of one role's resources.</summary>
/// <param name="Role">The resource kind it applies to (for role endpoints, pod and service selectors apply to the pods and services watched alongside).</param>
/// <param name="Label">A label selector (<c>app=web,tier!=db</c>), or empty.</param>
/// <param name="Field">A field selector (<c>status.phase=Running</c>), or empty.</param>
public sealed record KubernetesSelector(KubernetesRole Role, string Label = "", string Field = "");

/// <summary>Settings of one <c>kubernetes_sd_configs</c> entry (roles pod, service, endpoints).</summary>
/// <param name="Role">What to discover.</param>
/// <param name="ApiServer">The API server's base URL.</param>
public sealed record KubernetesSdOptions(KubernetesRole Role, Uri ApiServer)
{
    /// <summary>The service account directory mounted into every pod.</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>The namespaces to watch; empty for all.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Selectors narrowing the watched resources.</summary>
    public IReadOnlyList<KubernetesSelector> Selectors { get; init; } = [];

    /// <summary>A file holding the bearer token, re-read before every list and watch (tokens are rotated); null for none.</summary>
    public string? BearerTokenFile { get; init; }

    /// <summary>A fixed bearer token; used when <see cref="BearerTokenFile"/> is null.</summary>
    public string? BearerToken { get; init; }

    /// <summary>A PEM file with the CA certificates that sign the API server's certificate; null to use the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Skip verification of the API server's certificate.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>How long to wait after a failed list or watch before listing again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The in-cluster configuration (Prometheus's default without <c>api_server</c>): <c>https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT</c>,
    /// the service account's token and CA.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not running in a cluster (the variables are unset).</exception>
    public static KubernetesSdOptions InCluster(KubernetesRole role)
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new InvalidOperationException("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined");
        }
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new KubernetesSdOptions(role, new Uri(string.Create(CultureInfo.InvariantCulture, $"https://{hostPart}:{port}")))
        {
            BearerTokenFile = Path.Combine(ServiceAccountDirectory, "token"),
            CaFile = Path.Combine(ServiceAccountDirectory, "ca.crt"),
        };
    }

    /// <summary>The namespace Vigil runs in (<c>namespaces.own_namespace</c>), from the service account, or null outside a cluster.</summary>
    public static string? OwnNamespace()
    {
        var path = Path.Combine(ServiceAccountDirectory, "namespace");
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
