using System.Globalization;
using Vigil.Model;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// The series notation of promtool's unit-test files, as Prometheus 2.42's <c>parser.ParseSeriesDesc</c> and
/// <c>parser.ParseMetric</c> read it: a metric in selector notation (<c>name{label="value", ...}</c>, equality
/// only) followed, for an input series, by space-separated values in expanding notation:
/// <list type="bullet">
/// <item><c>a</c>: one value; a number (decimal, leading-zero octal, exponent), <c>NaN</c>, <c>Inf</c>, <c>-Inf</c> or <c>stale</c>;</item>
/// <item><c>axn</c>: <c>a</c> repeated, n+1 values; <c>a+bxn</c> / <c>a-bxn</c>: n+1 values from <c>a</c> in steps of <c>b</c>;</item>
/// <item><c>_</c>: a gap; <c>_xn</c>: n gaps.</item>
/// </list>
/// <c>NaN</c> and <c>Inf</c> cannot take <c>xn</c> directly (<c>NaNx3</c> reads as one identifier), as in Prometheus.
/// </summary>
public static partial class SeriesNotation
{
    /// <summary>Parses an input series' description (<c>series</c> and <c>values</c> joined by a space).</summary>
    public static bool TryParseSeries(string text, out Labels metric, out List<SequenceValue> values, out NotationError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        values = [];
        var pos = 0;
        if (!TryParseMetricAt(text, ref pos, seriesMode: true, out metric, out error))
        {
            return false;
        }
        return TryParseValues(text, pos, values, out error);
    }

    /// <summary>Parses a metric with its labels (an expected sample's <c>labels</c>); empty text is the empty label set.</summary>
    public static bool TryParseMetric(string text, out Labels metric, out NotationError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = 0;
        if (!TryParseMetricAt(text, ref pos, seriesMode: false, out metric, out error))
        {
            return false;
        }
        pos = SkipSpace(text, pos);
        if (pos < text.Length)
        {
            error = new NotationError(text, pos, $"unexpected {Describe(text, pos)}");
            return false;
        }
        return true;
    }

    private static bool TryParseMetricAt(string text, ref int pos, bool seriesMode, out Labels metric, out NotationError? error)
    {
        metric = Labels.Empty;
        error = null;
        pos = SkipSpace(text, pos);
        var builder = new List<Label>();
        string? name = null;
        if (pos < text.Length && IsMetricNameStart(text[pos]))
        {
            var start = pos;
            while (pos < text.Length && IsMetricNameChar(text[pos]))
            {
                pos++;
            }
            name = text[start..pos];
        }
        else if (pos >= text.Length)
        {
            if (seriesMode)
            {
                error = new NotationError(text, pos, "unexpected end of input");
                return false;
            }
            return true;
        }
        else if (text[pos] != '{')
        {
            error = new NotationError(text, pos, $"unexpected {Describe(text, pos)}");
            return false;
        }
        if (pos < text.Length && text[pos] == '{')
        {
            if (!TryParseLabelSet(text, ref pos, builder, out error))
            {
                return false;
            }
        }
        if (name is not null)
        {
            builder.RemoveAll(static l => l.Name == Label.MetricName);
            builder.Add(new Label(Label.MetricName, name));
        }
        for (var i = 0; i < builder.Count; i++)
        {
            for (var j = i + 1; j < builder.Count; j++)
            {
                if (builder[i].Name == builder[j].Name)
                {
                    error = new NotationError(text, 0, $"label {builder[i].Name} is duplicated");
                    return false;
                }
            }
        }
        metric = Labels.From(builder);
        return true;
    }

    private static bool TryParseLabelSet(string text, ref int pos, List<Label> labels, out NotationError? error)
    {
        error = null;
        pos++; // '{'
        while (true)
        {
            pos = SkipSpace(text, pos);
            if (pos >= text.Length)
            {
                error = EndInsideBraces(text);
                return false;
            }
            if (text[pos] == '}')
            {
                pos++;
                return true;
            }
            if (!IsLabelNameStart(text[pos]))
            {
                error = new NotationError(text, pos, BadCharInsideBraces(text[pos]));
                return false;
            }
            var start = pos;
            while (pos < text.Length && IsLabelNameChar(text[pos]))
            {
                pos++;
            }
            var name = text[start..pos];
            pos = SkipSpace(text, pos);
            if (pos >= text.Length)
            {
                error = EndInsideBraces(text);
                return false;
            }
            if (text[pos] != '=' || (pos + 1 < text.Length && text[pos + 1] == '~'))
            {
                var op = text[pos] switch
                {
                    '!' or '=' when pos + 1 < text.Length && text[pos + 1] is '=' or '~' => text.Substring(pos, 2),
                    _ => null,
                };
                error = op is null
                    ? new NotationError(text, pos, BadCharInsideBraces(text[pos]))
                    : new NotationError(text, pos, $"unexpected <op:{op}> in label set, expected \"=\"");
                return false;
            }
            pos = SkipSpace(text, pos + 1);
            if (pos >= text.Length)
            {
                error = EndInsideBraces(text);
                return false;
            }
            if (text[pos] is not ('"' or '\'' or '`'))
            {
                error = new NotationError(text, pos, BadCharInsideBraces(text[pos]));
                return false;
            }
            if (!GoStringLiteral.TryRead(text, pos, out var value, out var end, out var stringError))
            {
                error = new NotationError(text, end, stringError!);
                return false;
            }
            labels.Add(new Label(name, value));
            pos = SkipSpace(text, end);
            if (pos < text.Length && text[pos] == ',')
            {
                pos++;
                continue;
            }
            if (pos < text.Length && text[pos] == '}')
            {
                pos++;
                return true;
            }
            error = pos >= text.Length
                ? EndInsideBraces(text)
                : IsLabelNameStart(text[pos]) || text[pos] is '"' or '\'' or '`' or '=' or '!' or '~'
                    ? new NotationError(text, pos, $"unexpected {Describe(text, pos)} in label set, expected \",\" or \"}}\"")
                    : new NotationError(text, pos, BadCharInsideBraces(text[pos]));
            return false;
        }
    }

    private static string Describe(string text, int pos) => text[pos] switch
    {
        '{' => "\"{\"",
        '}' => "\"}\"",
        '(' => "\"(\"",
        _ => $"character {QuoteRune(text[pos])}",
    };

    /// <summary>Prometheus reports an unclosed brace at the end of the text without its trailing spaces.</summary>
    private static NotationError EndInsideBraces(string text) => new(text, text.TrimEnd().Length, "unexpected end of input inside braces");

    private static string BadCharInsideBraces(char c) => $"unexpected character inside braces: {QuoteRune(c)}";

    private static string QuoteRune(char c) => c switch
    {
        '\'' => @"'\''",
        '\\' => @"'\\'",
        '\n' => @"'\n'",
        '\t' => @"'\t'",
        _ => $"'{c}'",
    };

    private static int SkipSpace(string text, int pos)
    {
        while (pos < text.Length && IsSpace(text[pos]))
        {
            pos++;
        }
        return pos;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static bool IsMetricNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static bool IsMetricNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':';

    private static bool IsLabelNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsLabelNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
