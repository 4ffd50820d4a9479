using System.Text;

namespace Vigil.Alerting.Templates;

/// <summary>
/// Lets notification templates call Alertmanager's methods on maps and slices (<c>.Alerts.Firing</c>,
/// <c>.CommonLabels.SortedPairs.Values</c>, <c>.CommonLabels.Remove .GroupLabels.Names</c>), which Vigil's template
/// engine does not dispatch (it calls methods only on struct-like values): before parsing, each such call in an
/// action is rewritten into a call of the equivalent helper function of <see cref="AlertmanagerFunctions"/>
/// (<c>(__values (__sortedPairs .CommonLabels))</c>). Text outside actions, string literals and comments are left
/// alone. Like Go, the method wins over a map key of the same name.
/// </summary>
/// <remarks>
/// The rewrite keeps line numbers (it never adds or removes newlines); columns in error messages after a rewritten
/// call may differ from Alertmanager's.
/// </remarks>
public static class MethodCallRewriter
{
    private static readonly Dictionary<string, string> s_methods = new(StringComparer.Ordinal)
    {
        ["Firing"] = "__firing",
        ["Resolved"] = "__resolved",
        ["SortedPairs"] = "__sortedPairs",
        ["Names"] = "__names",
        ["Values"] = "__values",
        ["Remove"] = "__remove",
    };

    /// <summary>The template text with method calls rewritten; the same instance when there is nothing to rewrite.</summary>
    public static string Rewrite(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MayContainMethod(text))
        {
            return text;
        }
        var sb = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            sb.Append(text, i, open - i);
            var close = FindActionEnd(text, open + 2);
            if (close < 0)
            {
                // Unterminated action: leave it for the parser to report.
                sb.Append(text, open, text.Length - open);
                break;
            }
            sb.Append(RewriteAction(text[open..(close + 2)]));
            i = close + 2;
        }
        return sb.ToString();
    }

    private static bool MayContainMethod(string text)
    {
        foreach (var name in s_methods.Keys)
        {
            if (text.Contains("." + name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    // The index of the "}}" closing the action that starts at i, skipping string and character literals.
    private static int FindActionEnd(string text, int i)
    {
        if (i < text.Length && text.AsSpan(i).TrimStart("- ").StartsWith("/*"))
        {
            var end = text.IndexOf("*/", i, StringComparison.Ordinal);
            return end < 0 ? -1 : text.IndexOf("}}", end, StringComparison.Ordinal);
        }
        while (i < text.Length)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipLiteral(text, i);
                continue;
            }
            if (c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                return i;
            }
            i++;
        }
        return -1;
    }

    private static int SkipLiteral(string text, int i)
    {
        var quote = text[i++];
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && quote != '`')
            {
                i += 2;
                continue;
            }
            i++;
            if (c == quote)
            {
                break;
            }
        }
        return i;
    }

    // Rewrites one "{{ ... }}" (delimiters included).
    private static string RewriteAction(string action)
    {
        if (action.AsSpan(2).TrimStart("- ").StartsWith("/*"))
        {
            return action;
        }
        var sb = new StringBuilder(action.Length + 16);
        var i = 0;
        while (i < action.Length)
        {
            var c = action[i];
            if (c is '"' or '\'' or '`')
            {
                var end = SkipLiteral(action, i);
                sb.Append(action, i, end - i);
                i = end;
                continue;
            }
            if ((c == '.' || c == '$') && (i == 0 || !IsIdentChar(action[i - 1])) && !(i > 0 && action[i - 1] == ')'))
            {
                var end = ChainEnd(action, i);
                if (end > i)
                {
                    sb.Append(RewriteChain(action[i..end], action, end, out var consumed));
                    i = end + consumed;
                    continue;
                }
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    // The end of a field chain (".a.b", "$x.a", "$.a", ".") starting at i; i when there is none (".5").
    private static int ChainEnd(string s, int i)
    {
        var j = i;
        if (s[j] == '$')
        {
            j++;
            while (j < s.Length && IsIdentChar(s[j]))
            {
                j++;
            }
        }
        while (j < s.Length && s[j] == '.')
        {
            var k = j + 1;
            while (k < s.Length && IsIdentChar(s[k]))
            {
                k++;
            }
            if (k == j + 1)
            {
                return j == i ? j + 1 : j;
            }
            if (j == i && char.IsDigit(s[j + 1]))
            {
                return i;
            }
            j = k;
        }
        return j;
    }

    private static bool IsIdentChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // ".CommonLabels.SortedPairs.Values" -> "(__values (__sortedPairs .CommonLabels))". For Remove, the next argument
    // of the command moves inside: ".CommonLabels.Remove .GroupLabels.Names" -> "(__remove .CommonLabels (__names .GroupLabels))".
    private static string RewriteChain(string chain, string action, int after, out int consumed)
    {
        consumed = 0;
        var parts = chain.Split('.');
        // parts[0] is "" (dot), "$" or "$name"; the rest are field names.
        var firstMethod = -1;
        for (var p = 1; p < parts.Length; p++)
        {
            if (s_methods.ContainsKey(parts[p]))
            {
                firstMethod = p;
                break;
            }
        }
        if (firstMethod < 0)
        {
            return chain;
        }
        var receiver = firstMethod == 1 ? (parts[0].Length == 0 ? "." : parts[0]) : string.Join('.', parts[..firstMethod]);
        var expr = receiver;
        for (var p = firstMethod; p < parts.Length; p++)
        {
            if (s_methods.TryGetValue(parts[p], out var function))
            {
                if (parts[p] == "Remove" && p == parts.Length - 1)
                {
                    // The argument is the next operand of the command.
                    var (argument, length) = NextOperand(action, after);
                    if (argument.Length > 0)
                    {
                        consumed = length;
                        expr = $"({function} {expr} {RewriteOperand(argument)})";
                        continue;
                    }
                }
                expr = $"({function} {expr})";
            }
            else
            {
                // A field of a method's result: Go's chain node, "(pipeline).Field".
                expr = $"{expr}.{parts[p]}";
            }
        }
        return expr;
    }

    private static string RewriteOperand(string operand) => operand[0] is '.' or '$' ? RewriteChain(operand, operand, operand.Length, out _) : operand;

    // The operand after a method name: whitespace, then a chain, a parenthesised pipeline or a literal.
    private static (string Operand, int Length) NextOperand(string action, int i)
    {
        var j = i;
        while (j < action.Length && action[j] == ' ')
        {
            j++;
        }
        if (j == i || j >= action.Length)
        {
            return ("", 0);
        }
        int end;
        if (action[j] is '.' or '$')
        {
            end = ChainEnd(action, j);
        }
        else if (action[j] == '(')
        {
            var depth = 0;
            end = j;
            while (end < action.Length)
            {
                if (action[end] is '"' or '\'' or '`')
                {
                    end = SkipLiteral(action, end);
                    continue;
                }
                if (action[end] == '(')
                {
                    depth++;
                }
                else if (action[end] == ')' && --depth == 0)
                {
                    end++;
                    break;
                }
                end++;
            }
            return (RewriteAction(action[j..end]), end - i);
        }
        else
        {
            return ("", 0);
        }
        return (action[j..end], end - i);
    }
}
