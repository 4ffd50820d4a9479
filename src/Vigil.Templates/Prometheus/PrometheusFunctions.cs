using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Model;
using Vigil.Templates.Execution;

namespace Vigil.Templates;

/// <summary>
/// Prometheus 2.42's template functions (<c>template/template.go</c>, <c>NewTemplateExpander</c>), with their Go
/// signatures, number formatting and error texts.
/// </summary>
internal static class PrometheusFunctions
{
    private const string NilPointer = "runtime error: invalid memory address or nil pointer dereference";
    private static readonly string[] s_bigPrefixes = ["k", "M", "G", "T", "P", "E", "Z", "Y"];
    private static readonly string[] s_smallPrefixes = ["m", "u", "n", "p", "f", "a", "z", "y"];
    private static readonly string[] s_binaryPrefixes = ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"];

    private static readonly GoParam s_sample = new(GoParamKind.Clr, "*template.sample", typeof(PromSample));
    private static readonly GoParam s_queryResult = new(GoParamKind.Clr, "template.queryResult", typeof(PromQueryResult));

    /// <summary>
    /// Every function, with <c>query</c>, <c>pathPrefix</c> and <c>externalURL</c> unbound (as if Go's query function and
    /// URL were nil): what templates are parsed with; <see cref="Bind"/> supplies those three per expansion.
    /// </summary>
    public static TemplateFunctions Unbound { get; } = BuildStatic().AddAll(Bind(0, null, null));

    /// <summary>The three functions that close over an expansion's time, query function and external URL.</summary>
    public static TemplateFunctions Bind(long timestampMs, TemplateQueryFunc? query, string? externalUrl)
    {
        var functions = new TemplateFunctions();
        functions.AddInternal(new TemplateFunction("query", [GoParam.String], null, a => Query((string)a[0]!, timestampMs, query)));
        functions.AddInternal(new TemplateFunction("pathPrefix", [], null, _ => externalUrl is null ? throw new GoFunctionException(NilPointer) : UrlPath(externalUrl)));
        functions.AddInternal(new TemplateFunction("externalURL", [], null, _ => externalUrl ?? throw new GoFunctionException(NilPointer)));
        return functions;
    }

    private static TemplateFunctions BuildStatic()
    {
        var f = new TemplateFunctions();
        void Add(string name, GoParam[] ps, Func<object?[], object?> body, GoParam? variadic = null)
            => f.AddInternal(new TemplateFunction(name, ps, variadic, body));
        var str = GoParam.String;
        var any = GoParam.Any;
        Add("first", [s_queryResult], a => a[0] is PromQueryResult { Count: > 0 } v ? v[0] : throw new GoFunctionException("first() called on vector with no elements"));
        Add("label", [str, s_sample], a => a[1] is PromSample s ? s.Labels.GetValueOrDefault((string)a[0]!, "") : throw new GoFunctionException(NilPointer));
        Add("value", [s_sample], a => a[0] is PromSample s ? s.Value : throw new GoFunctionException(NilPointer));
        Add("strvalue", [s_sample], a => a[0] is PromSample s ? s.Labels.GetValueOrDefault("__value__", "") : throw new GoFunctionException(NilPointer));
        Add("args", [], Args, any);
        Add("reReplaceAll", [str, str, str], a => ReReplaceAll((string)a[0]!, (string)a[1]!, (string)a[2]!));
        Add("safeHtml", [str], a => new GoNamedString("template.HTML", (string)a[0]!));
        Add("match", [str, str], a => Match((string)a[0]!, (string)a[1]!));
        Add("title", [str], a => Title((string)a[0]!));
        Add("toUpper", [str], a => MapRunes((string)a[0]!, GoToUpper));
        Add("toLower", [str], a => MapRunes((string)a[0]!, GoToLower));
        Add("graphLink", [str], a => "/graph?g0.expr=" + Builtins.QueryEscape((string)a[0]!) + "&g0.tab=0");
        Add("tableLink", [str], a => "/graph?g0.expr=" + Builtins.QueryEscape((string)a[0]!) + "&g0.tab=1");
        Add("sortByLabel", [str, s_queryResult], a => SortByLabel((string)a[0]!, a[1] as PromQueryResult));
        Add("stripPort", [str], a => StripPort((string)a[0]!));
        Add("stripDomain", [str], a => StripDomain((string)a[0]!));
        Add("humanize", [any], a => Humanize(ConvertToFloat(a[0])));
        Add("humanize1024", [any], a => Humanize1024(ConvertToFloat(a[0])));
        Add("humanizeDuration", [any], a => HumanizeDuration(ConvertToFloat(a[0])));
        Add("humanizePercentage", [any], a => Sprintf("%.4g%%", ConvertToFloat(a[0]) * 100));
        Add("humanizeTimestamp", [any], a => HumanizeTimestamp(ConvertToFloat(a[0])));
        Add("toTime", [any], a => ToTime(ConvertToFloat(a[0])));
        Add("parseDuration", [str], a => ParseDuration((string)a[0]!));
        return f;
    }

