using System.Globalization;
using Vigil.Model;

namespace Vigil.Rules.UnitTesting;

/// <summary>The value sequence of a series description: lexer and parser for the expanding notation.</summary>
public static partial class SeriesNotation
{
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
}
