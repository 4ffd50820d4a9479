using System.Diagnostics.CodeAnalysis;
using System.Text;
using Vigil.Model;

namespace Vigil.Alerting.Matching;

/// <summary>
/// One Alertmanager label matcher (<c>severity="critical"</c>, <c>service=~"db|cache"</c>), as in Alertmanager 0.25's
/// <c>pkg/labels.Matcher</c>. Regular expressions are RE2, compiled fully anchored (<c>^(?:re)$</c>); a missing label
/// has the value "", so <c>team=""</c> matches alerts without <c>team</c>. Immutable and safe to share.
/// </summary>
public sealed class Matcher : IEquatable<Matcher>, IComparable<Matcher>
{
    private readonly LabelMatcher _compiled;

    private Matcher(LabelMatchType type, string name, string value, LabelMatcher compiled)
    {
        Type = type;
        Name = name;
        Value = value;
        _compiled = compiled;
    }

    /// <summary>The operator.</summary>
    public LabelMatchType Type { get; }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The value, or the regular expression as written (without the implicit anchors).</summary>
    public string Value { get; }

    /// <summary>Creates a matcher, or says why the regular expression is invalid in Go's words (<c>error parsing regexp: missing closing ): `^(?:(b)$`</c>).</summary>
    public static bool TryCreate(LabelMatchType type, string name, string value, [NotNullWhen(true)] out Matcher? matcher, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        matcher = null;
        if (LabelMatcher.TryCreate(type, name, value, out var compiled, out error))
        {
            matcher = new Matcher(type, name, value, compiled);
            return true;
        }
        // Alertmanager compiles "^(?:" + value + ")$", so Go's message quotes that whole expression. That form can
        // compile when the bare one does not ("a)|(b"); Alertmanager then accepts it, and so do we (matching it
        // fully anchored, where Go would anchor only the outer alternatives).
        var wrapped = "^(?:" + value + ")$";
        if (TryCompile(wrapped, out var wrappedError) && LabelMatcher.TryCreate(type, name, wrapped, out compiled, out _))
        {
            matcher = new Matcher(type, name, value, compiled);
            error = null;
            return true;
        }
        error = wrappedError ?? error;
        return false;
    }

    /// <summary>Whether Go's <c>regexp.Compile</c> accepts <paramref name="expression"/> exactly as given; else its message.</summary>
    internal static bool TryCompile(string expression, [NotNullWhen(false)] out string? error)
    {
        if (LabelMatcher.TryCreate(LabelMatchType.Regex, "_", expression, out _, out error))
        {
            return true;
        }
        // Go quotes an unclosed class from its '[' to the end of the expression.
        const string MissingBracket = "error parsing regexp: missing closing ]: `";
        if (error.StartsWith(MissingBracket, StringComparison.Ordinal) && UnclosedClass(expression) is var at and >= 0)
        {
            error = MissingBracket + expression[at..] + "`";
        }
        return false;
    }

    // The position of the first character class without its closing ']', or -1.
    private static int UnclosedClass(string re)
    {
        for (var i = 0; i < re.Length; i++)
        {
            if (re[i] == '\\')
            {
                i++;
                continue;
            }
            if (re[i] != '[')
            {
                continue;
            }
            var j = i + 1;
            if (j < re.Length && re[j] == '^')
            {
                j++;
            }
            if (j < re.Length && re[j] == ']')
            {
                j++; // a leading ']' is literal
            }
            for (; j < re.Length && re[j] != ']'; j++)
            {
                if (re[j] == '\\')
                {
                    j++;
                }
                else if (re[j] == '[' && j + 1 < re.Length && re[j + 1] == ':')
                {
                    var close = re.IndexOf(":]", j + 2, StringComparison.Ordinal);
                    j = close < 0 ? j : close + 1;
                }
            }
            if (j >= re.Length)
            {
                return i;
            }
            i = j;
        }
        return -1;
    }

    /// <summary>Creates a matcher; throws <see cref="ArgumentException"/> for an invalid regular expression.</summary>
    public static Matcher Create(LabelMatchType type, string name, string value)
        => TryCreate(type, name, value, out var matcher, out var error) ? matcher : throw new ArgumentException(error);

    /// <summary>Whether a label value (or "" for an absent label) satisfies the matcher.</summary>
    public bool Matches(string value) => _compiled.Matches(value);

    /// <summary>Whether the label set satisfies the matcher (an absent label has the value "").</summary>
    public bool Matches(Labels labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return _compiled.Matches(labels.Get(Name));
    }

    /// <summary>The operator as written: <c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>.</summary>
    public static string OperatorText(LabelMatchType type) => type switch
    {
        LabelMatchType.Equal => "=",
        LabelMatchType.NotEqual => "!=",
        LabelMatchType.Regex => "=~",
        _ => "!~",
    };

    /// <summary>Alertmanager's notation: <c>name="value"</c> with OpenMetrics escaping (only <c>\</c>, newline and <c>"</c> are escaped).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Name.Length + Value.Length + 6);
        AppendTo(sb);
        return sb.ToString();
    }

    internal void AppendTo(StringBuilder sb)
    {
        sb.Append(Name).Append(OperatorText(Type)).Append('"');
        foreach (var c in Value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '"': sb.Append("\\\""); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }

    /// <summary>Alertmanager's order for <c>Matchers</c>: by name, then value, then operator (byte order, as Go compares strings).</summary>
    public int CompareTo(Matcher? other)
    {
        if (other is null)
        {
            return 1;
        }
        var c = LabelText.CompareUtf8(Name, other.Name);
        if (c != 0)
        {
            return c;
        }
        c = LabelText.CompareUtf8(Value, other.Value);
        return c != 0 ? c : Type.CompareTo(other.Type);
    }

    /// <inheritdoc/>
    public bool Equals(Matcher? other) => other is not null && other.Type == Type && other.Name == Name && other.Value == Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Matcher);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Name, Value);
}
