using System.Text;

namespace Vigil.Model.Naming;

/// <summary>What an OpenTelemetry instrument's (or OTLP metric's) name becomes in Prometheus.</summary>
/// <param name="Name">The family name as text 0.0.4 writes it (counters end in <c>_total</c>).</param>
/// <param name="OpenMetricsName">The family name OpenMetrics declares in HELP/TYPE/UNIT (counters without <c>_total</c>).</param>
/// <param name="Unit">The OpenMetrics UNIT, or empty when the name does not end in a unit.</param>
/// <param name="Scale">What each measurement is multiplied by (1 unless converted to a base unit).</param>
public readonly record struct OtelMetricName(string Name, string OpenMetricsName, string Unit, double Scale);

/// <summary>
/// OpenTelemetry → Prometheus name translation, after the OTel specification
/// "Prometheus and OpenMetrics Compatibility", section "OTLP Metric points to Prometheus" (Metric Metadata,
/// Sums, Metric Attributes), plus the few changes promtool's linter (client_golang promlint) needs so the
/// output lints clean. Every rule that goes beyond the specification says so.
/// </summary>
public static class OtelMetricNames
{
    // Spec, Metric Metadata: "Converting from abbreviations to full words (e.g. "ms" to "milliseconds")".
    // The table is the one the Collector's translator (pkg/translator/prometheus) uses.
    private static readonly Dictionary<string, string> s_unitWords = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tebibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    // The denominator of "x/y" is singular: "By/s" → "bytes_per_second".
    private static readonly Dictionary<string, string> s_perUnitWords = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["min"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    // Beyond the spec: promtool lints any non-base unit ("use base unit "seconds" instead of "milliseconds"").
    // With base-unit conversion on, these units are exported in the base unit and every measurement is scaled.
    private static readonly Dictionary<string, (string Word, double Scale)> s_baseUnits = new(StringComparer.Ordinal)
    {
        ["d"] = ("seconds", 86400),
        ["h"] = ("seconds", 3600),
        ["min"] = ("seconds", 60),
        ["ms"] = ("seconds", 1e-3),
        ["us"] = ("seconds", 1e-6),
        ["ns"] = ("seconds", 1e-9),
        ["KiBy"] = ("bytes", 1024),
        ["MiBy"] = ("bytes", 1024.0 * 1024),
        ["GiBy"] = ("bytes", 1024.0 * 1024 * 1024),
        ["TiBy"] = ("bytes", 1024.0 * 1024 * 1024 * 1024),
        ["KBy"] = ("bytes", 1e3),
        ["MBy"] = ("bytes", 1e6),
        ["GBy"] = ("bytes", 1e9),
        ["TBy"] = ("bytes", 1e12),
    };

    /// <summary>
    /// The Prometheus name of an instrument.
    /// </summary>
    /// <param name="instrumentName">The instrument's name, e.g. <c>http.server.request.duration</c>.</param>
    /// <param name="unit">The instrument's UCUM unit, e.g. <c>s</c>, <c>By</c>, <c>{request}</c>, <c>By/s</c>.</param>
    /// <param name="type">Counter (monotonic sums), Gauge (gauges and non-monotonic sums) or Histogram.</param>
    /// <param name="isGauge">Whether the instrument is an OpenTelemetry gauge (the only kind unit <c>1</c> makes a <c>_ratio</c>).</param>
    /// <param name="convertToBaseUnits">Whether to export ms, KiBy, ... as seconds and bytes.</param>
    public static OtelMetricName Metric(string instrumentName, string? unit, MetricType type, bool isGauge, bool convertToBaseUnits)
    {
        ArgumentNullException.ThrowIfNull(instrumentName);
        var tokens = Tokens(instrumentName);

        // Counters end in _total exactly once (spec, Sums); promtool rejects _total on anything else, so
        // beyond the spec a non-counter loses a trailing "total".
        if (tokens.Count > 0 && tokens[^1] == "total")
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        var (unitTokens, scale) = UnitTokens(unit, isGauge, convertToBaseUnits);

        // Spec, Metric Metadata: the unit is a suffix "unless the metric name already contains the unit",
        // and "the unit suffix comes before any type-specific suffixes".
        if (unitTokens.Count > 0 && IndexOf(tokens, unitTokens) < 0)
        {
            tokens.AddRange(unitTokens);
        }

        // Beyond the spec: promtool lints a gauge named *_count, *_sum or *_bucket (they read as parts of a
        // histogram and can collide with one), e.g. System.Runtime's dotnet.timer.count. Such gauges get "_current".
        if (type == MetricType.Gauge && tokens.Count > 0 && tokens[^1] is "count" or "sum" or "bucket")
        {
            tokens.Add("current");
        }

        if (tokens.Count == 0)
        {
            tokens.Add("_");
        }

        var baseName = Join(tokens);
        var unitText = unitTokens.Count > 0 && EndsWith(tokens, unitTokens) ? string.Join('_', unitTokens) : "";
        var name = type == MetricType.Counter ? baseName + "_total" : baseName;
        return new OtelMetricName(name, baseName, unitText, scale);
    }

    /// <summary>
    /// A tag key as a Prometheus label name (spec, Metric Attributes): invalid characters become <c>_</c>,
    /// runs of <c>_</c> collapse, a leading digit gets a <c>_</c> prefix. Beyond the spec, camelCase is
    /// split into snake_case and lowercased (promtool lints camelCase label names), and <c>le</c> and
    /// <c>quantile</c>, which belong to histograms and summaries, become <c>tag_le</c> and <c>tag_quantile</c>.
    /// </summary>
    public static string Label(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var tokens = Tokens(key);
        if (tokens.Count == 0)
        {
            return "_";
        }
        var name = Join(tokens);
        return name is "le" or "quantile" ? "tag_" + name : name;
    }

    private static (List<string> Tokens, double Scale) UnitTokens(string? unit, bool isGauge, bool convertToBaseUnits)
    {
        var result = new List<string>();
        if (string.IsNullOrWhiteSpace(unit))
        {
            return (result, 1);
        }

        // Spec: "Dropping the portions of the Unit within brackets (e.g. {packet})."
        var text = StripAnnotations(unit);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var main = (slash >= 0 ? text[..slash] : text).Trim();
        var per = slash >= 0 ? text[(slash + 1)..].Trim() : "";
        var scale = 1.0;

        if (main == "1")
        {
            // Spec: "Special case: Converting "1" to "ratio"" — for gauges; a "1" sum is a plain count.
            if (per.Length == 0 && isGauge)
            {
                result.Add("ratio");
            }
        }
        else if (main.Length > 0)
        {
            if (convertToBaseUnits && s_baseUnits.TryGetValue(main, out var baseUnit))
            {
                result.Add(baseUnit.Word);
                scale = baseUnit.Scale;
            }
            else if (s_unitWords.TryGetValue(main, out var word))
            {
                result.Add(word);
            }
            else
            {
                result.AddRange(Tokens(main));
            }
        }

        if (per.Length > 0)
        {
            // Spec: "Converting "foo/bar" to "foo_per_bar"."
            result.Add("per");
            result.AddRange(s_perUnitWords.TryGetValue(per, out var perWord) ? [perWord] : Tokens(per));
        }
        return (result, scale);
    }

    private static string StripAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }
        var sb = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Splits a name into lowercase <c>[a-z0-9]+</c> tokens: every other character separates tokens (spec:
    /// invalid characters become <c>_</c>, runs of <c>_</c> collapse; <c>:</c> is legal in Prometheus but reserved
    /// for recording rules, so it separates too), and so does a camelCase boundary (<c>requestCount</c>,
    /// <c>HTTPServer</c>). Lowercasing is safe for names: OpenTelemetry instrument names are case-insensitive.
    /// </summary>
    internal static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var isUpper = c is >= 'A' and <= 'Z';
            var isLower = c is >= 'a' and <= 'z';
            var isDigit = c is >= '0' and <= '9';
            if (!isUpper && !isLower && !isDigit)
            {
                Flush(tokens, sb);
                continue;
            }
            if (isUpper && sb.Length > 0 && i > 0)
            {
                var prev = text[i - 1];
                var prevLowerOrDigit = prev is (>= 'a' and <= 'z') or (>= '0' and <= '9');
                var nextLower = i + 1 < text.Length && text[i + 1] is >= 'a' and <= 'z';
                var prevUpper = prev is >= 'A' and <= 'Z';
                if (prevLowerOrDigit || (prevUpper && nextLower))
                {
                    Flush(tokens, sb);
                }
            }
            sb.Append(isUpper ? (char)(c + ('a' - 'A')) : c);
        }
        Flush(tokens, sb);
        return tokens;

        static void Flush(List<string> tokens, StringBuilder sb)
        {
            if (sb.Length > 0)
            {
                tokens.Add(sb.ToString());
                sb.Clear();
            }
        }
    }

    private static string Join(List<string> tokens)
    {
        var joined = string.Join('_', tokens);
        return joined.Length > 0 && joined[0] is >= '0' and <= '9' ? "_" + joined : joined;
    }

    private static int IndexOf(List<string> tokens, List<string> sequence)
    {
        for (var i = 0; i + sequence.Count <= tokens.Count; i++)
        {
            var match = true;
            for (var j = 0; j < sequence.Count && match; j++)
            {
                match = tokens[i + j] == sequence[j];
            }
            if (match)
            {
                return i;
            }
        }
        return -1;
    }

    private static bool EndsWith(List<string> tokens, List<string> suffix)
        => tokens.Count >= suffix.Count && IndexOf(tokens[(tokens.Count - suffix.Count)..], suffix) == 0;
}
