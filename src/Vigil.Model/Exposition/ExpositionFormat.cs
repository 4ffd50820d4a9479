using System.Globalization;

namespace Vigil.Model.Exposition;

/// <summary>The text exposition formats Vigil reads and writes.</summary>
public enum ExpositionFormat
{
    /// <summary>Prometheus text format 0.0.4 (<c>text/plain; version=0.0.4</c>).</summary>
    PrometheusText,

    /// <summary>OpenMetrics 1.0 text (<c>application/openmetrics-text; version=1.0.0</c>).</summary>
    OpenMetrics,
}

/// <summary>Content types and <c>Accept</c> negotiation, as client_golang's <c>expfmt.NegotiateIncludingOpenMetrics</c> does it.</summary>
public static class ExpositionContentType
{
    /// <summary>The content type of text format 0.0.4.</summary>
    public const string PrometheusText = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The content type of OpenMetrics 1.0.</summary>
    public const string OpenMetrics = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /// <summary>The header Prometheus 2.42 sends when it scrapes.</summary>
    public const string ScrapeAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    /// <summary>The content type to send for <paramref name="format"/>.</summary>
    public static string Of(ExpositionFormat format) => format == ExpositionFormat.OpenMetrics ? OpenMetrics : PrometheusText;

    /// <summary>
    /// Picks the format to serve for an <c>Accept</c> header: the highest-q acceptable entry wins;
    /// OpenMetrics only when asked for explicitly (versions 0.0.1 and 1.0.0), text 0.0.4 otherwise.
    /// </summary>
    public static ExpositionFormat Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return ExpositionFormat.PrometheusText;
        }
        var entries = new List<(string Type, string? Version, double Q, int Order)>();
        var order = 0;
        foreach (var part in accept.Split(','))
        {
            var pieces = part.Split(';');
            var type = pieces[0].Trim().ToLowerInvariant();
            if (type.Length == 0)
            {
                continue;
            }
            string? version = null;
            var q = 1.0;
            for (var i = 1; i < pieces.Length; i++)
            {
                var kv = pieces[i].Split('=', 2);
                if (kv.Length != 2)
                {
                    continue;
                }
                var key = kv[0].Trim().ToLowerInvariant();
                var value = kv[1].Trim().Trim('"');
                if (key == "q")
                {
                    q = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                }
                else if (key == "version")
                {
                    version = value;
                }
            }
            entries.Add((type, version, q, order++));
        }
        entries.Sort(static (a, b) => a.Q != b.Q ? b.Q.CompareTo(a.Q) : a.Order.CompareTo(b.Order));
        foreach (var (type, version, q, _) in entries)
        {
            if (q <= 0)
            {
                continue;
            }
            if (type == "application/openmetrics-text" && (version is null or "1.0.0" or "0.0.1"))
            {
                return ExpositionFormat.OpenMetrics;
            }
            if (type == "text/plain" && (version is null or "0.0.4"))
            {
                return ExpositionFormat.PrometheusText;
            }
        }
        return ExpositionFormat.PrometheusText;
    }

    /// <summary>
    /// The format a scraped body is in, from its <c>Content-Type</c>, as Prometheus's textparse.New decides:
    /// OpenMetrics for <c>application/openmetrics-text</c>, text 0.0.4 for anything else.
    /// </summary>
    public static ExpositionFormat FromContentType(string? contentType)
    {
        if (contentType is null)
        {
            return ExpositionFormat.PrometheusText;
        }
        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semi >= 0 ? contentType[..semi] : contentType).Trim();
        return media.Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase)
            ? ExpositionFormat.OpenMetrics
            : ExpositionFormat.PrometheusText;
    }
}
