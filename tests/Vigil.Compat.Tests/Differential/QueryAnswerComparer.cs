using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Vigil.Compat.Tests.Differential;

/// <summary>One HTTP answer of a query endpoint: the status code and the body.</summary>
public sealed record QueryAnswer(HttpStatusCode Status, string Body, TimeSpan Elapsed);

/// <summary>
/// Whether two answers of <c>/api/v1/query</c> or <c>/api/v1/query_range</c> mean the same: HTTP status, <c>status</c>,
/// <c>errorType</c> for errors; <c>resultType</c>, the same label sets (in the same order only when asked, as for
/// <c>sort</c>), the same timestamps, and values equal within 1e-9 relative (or both NaN, or the same infinity).
/// </summary>
public static class QueryAnswerComparer
{
    /// <summary>Relative tolerance for values: float sums in another order may differ in the last bits.</summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>Null when the answers agree, else what differs first (a few lines, most useful first).</summary>
    public static string? Difference(QueryAnswer expected, QueryAnswer actual, bool ordered)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        JsonDocument e, a;
        try
        {
            e = JsonDocument.Parse(expected.Body);
        }
        catch (JsonException)
        {
            return $"Prometheus's answer is not JSON (HTTP {(int)expected.Status})";
        }
        try
        {
            a = JsonDocument.Parse(actual.Body);
        }
        catch (JsonException)
        {
            e.Dispose();
            return $"Vigil's answer is not JSON (HTTP {(int)actual.Status})";
        }
        using (e)
        using (a)
        {
            var er = e.RootElement;
            var ar = a.RootElement;
            var es = String(er, "status");
            var @as = String(ar, "status");
            if (es != @as)
            {
                return $"status {es} vs {@as} (HTTP {(int)expected.Status} vs {(int)actual.Status})";
            }
            if (es == "error")
            {
                var et = String(er, "errorType");
                var at = String(ar, "errorType");
                if (et != at)
                {
                    return $"errorType {et} vs {at}";
                }
                return expected.Status != actual.Status ? $"HTTP {(int)expected.Status} vs {(int)actual.Status} for errorType {et}" : null;
            }
            if (expected.Status != actual.Status)
            {
                return $"HTTP {(int)expected.Status} vs {(int)actual.Status}";
            }
            var ed = er.GetProperty("data");
            var ad = ar.TryGetProperty("data", out var x) ? x : default;
            if (ad.ValueKind != JsonValueKind.Object)
            {
                return "Vigil's answer has no data";
            }
            var et2 = String(ed, "resultType");
            var at2 = String(ad, "resultType");
            if (et2 != at2)
            {
                return $"resultType {et2} vs {at2}";
            }
            var eres = ed.GetProperty("result");
            var ares = ad.GetProperty("result");
            return et2 switch
            {
                "scalar" or "string" => Point(eres, ares, "result"),
                "vector" => Vector(eres, ares, ordered),
                "matrix" => Matrix(eres, ares),
                _ => $"unknown resultType {et2}",
            };
        }
    }

    /// <summary>The labels of a result element as <c>{a="b", ...}</c>, sorted by name, to key and print series.</summary>
    public static string LabelKey(JsonElement metric)
    {
        var pairs = new List<(string, string)>();
        foreach (var p in metric.EnumerateObject())
        {
            pairs.Add((p.Name, p.Value.GetString() ?? ""));
        }
        pairs.Sort((x, y) => string.CompareOrdinal(x.Item1, y.Item1));
        var sb = new StringBuilder("{");
        foreach (var (n, v) in pairs)
        {
            if (sb.Length > 1)
            {
                sb.Append(", ");
            }
            sb.Append(n).Append("=\"").Append(v).Append('"');
        }
        return sb.Append('}').ToString();
    }

    /// <summary>Go-style sample values: <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>, or a float.</summary>
    public static double ParseValue(string? s) => s switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        null => double.NaN,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static bool ValuesEqual(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.IsNaN(x) && double.IsNaN(y);
        }
        if (x == y)
        {
            return true;
        }
        if (double.IsInfinity(x) || double.IsInfinity(y))
        {
            return false;
        }
        return Math.Abs(x - y) <= RelativeTolerance * Math.Max(Math.Abs(x), Math.Abs(y));
    }

    private static string? String(JsonElement e, string name)
        => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>A <c>[timestamp, "value"]</c> pair: timestamps compared exactly (as decimals), values with the tolerance.</summary>
    private static string? Point(JsonElement e, JsonElement a, string where)
    {
        if (e.ValueKind != JsonValueKind.Array || a.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2 || a.GetArrayLength() != 2)
        {
            return $"{where}: {e.GetRawText()} vs {a.GetRawText()} (not a [time, value] pair)";
        }
        var et = decimal.Parse(e[0].GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        var at = a[0].ValueKind == JsonValueKind.Number ? decimal.Parse(a[0].GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) : decimal.MinValue;
        if (et != at)
        {
            return $"{where}: time {e[0].GetRawText()} vs {a[0].GetRawText()}";
        }
        if (e[1].ValueKind == JsonValueKind.String && a[1].ValueKind == JsonValueKind.String && e[1].GetString() == a[1].GetString())
        {
            return null;
        }
        double ev, av;
        try
        {
            ev = ParseValue(e[1].GetString());
            av = ParseValue(a[1].GetString());
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            return $"{where} at {e[0].GetRawText()}: {e[1].GetRawText()} vs {a[1].GetRawText()}";
        }
        return ValuesEqual(ev, av) ? null : $"{where} at {e[0].GetRawText()}: {e[1].GetRawText()} vs {a[1].GetRawText()}";
    }

    private static string? Vector(JsonElement e, JsonElement a, bool ordered)
    {
        var problems = new List<string>();
        var em = Index(e, "Prometheus", problems);
        var am = Index(a, "Vigil", problems);
        Missing(em, am, problems);
        foreach (var (key, (_, element)) in em)
        {
            if (am.TryGetValue(key, out var other) && Point(element.GetProperty("value"), other.Element.GetProperty("value"), key) is { } d)
            {
                problems.Add(d);
            }
        }
        if (ordered && problems.Count == 0)
        {
            // Ties may come in either order; the sequence of values must match.
            for (var i = 0; i < e.GetArrayLength(); i++)
            {
                var ev = ParseValue(e[i].GetProperty("value")[1].GetString());
                var av = ParseValue(a[i].GetProperty("value")[1].GetString());
                if (!ValuesEqual(ev, av))
                {
                    problems.Add($"order differs at position {i}: Prometheus has {LabelKey(e[i].GetProperty("metric"))} {ev.ToString("R", CultureInfo.InvariantCulture)}, Vigil has {LabelKey(a[i].GetProperty("metric"))} {av.ToString("R", CultureInfo.InvariantCulture)}");
                    break;
                }
            }
        }
        return Summarize(problems, em.Count, am.Count);
    }

    private static string? Matrix(JsonElement e, JsonElement a)
    {
        var problems = new List<string>();
        var em = Index(e, "Prometheus", problems);
        var am = Index(a, "Vigil", problems);
        Missing(em, am, problems);
        foreach (var (key, (_, element)) in em)
        {
            if (!am.TryGetValue(key, out var other))
            {
                continue;
            }
            var ev = element.GetProperty("values");
            var av = other.Element.GetProperty("values");
            var n = Math.Min(ev.GetArrayLength(), av.GetArrayLength());
            string? first = null;
            for (var i = 0; i < n && first is null; i++)
            {
                first = Point(ev[i], av[i], key);
            }
            if (first is not null)
            {
                problems.Add(first);
            }
            else if (ev.GetArrayLength() != av.GetArrayLength())
            {
                var longer = ev.GetArrayLength() > av.GetArrayLength() ? ev : av;
                problems.Add($"{key}: {ev.GetArrayLength()} vs {av.GetArrayLength()} points (first extra: {longer[n].GetRawText()} in {(longer.Equals(ev) ? "Prometheus" : "Vigil")})");
            }
        }
        return Summarize(problems, em.Count, am.Count);
    }

    private static Dictionary<string, (int Index, JsonElement Element)> Index(JsonElement result, string who, List<string> problems)
    {
        var map = new Dictionary<string, (int, JsonElement)>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in result.EnumerateArray())
        {
            var key = LabelKey(item.GetProperty("metric"));
            if (!map.TryAdd(key, (i, item)))
            {
                problems.Add($"{who} returns {key} twice");
            }
            i++;
        }
        return map;
    }

    private static void Missing(Dictionary<string, (int, JsonElement)> e, Dictionary<string, (int, JsonElement)> a, List<string> problems)
    {
        var missing = e.Keys.Where(k => !a.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var extra = a.Keys.Where(k => !e.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{missing.Count} series only in Prometheus, e.g. {string.Join("; ", missing.Take(3))}");
        }
        if (extra.Count > 0)
        {
            problems.Add($"{extra.Count} series only in Vigil, e.g. {string.Join("; ", extra.Take(3))}");
        }
    }

    private static string? Summarize(List<string> problems, int expectedCount, int actualCount)
    {
        if (problems.Count == 0)
        {
            return null;
        }
        var head = string.Join("\n", problems.Take(4));
        var more = problems.Count > 4 ? $"\n(and {problems.Count - 4} more series differ)" : "";
        return $"{expectedCount} vs {actualCount} series; {problems.Count} differences:\n{head}{more}";
    }
}