    private static string Sprintf(string format, params object?[] args) => GoFormatter.Sprintf(format, args);

    private static PromQueryResult Query(string q, long timestampMs, TemplateQueryFunc? query)
    {
        if (query is null)
        {
            throw new GoFunctionException(NilPointer);
        }
        var vector = query(q, timestampMs);
        var result = new PromQueryResult(vector.Count);
        foreach (var s in vector)
        {
            var labels = new Dictionary<string, string>(s.Labels.Count, StringComparer.Ordinal);
            foreach (var l in s.Labels)
            {
                labels[l.Name] = l.Value;
            }
            result.Add(new PromSample(labels, s.Value));
        }
        return result;
    }

    private static object Args(object?[] a)
    {
        var result = new Dictionary<string, object?>(a.Length, StringComparer.Ordinal);
        for (var i = 0; i < a.Length; i++)
        {
            result["arg" + i.ToString(CultureInfo.InvariantCulture)] = a[i];
        }
        return result;
    }

    private static string ReReplaceAll(string pattern, string repl, string text)
    {
        if (!GoRegexp.TryCompile(pattern, out var re, out var error))
        {
            // regexp.MustCompile panics with this text; the template package reports the panic as the call's error.
            throw new GoFunctionException($"regexp: Compile({QuoteForMustCompile(pattern)}): {error}");
        }
        return re.ReplaceAll(text, repl);
    }

    // Go's regexp.quote: backquoted when strconv.CanBackquote, else strconv.Quote.
    private static string QuoteForMustCompile(string s)
    {
        foreach (var c in s)
        {
            if (c == '`' || c == '\uFEFF' || (c < ' ' && c != '\t') || c == 0x7F)
            {
                return GoQuoting.Quote(s);
            }
        }
        return "`" + s + "`";
    }

    private static bool Match(string pattern, string s)
    {
        if (!GoRegexp.TryCompile(pattern, out var re, out var error))
        {
            throw new GoFunctionException(error);
        }
        return re.IsMatch(s);
    }

