using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Vigil.Model;

namespace Vigil.Cli.Commands;

/// <summary>
/// A PromQL series selector without a range or offset (<c>metric{a="b",c=~"d"}</c>, <c>{a="b"}</c>,
/// <c>metric</c>), as <c>promtool tsdb dump --match</c> takes it. Until Vigil has a PromQL parser this
/// small one covers the selector grammar (PromQL docs, "Time series selectors"): names as in the data
/// model, the four operators, values quoted with <c>"</c>, <c>'</c> or <c>`</c> (no escapes in backticks).
/// </summary>
public static class TsdbSeriesSelector
{
    /// <summary>
    /// Parses <paramref name="text"/> into matchers, or returns false with an error naming the
    /// 1-based column and what was expected there.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out IReadOnlyList<LabelMatcher>? matchers, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        if (parser.Run(out var result, out error))
        {
            matchers = result;
            return true;
        }
        matchers = null;
        return false;
    }

    private struct Parser(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public bool Run([NotNullWhen(true)] out List<LabelMatcher>? matchers, [NotNullWhen(false)] out string? error)
        {
            matchers = [];
            SkipSpace();
            if (_pos < _text.Length && IsNameStart(_text[_pos], metric: true))
            {
                var name = ScanName(metric: true);
                matchers.Add(LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, name));
                SkipSpace();
            }
            var braces = _pos < _text.Length && _text[_pos] == '{';
            if (braces)
            {
                _pos++;
                if (!Braces(matchers, out error))
                {
                    return false;
                }
                SkipSpace();
            }
            if (_pos < _text.Length)
            {
                return Fail(matchers.Count == 0 ? "metric name or '{'" : "end of selector", out error);
            }
            if (matchers.Count == 0 && !braces)
            {
                return Fail("metric name or '{'", out error);
            }
            if (matchers.TrueForAll(m => m.MatchesEmpty))
            {
                // PromQL's rule: a selector matching every series (and the empty one) is refused.
                error = "vector selector must contain at least one non-empty matcher";
                return false;
            }
            error = null;
            return true;
        }

        private bool Braces(List<LabelMatcher> matchers, [NotNullWhen(false)] out string? error)
        {
            while (true)
            {
                SkipSpace();
                if (_pos < _text.Length && _text[_pos] == '}')
                {
                    _pos++;
                    error = null;
                    return true;
                }
                if (_pos >= _text.Length || !IsNameStart(_text[_pos], metric: false))
                {
                    return Fail("label name or '}'", out error);
                }
                var nameColumn = _pos + 1;
                var name = ScanName(metric: false);
                SkipSpace();
                if (!Operator(out var type))
                {
                    return Fail("one of '=', '!=', '=~', '!~' after label name", out error);
                }
                SkipSpace();
                if (!QuotedValue(out var value, out error))
                {
                    return false;
                }
                if (!LabelMatcher.TryCreate(type, name, value, out var matcher, out var matcherError))
                {
                    error = string.Create(CultureInfo.InvariantCulture, $"column {nameColumn}: {matcherError}");
                    return false;
                }
                matchers.Add(matcher);
                SkipSpace();
                if (_pos < _text.Length && _text[_pos] == ',')
                {
                    _pos++;
                    continue;
                }
                if (_pos < _text.Length && _text[_pos] == '}')
                {
                    continue;
                }
                return Fail("',' or '}'", out error);
            }
        }

        private bool Operator(out LabelMatchType type)
        {
            var rest = _text.AsSpan(_pos);
            (type, var length) = rest switch
            {
                _ when rest.StartsWith("=~", StringComparison.Ordinal) => (LabelMatchType.Regex, 2),
                _ when rest.StartsWith("!~", StringComparison.Ordinal) => (LabelMatchType.NotRegex, 2),
                _ when rest.StartsWith("!=", StringComparison.Ordinal) => (LabelMatchType.NotEqual, 2),
                _ when rest.StartsWith("=", StringComparison.Ordinal) => (LabelMatchType.Equal, 1),
                _ => (LabelMatchType.Equal, 0),
            };
            _pos += length;
            return length > 0;
        }

        private bool QuotedValue(out string value, [NotNullWhen(false)] out string? error)
        {
            value = "";
            if (_pos >= _text.Length || _text[_pos] is not ('"' or '\'' or '`'))
            {
                return Fail("quoted label value", out error);
            }
            var quote = _text[_pos];
            var start = _pos;
            _pos++;
            var sb = new StringBuilder();
            while (_pos < _text.Length)
            {
                var c = _text[_pos];
                if (c == quote)
                {
                    _pos++;
                    value = sb.ToString();
                    error = null;
                    return true;
                }
                if (c == '\\' && quote != '`')
                {
                    if (_pos + 1 >= _text.Length)
                    {
                        break;
                    }
                    var escaped = _text[_pos + 1];
                    char? unescaped = escaped switch
                    {
                        '\\' => '\\',
                        '"' => '"',
                        '\'' => '\'',
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        _ => null,
                    };
                    if (unescaped is not { } u)
                    {
                        return Fail("escape sequence (\\\\, \\\", \\', \\n, \\t or \\r)", out error, _pos + 1);
                    }
                    sb.Append(u);
                    _pos += 2;
                    continue;
                }
                if (c == '\n' && quote != '`')
                {
                    break;
                }
                sb.Append(c);
                _pos++;
            }
            error = string.Create(CultureInfo.InvariantCulture, $"column {start + 1}: unterminated quoted string");
            return false;
        }

        private string ScanName(bool metric)
        {
            var start = _pos;
            _pos++;
            while (_pos < _text.Length && (IsNameStart(_text[_pos], metric) || char.IsAsciiDigit(_text[_pos])))
            {
                _pos++;
            }
            return _text[start.._pos];
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
            {
                _pos++;
            }
        }

        private static bool IsNameStart(char c, bool metric) => char.IsAsciiLetter(c) || c == '_' || (metric && c == ':');

        private readonly bool Fail(string expected, [NotNullWhen(false)] out string? error, int? at = null)
        {
            var pos = at ?? _pos;
            var found = pos < _text.Length ? $"'{_text[pos]}'" : "end of input";
            error = string.Create(CultureInfo.InvariantCulture, $"column {pos + 1}: unexpected {found}, expected {expected}");
            return false;
        }
    }
}
