namespace Vigil.Scrape.Discovery;

/// <summary>Settings of one <c>http_sd_configs</c> entry (the HTTP client settings go into the <see cref="HttpClient"/> given to <see cref="HttpDiscoverer"/>).</summary>
/// <param name="Url">The endpoint; its text is <c>__meta_url</c> and the prefix of each group's source.</param>
public sealed record HttpSdOptions(Uri Url)
{
    /// <summary>How often to poll (Prometheus's default: 1 minute).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(1);
}
