namespace Vigil.Scrape.Discovery;

/// <summary>Settings of one <c>file_sd_configs</c> entry.</summary>
/// <param name="Files">Paths; the last element may contain <c>*</c> (and <c>?</c>). Each must end in .json, .yml or .yaml.</param>
public sealed record FileSdOptions(IReadOnlyList<string> Files)
{
    /// <summary>How often to re-read every file even without a change notification (Prometheus's default: 5 minutes).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);
}
