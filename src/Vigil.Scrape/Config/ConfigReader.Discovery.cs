using Vigil.Model;
using Vigil.Yaml;

namespace Vigil.Scrape.Config;

internal sealed partial class ConfigReader
{
    /// <summary>Go's type name for a target group, as yaml.v2 prints it in errors.</summary>
    internal const string TargetGroupType = "struct { Targets []string \"yaml:\\\"targets\\\"\"; Labels model.LabelSet \"yaml:\\\"labels\\\"\" }";

    private static readonly string[] s_kubernetesRoles = ["pod", "service", "endpoints", "endpointslice", "node", "ingress"];

    private sealed class DiscoveryFields
    {
        public List<StaticConfig> Static = [];
        public List<FileSdConfig> File = [];
        public List<HttpSdConfig> Http = [];
        public List<DnsSdConfig> Dns = [];
        public List<KubernetesSdConfig> Kubernetes = [];

        public DiscoveryConfigs Finish() => new() { Static = Static, File = File, Http = Http, Dns = Dns, Kubernetes = Kubernetes };
    }

    private bool DiscoveryField(DiscoveryFields d, string key, YamlNode value)
    {
        switch (key)
        {
            case "static_configs": d.Static = Seq(value, "[]*targetgroup.Group", null, TargetGroup); return true;
            case "file_sd_configs": d.File = Seq(value, "[]*file.SDConfig", null, FileSd); return true;
            case "http_sd_configs": d.Http = Seq(value, "[]*http.SDConfig", null, HttpSd); return true;
            case "dns_sd_configs": d.Dns = Seq(value, "[]*dns.SDConfig", null, DnsSd); return true;
            case "kubernetes_sd_configs": d.Kubernetes = Seq(value, "[]*kubernetes.SDConfig", null, KubernetesSd); return true;
            default: return false;
        }
    }

    /// <summary>A target group (<c>targets</c> and <c>labels</c>), as in static_configs and file_sd YAML files.</summary>
    internal StaticConfig? TargetGroup(YamlNode node)
    {
        var group = new StaticConfig();
        Fields(node, TargetGroupType, (key, value) =>
        {
            switch (key)
            {
                case "targets":
                    var targets = StrList(value);
                    foreach (var t in targets)
                    {
                        if (t.Contains('/', StringComparison.Ordinal))
                        {
                            Error(value, $"\"{t}\" is not a valid hostname");
                        }
                    }
                    group.Targets = targets;
                    return true;
                case "labels": group.Labels = LabelSet(value); return true;
                default: return false;
            }
        });
        return group;
    }

    private FileSdConfig? FileSd(YamlNode node)
    {
        var config = new FileSdConfig();
        Fields(node, "file.plain", (key, value) =>
        {
            switch (key)
            {
                case "files": config.Files = StrList(value); return true;
                case "refresh_interval": config.RefreshInterval = Duration(value, config.RefreshInterval); return true;
                default: return false;
            }
        });
        if (config.Files.Count == 0)
        {
            Error(node, "file service discovery config must contain at least one path name");
        }
        foreach (var name in config.Files)
        {
            if (!IsValidFileSdPath(name))
            {
                Error(node, $"path name \"{name}\" is not valid for file discovery");
            }
        }
        return config;
    }

