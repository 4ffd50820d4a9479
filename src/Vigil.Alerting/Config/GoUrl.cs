namespace Vigil.Alerting.Config;

/// <summary>The checks Go's <c>url.Parse</c> and Alertmanager's <c>parseURL</c> make, with their messages.</summary>
internal static class GoUrl
{
    /// <summary>Null when <paramref name="s"/> is an http(s) URL with a host; else Alertmanager's error text.</summary>
    public static string? Check(string s)
    {
        if (ParseError(s) is { } error)
        {
            return error;
        }
        var scheme = Scheme(s);
        if (!string.Equals(scheme, "http", StringComparison.Ordinal) && !string.Equals(scheme, "https", StringComparison.Ordinal))
        {
            return $"unsupported scheme {ConfigReader.GoQuote(scheme)} for URL";
        }
        return Host(s).Length == 0 ? "missing host for URL" : null;
    }

    /// <summary>Go's <c>url.Parse</c> errors: bad escapes, a scheme-less leading colon, invalid host characters.</summary>
    public static string? ParseError(string s)
    {
        var quoted = ConfigReader.GoQuote(s);
        foreach (var c in s)
        {
            if (c < 0x20 || c == 0x7f)
            {
                return $"parse {quoted}: net/url: invalid control character in URL";
            }
        }
        if (s.StartsWith(':'))
        {
            return $"parse {quoted}: missing protocol scheme";
        }
        // The authority is parsed before the path is unescaped.
        foreach (var c in Host(s))
        {
            if (c is ' ' or '<' or '>' or '"' or '{' or '}' or '|' or '\\' or '^' or '`')
            {
                return $"parse {quoted}: invalid character {ConfigReader.GoQuote(c.ToString())} in host name";
            }
        }
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%' && (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2])))
            {
                var bad = s.Substring(i, Math.Min(3, s.Length - i));
                return $"parse {quoted}: invalid URL escape {ConfigReader.GoQuote(bad)}";
            }
        }
        return null;
    }

    // The scheme, lower-cased, or "" when the text has none.
    private static string Scheme(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }
            if ((char.IsAsciiDigit(c) || c is '+' or '-' or '.') && i > 0)
            {
                continue;
            }
            return c == ':' && i > 0 ? s[..i].ToLowerInvariant() : "";
        }
        return "";
    }

    // The host[:port] of "scheme://[user@]host[:port]/...", or "".
    private static string Host(string s)
    {
        var scheme = Scheme(s);
        var rest = scheme.Length > 0 ? s[(scheme.Length + 1)..] : s;
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return "";
        }
        rest = rest[2..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        return at >= 0 ? authority[(at + 1)..] : authority;
    }
}
