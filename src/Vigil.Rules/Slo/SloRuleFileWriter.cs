using System.Globalization;
using System.Text;

namespace Vigil.Rules.Slo;

/// <summary>
/// Writes rule groups as a Prometheus rule file (the YAML <c>promtool check rules</c> reads): multi-line
/// expressions as literal blocks, other values plain when YAML reads them back as the same string, else double-quoted.
/// </summary>
public static class SloRuleFileWriter
{
    /// <summary>The rule file text; <paramref name="header"/> lines become leading comments.</summary>
    public static string Write(IReadOnlyList<SloRuleGroup> groups, string header)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(header);
        var text = new StringBuilder();
        Comment(text, header, "");
        text.Append("groups:");
        if (groups.Count == 0)
        {
            return text.Append(" []\n").ToString();
        }
        text.Append('\n');
        foreach (var group in groups)
        {
            Comment(text, group.Comment, "  ");
            text.Append("  - name: ").Append(Scalar(group.Name)).Append('\n');
            text.Append("    rules:\n");
            foreach (var rule in group.Rules)
            {
                if (rule.Record is not null)
                {
                    text.Append("      - record: ").Append(Scalar(rule.Record)).Append('\n');
                }
                else
                {
                    text.Append("      - alert: ").Append(Scalar(rule.Alert ?? "")).Append('\n');
                }
                text.Append("        expr:");
                Expr(text, rule.Expr, "          ");
                Map(text, "labels", rule.Labels);
                Map(text, "annotations", rule.Annotations);
            }
        }
        return text.ToString();
    }

    private static void Comment(StringBuilder text, string comment, string indent)
    {
        if (comment.Length == 0)
        {
            return;
        }
        foreach (var line in comment.Split('\n'))
        {
            text.Append(indent).Append('#');
            if (line.TrimEnd().Length > 0)
            {
                text.Append(' ').Append(line.TrimEnd());
            }
            text.Append('\n');
        }
    }

    private static void Expr(StringBuilder text, string expr, string indent)
    {
        if (!expr.Contains('\n', StringComparison.Ordinal))
        {
            text.Append(' ').Append(Scalar(expr)).Append('\n');
            return;
        }
        // A literal block keeps the expression as written; "|-" drops the final newline.
        text.Append(" |-\n");
        foreach (var line in expr.Split('\n'))
        {
            var trimmed = line.TrimEnd();
            if (trimmed.Length > 0)
            {
                text.Append(indent).Append(trimmed);
            }
            text.Append('\n');
        }
    }

    private static void Map(StringBuilder text, string key, IReadOnlyList<KeyValuePair<string, string>> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        text.Append("        ").Append(key).Append(":\n");
        foreach (var (name, value) in entries)
        {
            text.Append("          ").Append(name).Append(": ").Append(Scalar(value)).Append('\n');
        }
    }

    /// <summary>A YAML scalar that reads back as exactly <paramref name="value"/>.</summary>
    internal static string Scalar(string value) => IsPlainSafe(value) ? value : Quote(value);

    // Conservative: plain only when no YAML reading (1.1 or 1.2) could take it for anything but this string.
    private static bool IsPlainSafe(string value)
    {
        if (value.Length == 0 || value[0] is ' ' || value[^1] is ' ' or ':')
        {
            return false;
        }
        if ("-?:,[]{}#&*!|>'\"%@`+.0123456789~".Contains(value[0], StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in value)
        {
            if (c < ' ' || c == '\u007f')
            {
                return false;
            }
        }
        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal))
        {
            return false;
        }
        return value.ToLowerInvariant() is not ("true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or ".inf" or ".nan");
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (c < ' ' || c == '\u007f')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }
}