    /// <summary>Go's (deprecated) <c>strings.Title</c>: upper-cases the first letter of each word.</summary>
    internal static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prev = (int)' ';
        foreach (var r in s.EnumerateRunes())
        {
            if (IsSeparator(prev))
            {
                sb.Append(new Rune(GoToTitle(r.Value)).ToString());
            }
            else
            {
                sb.Append(r.ToString());
            }
            prev = r.Value;
        }
        return sb.ToString();
    }

    private static string MapRunes(string s, Func<int, int> map)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(new Rune(map(r.Value)).ToString());
        }
        return sb.ToString();
    }

    // Go's unicode.ToUpper/ToLower/ToTitle: simple (one-to-one) case mappings. .NET's invariant mappings agree
    // except for the few letters whose mapping leaves their script (dotted/dotless i, long s, Kelvin sign, …).
    private static int GoToUpper(int r) => r switch
    {
        0x131 => 'I',
        0x17F => 'S',
        0x1C5 or 0x1C6 => 0x1C4,
        0x1C8 or 0x1C9 => 0x1C7,
        0x1CB or 0x1CC => 0x1CA,
        0x1F2 or 0x1F3 => 0x1F1,
        _ => Rune.ToUpperInvariant(new Rune(r)).Value,
    };

    private static int GoToLower(int r) => r switch
    {
        0x130 => 'i',
        0x212A => 'k',
        0x212B => 0xE5,
        0x2126 => 0x3C9,
        0x1C4 or 0x1C5 => 0x1C6,
        0x1C7 or 0x1C8 => 0x1C9,
        0x1CA or 0x1CB => 0x1CC,
        0x1F1 or 0x1F2 => 0x1F3,
        _ => Rune.ToLowerInvariant(new Rune(r)).Value,
    };

    private static int GoToTitle(int r) => r switch
    {
        0x1C4 or 0x1C5 or 0x1C6 => 0x1C5,
        0x1C7 or 0x1C8 or 0x1C9 => 0x1C8,
        0x1CA or 0x1CB or 0x1CC => 0x1CB,
        0x1F1 or 0x1F2 or 0x1F3 => 0x1F2,
        _ => GoToUpper(r),
    };

    private static bool IsSeparator(int r)
    {
        if (r <= 0x7F)
        {
            return !(r is >= '0' and <= '9' or >= 'a' and <= 'z' or >= 'A' and <= 'Z' or '_');
        }
        var rune = new Rune(r);
        if (Rune.IsLetter(rune) || Rune.IsDigit(rune))
        {
            return false;
        }
        return Rune.IsWhiteSpace(rune);
    }

    private static PromQueryResult? SortByLabel(string label, PromQueryResult? v)
    {
        if (v is null)
        {
            return null;
        }
        // sort.Stable by the label's value (Go's string order).
        var sorted = v.Select((s, i) => (s, i)).OrderBy(x => x.s.Labels.GetValueOrDefault(label, ""), Comparer<string>.Create(GoStrings.Compare)).ThenBy(x => x.i).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            v[i] = sorted[i].s;
        }
        return v;
    }

    // ---- host:port helpers (net.SplitHostPort, net.ParseIP, net.JoinHostPort) ----

    private static bool TrySplitHostPort(string hostport, out string host, out string port)
    {
        host = "";
        port = "";
        var i = hostport.LastIndexOf(':');
        if (i < 0)
        {
            return false;
        }
        int j = 0, k = 0;
        if (hostport.Length > 0 && hostport[0] == '[')
        {
            var end = hostport.IndexOf(']', StringComparison.Ordinal);
            if (end < 0 || end + 1 == hostport.Length || end + 1 != i)
            {
                return false;
            }
            host = hostport[1..end];
            j = 1;
            k = end + 1;
        }
        else
        {
            host = hostport[..i];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                return false;
            }
        }
        if (hostport.IndexOf('[', j) >= 0 || hostport.IndexOf(']', k) >= 0)
        {
            return false;
        }
        port = hostport[(i + 1)..];
        return true;
    }

    private static string StripPort(string hostPort) => TrySplitHostPort(hostPort, out var host, out _) ? host : hostPort;

    private static string StripDomain(string hostPort)
    {
        if (!TrySplitHostPort(hostPort, out var host, out var port))
        {
            host = hostPort;
            port = "";
        }
        if (IsIp(host))
        {
            return hostPort;
        }
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        host = dot < 0 ? host : host[..dot];
        if (port.Length != 0)
        {
            return host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]:" + port : host + ":" + port;
        }
        return host;
    }

    private static bool IsIp(string s)
    {
        if (s.Contains(':', StringComparison.Ordinal))
        {
            return !s.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(s, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }
        var parts = s.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }
        foreach (var p in parts)
        {
            if (p.Length is 0 or > 3 || (p.Length > 1 && p[0] == '0') || !p.All(char.IsAsciiDigit) || int.Parse(p, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }
        return true;
    }

    // ---- numbers ----

    // Prometheus 2.42's convertToFloat.
    private static double ConvertToFloat(object? i) => i switch
    {
        double d => d,
        string s => ParseFloat(s),
        long l => l,
        int n => n,
        ulong u => u,
        uint u32 => u32,
        _ => throw new GoFunctionException($"can't convert {(i is null ? "<nil>" : GoValue.TypeName(i))} to float"),
    };

    // Go's strconv.ParseFloat(s, 64) with its error text.
    private static double ParseFloat(string s)
    {
        if (GoStrconv.TryParseFloat(s, out var v, out var rangeError))
        {
            return v;
        }
        throw new GoFunctionException($"strconv.ParseFloat: parsing {GoQuoting.Quote(s)}: {(rangeError ? "value out of range" : "invalid syntax")}");
    }

    private static string Humanize(double v)
    {
        if (v == 0 || double.IsNaN(v) || double.IsInfinity(v))
        {
            return Sprintf("%.4g", v);
        }
        if (Math.Abs(v) >= 1)
        {
            var prefix = "";
            foreach (var p in s_bigPrefixes)
            {
                if (Math.Abs(v) < 1000)
                {
                    break;
                }
                prefix = p;
                v /= 1000;
            }
            return Sprintf("%.4g%s", v, prefix);
        }
        var small = "";
        foreach (var p in s_smallPrefixes)
        {
            if (Math.Abs(v) >= 1)
            {
                break;
            }
            small = p;
            v *= 1000;
        }
        return Sprintf("%.4g%s", v, small);
    }

    private static string Humanize1024(double v)
    {
        if (Math.Abs(v) <= 1 || double.IsNaN(v) || double.IsInfinity(v))
        {
            return Sprintf("%.4g", v);
        }
        var prefix = "";
        foreach (var p in s_binaryPrefixes)
        {
            if (Math.Abs(v) < 1024)
            {
                break;
            }
            prefix = p;
            v /= 1024;
        }
        return Sprintf("%.4g%s", v, prefix);
    }

    private static string HumanizeDuration(double v)
    {
        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            return Sprintf("%.4g", v);
        }
        if (v == 0)
        {
            return Sprintf("%.4gs", v);
        }
        if (Math.Abs(v) >= 1)
        {
            var sign = "";
            if (v < 0)
            {
                sign = "-";
                v = -v;
            }
            var duration = GoInt64(v);
            var seconds = duration % 60;
            var minutes = duration / 60 % 60;
            var hours = duration / 60 / 60 % 24;
            var days = duration / 60 / 60 / 24;
            if (days != 0)
            {
                return Sprintf("%s%dd %dh %dm %ds", sign, days, hours, minutes, seconds);
            }
            if (hours != 0)
            {
                return Sprintf("%s%dh %dm %ds", sign, hours, minutes, seconds);
            }
            if (minutes != 0)
            {
                return Sprintf("%s%dm %ds", sign, minutes, seconds);
            }
            return Sprintf("%s%.4gs", sign, v);
        }
        var prefix = "";
        foreach (var p in s_smallPrefixes)
        {
            if (Math.Abs(v) >= 1)
            {
                break;
            }
            prefix = p;
            v *= 1000;
        }
        return Sprintf("%.4g%ss", v, prefix);
    }

    /// <summary>Go's float64 → int64 conversion on amd64: out of range (and NaN) gives math.MinInt64.</summary>
    internal static long GoInt64(double v) => double.IsNaN(v) || v >= 9.223372036854775807e18 || v < -9.223372036854775808e18 ? long.MinValue : (long)v;

    private static string HumanizeTimestamp(double v)
    {
        // 2.42 goes through floatToTime: NaN and ±Inf print as numbers, an overflow is the error.
        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            return Sprintf("%.4g", v);
        }
        return ToTime(v).String();
    }

    // model.TimeFromUnixNano(int64(v*1e9)).Time(): millisecond precision, truncated toward zero.
    private static GoTime TimeFromFloatSeconds(double v)
    {
        var ms = GoInt64(v * 1e9) / 1_000_000;
        var seconds = ms / 1000;
        var rem = ms % 1000;
        if (rem < 0)
        {
            seconds--;
            rem += 1000;
        }
        return new GoTime(seconds, (int)(rem * 1_000_000));
    }

    private static GoTime ToTime(double v)
    {
        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            throw new GoFunctionException("value is NaN or Inf");
        }
        var timestamp = v * 1e9;
        if (timestamp > 9.223372036854775807e18 || timestamp < -9.223372036854775808e18)
        {
            throw new GoFunctionException($"{GoFloatFormat.Format(v, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64");
        }
        return TimeFromFloatSeconds(v);
    }

    private static double ParseDuration(string d)
    {
        if (!PromDuration.TryParse(d, out var duration, out var error))
        {
            throw new GoFunctionException(error ?? "invalid duration");
        }
        return (double)(duration.Ticks * 100) / 1e9;
    }

    // url.URL.Path of the external URL.
    private static string UrlPath(string url)
    {
        var rest = url;
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = rest[(scheme + 3)..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            rest = slash < 0 ? "" : rest[slash..];
        }
        var cut = rest.IndexOfAny(['?', '#']);
        if (cut >= 0)
        {
            rest = rest[..cut];
        }
        return Uri.UnescapeDataString(rest);
    }
}
