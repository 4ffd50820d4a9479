namespace Vigil.Scrape.Scraping;

/// <summary>The reserved target labels the scrape engine reads, named as in Prometheus's <c>common/model</c>.</summary>
public static class ScrapeLabels
{
    /// <summary><c>__address__</c>: host and port to scrape.</summary>
    public const string Address = "__address__";

    /// <summary><c>__scheme__</c>: <c>http</c> or <c>https</c>.</summary>
    public const string Scheme = "__scheme__";

    /// <summary><c>__metrics_path__</c>: the path to scrape.</summary>
    public const string MetricsPath = "__metrics_path__";

    /// <summary><c>__param_</c>: prefix of labels that become URL query parameters.</summary>
    public const string ParamPrefix = "__param_";

    /// <summary><c>exported_</c>: prefix given to scraped labels that clash with target labels (without honor_labels).</summary>
    public const string ExportedPrefix = "exported_";

    /// <summary><c>job</c>.</summary>
    public const string Job = "job";

    /// <summary><c>instance</c>.</summary>
    public const string Instance = "instance";
}
