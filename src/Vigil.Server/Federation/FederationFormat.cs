using System.Globalization;

namespace Vigil.Server.Federation;

/// <summary>The exposition formats <c>/federate</c> answers in.</summary>
public enum FederationFormat
{
    /// <summary>Text format 0.0.4.</summary>
    Text,

    /// <summary>Length-delimited <c>io.prometheus.client.MetricFamily</c> protobuf messages.</summary>
    ProtoDelimited,
}

/// <summary>
/// client_golang's <c>expfmt.Negotiate</c> (the version Prometheus 2.42 vendors), over goautoneg's <c>ParseAccept</c>:
/// entries ordered by q, then concrete types before wildcards; the first protobuf entry naming
/// <c>proto=io.prometheus.client.MetricFamily</c> with <c>encoding=delimited</c>, or <c>text/plain</c> with version
/// 0.0.4 or none, decides; anything else is text. Prometheus would also serve the protobuf text encodings
/// (<c>encoding=text</c>, <c>compact-text</c>, Go-specific renderings); Vigil answers those with text 0.0.4.
/// </summary>
public static class FederationNegotiation
{
    /// <summary>The protobuf content type (<c>expfmt.FmtProtoDelim</c>).</summary>
    public const string ProtoDelimitedContentType = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    /// <summary>The format to serve for <paramref name="accept"/>.</summary>
    public static FederationFormat Negotiate(string? accept)
    {
        foreach (var entry in ParseAccept(accept ?? ""))
        {
            if (entry.Type + "/" + entry.SubType == "application/vnd.google.protobuf"
                && entry.Params.TryGetValue("proto", out var proto) && proto == "io.prometheus.client.MetricFamily")
            {
                var encoding = entry.Params.GetValueOrDefault("encoding");
                if (encoding == "delimited")
                {
                    return FederationFormat.ProtoDelimited;
                }
                if (encoding is "text" or "compact-text")
                {
                    return FederationFormat.Text;
                }
            }
            var version = entry.Params.GetValueOrDefault("version") ?? "";
            if (entry.Type == "text" && entry.SubType == "plain" && version is "0.0.4" or "")
            {
                return FederationFormat.Text;
            }
        }
        return FederationFormat.Text;
    }

    private sealed record Entry(string Type, string SubType, double Q, Dictionary<string, string> Params);

    /// <summary>goautoneg's <c>ParseAccept</c>, including its sort (an insertion sort for the usual short headers, as Go's).</summary>
    private static List<Entry> ParseAccept(string header)
    {
        var entries = new List<Entry>();
        foreach (var raw in header.Split(','))
        {
            var part = raw.Trim(' ');
            var pieces = part.Split(';');
            var range = pieces[0].Split('/');
            var type = range[0].Trim(' ');
            string subType;
            if (range.Length == 1 && type == "*")
            {
                subType = "*";
            }
            else if (range.Length == 2)
            {
                subType = range[1].Trim(' ');
            }
            else
            {
                continue;
            }
            var q = 1.0;
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i < pieces.Length; i++)
            {
                var kv = pieces[i].Split('=', 2);
                if (kv.Length != 2)
                {
                    continue;
                }
                var token = kv[0].Trim(' ');
                if (token == "q")
                {
                    // Go ignores the error and keeps 0 (strconv.ParseFloat's result on failure).
                    q = double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? (float)parsed : 0;
                }
                else
                {
                    parameters[token] = kv[1].Trim(' ');
                }
            }
            entries.Add(new Entry(type, subType, q, parameters));
        }
        // sort.Sort with goautoneg's Less; for up to 12 entries Go's sort is this insertion sort.
        for (var i = 1; i < entries.Count; i++)
        {
            for (var j = i; j > 0 && Less(entries[j], entries[j - 1]); j--)
            {
                (entries[j], entries[j - 1]) = (entries[j - 1], entries[j]);
            }
        }
        return entries;

        static bool Less(Entry a, Entry b) =>
            a.Q > b.Q || (a.Type != "*" && b.Type == "*") || (a.SubType != "*" && b.SubType == "*");
    }
}
