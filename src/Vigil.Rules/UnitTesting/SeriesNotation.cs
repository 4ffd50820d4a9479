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
public static class SeriesNotation
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

    private enum TokenKind
    {
        End,
        Space,
        Add,
        Sub,
        Times,
        Blank,
        Number,
        Identifier,
    }

    private readonly record struct Token(TokenKind Kind, int Start, int End);

    private static bool TryParseValues(string text, int pos, List<SequenceValue> values, out NotationError? error)
    {
        error = null;
        var lexer = new ValueLexer(text, pos);
        var sawSpace = false;
        while (true)
        {
            if (!lexer.TryNext(out var token, out error))
            {
                return false;
            }
            switch (token.Kind)
            {
                case TokenKind.End:
                    return true;
                case TokenKind.Space:
                    sawSpace = true;
                    continue;
                default:
                    if (!sawSpace)
                    {
                        error = Unexpected(text, token, context: false);
                        return false;
                    }
                    sawSpace = false;
                    if (!TryParseItem(text, ref lexer, token, values, out error))
                    {
                        return false;
                    }
                    break;
            }
        }
    }

    private static bool TryParseItem(string text, ref ValueLexer lexer, Token first, List<SequenceValue> values, out NotationError? error)
    {
        error = null;
        if (first.Kind == TokenKind.Blank)
        {
            if (lexer.Peek().Kind != TokenKind.Times)
            {
                values.Add(SequenceValue.Gap);
                return true;
            }
            lexer.Skip();
            if (!TryRepetition(text, ref lexer, out var gaps, out error))
            {
                return false;
            }
            for (ulong i = 0; i < gaps; i++)
            {
                values.Add(SequenceValue.Gap);
            }
            return true;
        }

        if (!TryValue(text, ref lexer, first, out var start, out error))
        {
            return false;
        }
        var next = lexer.Peek();
        if (next.Kind == TokenKind.Times)
        {
            lexer.Skip();
            if (!TryRepetition(text, ref lexer, out var times, out error))
            {
                return false;
            }
            for (ulong i = 0; i <= times; i++)
            {
                values.Add(new SequenceValue(start, false));
            }
            return true;
        }
        if (next.Kind is TokenKind.Add or TokenKind.Sub)
        {
            lexer.Skip();
            if (!TrySigned(text, ref lexer, next, out var step, out error))
            {
                return false;
            }
            if (!lexer.TryNext(out var times, out error))
            {
                return false;
            }
            if (times.Kind != TokenKind.Times)
            {
                error = Unexpected(text, times, context: true);
                return false;
            }
            if (!TryRepetition(text, ref lexer, out var n, out error))
            {
                return false;
            }
            var v = start;
            for (ulong i = 0; i <= n; i++)
            {
                values.Add(new SequenceValue(v, false));
                v += step;
            }
            return true;
        }
        values.Add(new SequenceValue(start, false));
        return true;
    }

    private static bool TryValue(string text, ref ValueLexer lexer, Token token, out double value, out NotationError? error)
    {
        value = 0;
        error = null;
        switch (token.Kind)
        {
            case TokenKind.Number:
                return TryNumber(text, token, out value, out error);
            case TokenKind.Identifier:
                var word = text[token.Start..token.End];
                if (word == "stale")
                {
                    value = StaleMarker.Value;
                    return true;
                }
                if (IsInfOrNaN(word))
                {
                    return TryNumber(text, token, out value, out error);
                }
                error = new NotationError(text, token.Start, $"unexpected identifier \"{word}\" in series values, expected number or \"stale\"");
                return false;
            case TokenKind.Add or TokenKind.Sub:
                return TrySigned(text, ref lexer, token, out value, out error);
            default:
                error = Unexpected(text, token, context: false);
                return false;
        }
    }

    private static bool TrySigned(string text, ref ValueLexer lexer, Token sign, out double value, out NotationError? error)
    {
        value = 0;
        if (!lexer.TryNext(out var number, out error))
        {
            return false;
        }
        var isNumber = number.Kind == TokenKind.Number
            || (number.Kind == TokenKind.Identifier && IsInfOrNaN(text[number.Start..number.End]));
        if (!isNumber)
        {
            error = number.Kind == TokenKind.Identifier
                ? new NotationError(text, number.Start, $"unexpected identifier \"{text[number.Start..number.End]}\" in series values")
                : Unexpected(text, number, context: true);
            return false;
        }
        if (!TryNumber(text, number, out value, out error))
        {
            return false;
        }
        if (sign.Kind == TokenKind.Sub)
        {
            value = -value;
        }
        return true;
    }

    private static bool TryRepetition(string text, ref ValueLexer lexer, out ulong count, out NotationError? error)
    {
        count = 0;
        if (!lexer.TryNext(out var token, out error))
        {
            return false;
        }
        if (token.Kind != TokenKind.Number)
        {
            error = Unexpected(text, token, context: true);
            return false;
        }
        var digits = text[token.Start..token.End];
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out count))
        {
            var why = digits.Length > 0 && digits.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 ? "value out of range" : "invalid syntax";
            error = new NotationError(text, token.Start, $"invalid repetition in series values: strconv.ParseUint: parsing \"{digits}\": {why}");
            return false;
        }
        return true;
    }

    /// <summary>Prometheus's <c>parser.number</c>: Go's <c>ParseInt(s, 0, 64)</c> first (so <c>010</c> is 8), then <c>ParseFloat</c>.</summary>
    private static bool TryNumber(string text, Token token, out double value, out NotationError? error)
    {
        error = null;
        value = 0;
        var s = text[token.Start..token.End];
        if (TryParseGoInt(s, out var integer))
        {
            value = integer;
            return true;
        }
        if (IsInfOrNaN(s))
        {
            value = s[0] is 'n' or 'N' ? double.NaN : double.PositiveInfinity;
            return true;
        }
        if (HasExponentDigits(s)
            && double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            if (double.IsInfinity(value))
            {
                error = new NotationError(text, token.Start, $"error parsing number: strconv.ParseFloat: parsing \"{s}\": value out of range");
                return false;
            }
            return true;
        }
        error = new NotationError(text, token.Start, $"error parsing number: strconv.ParseFloat: parsing \"{s}\": invalid syntax");
        return false;
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c> for the characters a series number can hold: decimal, or octal after a leading 0.</summary>
    private static bool TryParseGoInt(string s, out long value)
    {
        value = 0;
        if (s.Length == 0 || s.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }
        if (s.Length > 1 && s[0] == '0')
        {
            ulong acc = 0;
            foreach (var c in s.AsSpan(1))
            {
                if (c > '7' || acc > (ulong)long.MaxValue / 8)
                {
                    return false;
                }
                acc = (acc * 8) + (ulong)(c - '0');
            }
            if (acc > long.MaxValue)
            {
                return false;
            }
            value = (long)acc;
            return true;
        }
        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether an exponent, if any, has digits (Go refuses <c>1e</c> and <c>1e+</c>).</summary>
    private static bool HasExponentDigits(string s)
    {
        var e = s.AsSpan().IndexOfAny('e', 'E');
        if (e < 0)
        {
            return true;
        }
        var digits = s.AsSpan(e + 1).TrimStart("+-");
        return !digits.IsEmpty && digits.IndexOfAnyExceptInRange('0', '9') < 0;
    }

    private static bool IsInfOrNaN(string word) => word.Equals("inf", StringComparison.OrdinalIgnoreCase) || word.Equals("nan", StringComparison.OrdinalIgnoreCase);

    private static NotationError Unexpected(string text, Token token, bool context)
    {
        var what = token.Kind switch
        {
            TokenKind.End => "end of input",
            TokenKind.Add => "<op:+>",
            TokenKind.Sub => "<op:->",
            TokenKind.Times => "\"x\"",
            TokenKind.Blank => "\"_\"",
            TokenKind.Number => $"number \"{text[token.Start..token.End]}\"",
            TokenKind.Identifier => $"identifier \"{text[token.Start..token.End]}\"",
            _ => "space",
        };
        return new NotationError(text, token.Start, token.Kind == TokenKind.End || (context && token.Kind == TokenKind.Identifier)
            ? $"unexpected {what} in series values"
            : $"unexpected {what}");
    }

    /// <summary>The value-sequence lexer of Prometheus's <c>lexValueSequence</c> (hexadecimal is off: <c>0x3</c> is 0 repeated).</summary>
    private struct ValueLexer(string text, int pos)
    {
        private int _pos = pos;
        private Token? _peeked;

        public Token Peek()
        {
            if (_peeked is { } p)
            {
                return p;
            }
            // A lexing error surfaces on the following TryNext, which lexes again.
            var save = _pos;
            if (TryLex(out var token, out _))
            {
                _peeked = token;
                return token;
            }
            _pos = save;
            return new Token(TokenKind.Space, save, save);
        }

        public void Skip()
        {
            _ = TryNext(out _, out _);
        }

        public bool TryNext(out Token token, out NotationError? error)
        {
            error = null;
            if (_peeked is { } p)
            {
                _peeked = null;
                token = p;
                return true;
            }
            return TryLex(out token, out error);
        }

        private bool TryLex(out Token token, out NotationError? error)
        {
            error = null;
            var start = _pos;
            if (_pos >= text.Length)
            {
                token = new Token(TokenKind.End, start, start);
                return true;
            }
            var c = text[_pos];
            if (IsSpace(c))
            {
                _pos = SkipSpace(text, _pos);
                token = new Token(TokenKind.Space, start, _pos);
                return true;
            }
            switch (c)
            {
                case '+':
                    _pos++;
                    token = new Token(TokenKind.Add, start, _pos);
                    return true;
                case '-':
                    _pos++;
                    token = new Token(TokenKind.Sub, start, _pos);
                    return true;
                case 'x':
                    _pos++;
                    token = new Token(TokenKind.Times, start, _pos);
                    return true;
                case '_':
                    _pos++;
                    token = new Token(TokenKind.Blank, start, _pos);
                    return true;
            }
            if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < text.Length && char.IsAsciiDigit(text[_pos + 1])))
            {
                return TryLexNumber(out token, out error);
            }
            if (IsLabelNameStart(c))
            {
                while (_pos < text.Length && (IsLabelNameChar(text[_pos]) || text[_pos] == ':'))
                {
                    _pos++;
                }
                token = new Token(TokenKind.Identifier, start, _pos);
                return true;
            }
            token = default;
            error = new NotationError(text, start, $"unexpected character in series sequence: {QuoteRune(c)}");
            return false;
        }

        /// <summary>Prometheus's <c>scanNumber</c> in series mode: digits, fraction, exponent; then only <c>x</c> or a non-alphanumeric may follow.</summary>
        private bool TryLexNumber(out Token token, out NotationError? error)
        {
            error = null;
            var start = _pos;
            AcceptDigits();
            if (_pos < text.Length && text[_pos] == '.')
            {
                _pos++;
                AcceptDigits();
            }
            if (_pos < text.Length && text[_pos] is 'e' or 'E')
            {
                _pos++;
                if (_pos < text.Length && text[_pos] is '+' or '-')
                {
                    _pos++;
                }
                AcceptDigits();
            }
            if (_pos < text.Length && text[_pos] != 'x' && IsLabelNameChar(text[_pos]))
            {
                token = default;
                error = new NotationError(text, start, $"bad number syntax: \"{text[start.._pos]}\"");
                return false;
            }
            token = new Token(TokenKind.Number, start, _pos);
            return true;
        }

        private void AcceptDigits()
        {
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
            }
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