    // Prometheus's patFileSDName: ^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$
    internal static bool IsValidFileSdPath(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot < 0 || name[(dot + 1)..] is not ("json" or "yml" or "yaml" or "JSON" or "YML" or "YAML"))
        {
            return false;
        }
        var stem = name[..dot];
        var star = stem.IndexOf('*', StringComparison.Ordinal);
        return star < 0 || stem.IndexOf('/', star) < 0 && stem.IndexOf('*', star + 1) < 0;
    }

    private HttpSdConfig? HttpSd(YamlNode node)
    {
        var config = new HttpSdConfig();
        var http = new HttpClientFields();
        string? url = null;
        YamlNode? urlNode = null;
        Fields(node, "http.plain", (key, value) =>
        {
            switch (key)
            {
                case "url": url = Str(value); urlNode = value; return true;
                case "refresh_interval": config.RefreshInterval = Duration(value, config.RefreshInterval); return true;
                default: return HttpClientField(http, key, value);
            }
        });
        config.HttpClient = FinishHttpClient(http, node);
        if (string.IsNullOrEmpty(url))
        {
            Error(node, "URL is missing");
            return config;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            Error(urlNode!, url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal)
                ? "host is missing in URL"
                : $"parse \"{url}\": missing protocol scheme");
            return config;
        }
        if (!IsHttpUrl(parsed))
        {
            Error(urlNode!, "URL scheme must be 'http' or 'https'");
        }
        else if (parsed.Host.Length == 0)
        {
            Error(urlNode!, "host is missing in URL");
        }
        config.Url = parsed;
        return config;
    }

    private DnsSdConfig? DnsSd(YamlNode node)
    {
        var config = new DnsSdConfig();
        YamlNode? typeNode = null;
        Fields(node, "dns.plain", (key, value) =>
        {
            switch (key)
            {
                case "names": config.Names = StrList(value); return true;
                case "refresh_interval": config.RefreshInterval = Duration(value, config.RefreshInterval); return true;
                case "type": config.Type = Str(value); typeNode = value; return true;
                case "port": config.Port = Int(value); return true;
                default: return false;
            }
        });
        if (config.Names.Count == 0)
        {
            Error(node, "DNS-SD config must contain at least one SRV record name");
            return config;
        }
        var type = config.Type.ToUpperInvariant();
        switch (type)
        {
            case "SRV":
                break;
            case "A" or "AAAA" or "MX":
                if (config.Port == 0)
                {
                    Error(node, "a port is required in DNS-SD configs for all record types except SRV");
                }
                break;
            default:
                Error(typeNode ?? node, $"invalid DNS-SD records type {config.Type}");
                break;
        }
        config.Type = type;
        return config;
    }

    private KubernetesSdConfig? KubernetesSd(YamlNode node)
    {
        var config = new KubernetesSdConfig();
        var http = new HttpClientFields();
        YamlNode? roleNode = null;
        Fields(node, "kubernetes.plain", (key, value) =>
        {
            switch (key)
            {
                case "role": config.Role = Str(value); roleNode = value; return true;
                case "api_server": config.ApiServer = Url(value); return true;
                case "kubeconfig_file": config.KubeconfigFile = Str(value); return true;
                case "namespaces":
                    Fields(value, "kubernetes.NamespaceDiscovery", (k, v) =>
                    {
                        switch (k)
                        {
                            case "own_namespace": config.OwnNamespace = Bool(v, false); return true;
                            case "names": config.Namespaces = StrList(v); return true;
                            default: return false;
                        }
                    });
                    return true;
                case "selectors":
                    config.Selectors = Seq(value, "[]kubernetes.SelectorConfig", null, s =>
                    {
                        var selector = new KubernetesSelector();
                        Fields(s, "kubernetes.SelectorConfig", (k, v) =>
                        {
                            switch (k)
                            {
                                case "role": selector.Role = Str(v); return true;
                                case "label": selector.Label = Str(v); return true;
                                case "field": selector.Field = Str(v); return true;
                                default: return false;
                            }
                        });
                        if (Array.IndexOf(s_kubernetesRoles, selector.Role) < 0)
                        {
                            Error(s, $"invalid role: \"{selector.Role}\", expecting one of: pod, service, endpoints, endpointslice, node or ingress");
                        }
                        return selector;
                    });
                    return true;
                case "attach_metadata":
                    Fields(value, "kubernetes.AttachMetadataConfig", (k, v) =>
                    {
                        if (k != "node")
                        {
                            return false;
                        }
                        config.AttachNodeMetadata = Bool(v, false);
                        return true;
                    });
                    return true;
                default: return HttpClientField(http, key, value);
            }
        });
        config.HttpClient = FinishHttpClient(http, node);
        if (config.Role.Length == 0)
        {
            Error(node, "role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
        }
        else if (Array.IndexOf(s_kubernetesRoles, config.Role) < 0)
        {
            Error(roleNode!, $"unknown Kubernetes SD role \"{config.Role}\"");
        }
        if (config.ApiServer is null && config.KubeconfigFile.Length == 0 && !config.HttpClient.IsDefault)
        {
            Error(node, "to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
        }
        if (config.ApiServer is not null && config.KubeconfigFile.Length > 0)
        {
            Error(node, "cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        }
        if (config.OwnNamespace && config.Namespaces.Count > 0)
        {
            // Allowed by Prometheus: both are watched.
        }
        foreach (var selector in config.Selectors)
        {
            if (config.Role.Length > 0 && !SelectorRoleAllowed(config.Role, selector.Role))
            {
                Error(node, $"{config.Role} role supports only {AllowedSelectorRoles(config.Role)} selectors");
            }
        }
        return config;
    }

    private static bool SelectorRoleAllowed(string role, string selectorRole) => role switch
    {
        "endpoints" => selectorRole is "pod" or "service" or "endpoints",
        "endpointslice" => selectorRole is "pod" or "service" or "endpointslice",
        _ => selectorRole == role,
    };

    private static string AllowedSelectorRoles(string role) => role switch
    {
        "endpoints" => "pod, service, endpoints",
        "endpointslice" => "pod, service, endpointslice",
        _ => role,
    };
}
