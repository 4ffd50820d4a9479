namespace Vigil.Scrape.Scraping;

/// <summary>A target's health after its last scrape, as <c>/api/v1/targets</c> reports it.</summary>
public enum TargetHealth
{
    /// <summary>Not scraped yet (<c>unknown</c>).</summary>
    Unknown,

    /// <summary>The last scrape succeeded (<c>up</c>).</summary>
    Up,

    /// <summary>The last scrape failed (<c>down</c>).</summary>
    Down,
}

/// <summary>Prometheus's spelling of <see cref="TargetHealth"/>.</summary>
public static class TargetHealthNames
{
    /// <summary><c>up</c>, <c>down</c> or <c>unknown</c>.</summary>
    public static string Of(TargetHealth health) => health switch
    {
        TargetHealth.Up => "up",
        TargetHealth.Down => "down",
        _ => "unknown",
    };
}
