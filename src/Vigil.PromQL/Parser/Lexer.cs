using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Vigil.PromQL.Parser;

/// <summary>
/// PromQL's lexer, state for state as Prometheus 2.42's <c>promql/parser/lex.go</c>: it works on the UTF-8 bytes
/// (positions are byte offsets, as Go's), tracks open parentheses, braces and brackets itself, and reports the same
/// errors at the same places ("unclosed left parenthesis", "bad duration syntax: …").
/// </summary>
internal sealed class Lexer
{
    private const int Eof = -1;

    private static readonly FrozenDictionary<string, TokenType> s_keywords = new Dictionary<string, TokenType>(StringComparer.Ordinal)
    {
        ["and"] = TokenType.Land,
        ["or"] = TokenType.Lor,
        ["unless"] = TokenType.Lunless,
        ["atan2"] = TokenType.Atan2,
        ["sum"] = TokenType.Sum,
        ["avg"] = TokenType.Avg,
        ["count"] = TokenType.Count,
        ["min"] = TokenType.Min,
        ["max"] = TokenType.Max,
        ["group"] = TokenType.Group,
        ["stddev"] = TokenType.Stddev,
        ["stdvar"] = TokenType.Stdvar,
        ["topk"] = TokenType.TopK,
        ["bottomk"] = TokenType.BottomK,
        ["count_values"] = TokenType.CountValues,
        ["quantile"] = TokenType.Quantile,
        ["offset"] = TokenType.Offset,
        ["by"] = TokenType.By,
        ["without"] = TokenType.Without,
        ["on"] = TokenType.On,
        ["ignoring"] = TokenType.Ignoring,
        ["group_left"] = TokenType.GroupLeft,
        ["group_right"] = TokenType.GroupRight,
        ["bool"] = TokenType.Bool,
        ["start"] = TokenType.Start,
        ["end"] = TokenType.End,
        ["inf"] = TokenType.Number,
        ["nan"] = TokenType.Number,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly byte[] _input;
    private int _pos;
    private int _start;
    private int _width;
    private int _parenDepth;
    private bool _braceOpen;
    private bool _bracketOpen;
    private bool _gotColon;
    private bool _durationNext;
    private int _stringOpen;
    private bool _done;

    public Lexer(byte[] input)
    {
        _input = input;
    }

    /// <summary>The start of the item being scanned (where Prometheus reports lexer errors).</summary>
    public int Start => _start;

    /// <summary>The next item; comments included. After an error or the end, only <see cref="TokenType.Eof"/> items follow.</summary>
    public Token Next()
    {
        if (_done)
        {
            return Emit(TokenType.Eof);
        }
        while (true)
        {
            Token? t;
            if (_durationNext)
            {
                _durationNext = false;
                t = LexDuration();
            }
            else
            {
                t = _braceOpen ? LexInsideBraces() : LexStatements();
            }
            if (t is { } token)
            {
                if (token.Type is TokenType.Error or TokenType.Eof)
                {
                    _done = true;
                }
                return token;
            }
        }
    }

    private int NextRune()
    {
        if (_pos >= _input.Length)
        {
            _width = 0;
            return Eof;
        }
        var status = Rune.DecodeFromUtf8(_input.AsSpan(_pos), out var rune, out var consumed);
        _width = consumed;
        _pos += consumed;
        return status == OperationStatus.Done ? rune.Value : 0xFFFD;
    }

    private int Peek()
    {
        var r = NextRune();
        Backup();
        return r;
    }

    private void Backup() => _pos -= _width;

    private string Text(int from, int to) => Encoding.UTF8.GetString(_input, from, to - from);

    private Token Emit(TokenType type)
    {
        var t = new Token(type, _start, Text(_start, _pos));
        _start = _pos;
        return t;
    }

    private Token Error(string message) => new(TokenType.Error, _start, message);

    private bool Accept(string valid)
    {
        var r = NextRune();
        if (r >= 0 && valid.Contains((char)r, StringComparison.Ordinal) && r < 0x80)
        {
            return true;
        }
        Backup();
        return false;
    }

    private void AcceptRun(string valid)
    {
        while (true)
        {
            var r = NextRune();
            if (r < 0 || r >= 0x80 || !valid.Contains((char)r, StringComparison.Ordinal))
            {
                Backup();
                return;
            }
        }
    }

    private Token? LexStatements()
    {
        if (StartsWithHash())
        {
            return LexLineComment();
        }
        var r = NextRune();
        switch (r)
        {
            case Eof:
                if (_parenDepth != 0)
                {
                    return Error("unclosed left parenthesis");
                }
                if (_bracketOpen)
                {
                    return Error("unclosed left bracket");
                }
                return Emit(TokenType.Eof);
            case ',':
                return Emit(TokenType.Comma);
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case '*':
                return Emit(TokenType.Mul);
            case '/':
                return Emit(TokenType.Div);
            case '%':
                return Emit(TokenType.Mod);
            case '+':
                return Emit(TokenType.Add);
            case '-':
                return Emit(TokenType.Sub);
            case '^':
                return Emit(TokenType.Pow);
            case '=':
            {
                var t = Peek();
                if (t == '=')
                {
                    NextRune();
                    return Emit(TokenType.Eqlc);
                }
                if (t == '~')
                {
                    return Error("unexpected character after '=': " + GoText.QuoteRune(t));
                }
                return Emit(TokenType.Eql);
            }
            case '!':
            {
                var t = NextRune();
                if (t == '=')
                {
                    return Emit(TokenType.Neq);
                }
                return Error("unexpected character after '!': " + GoText.QuoteRune(t));
            }
            case '<':
                if (Peek() == '=')
                {
                    NextRune();
                    return Emit(TokenType.Lte);
                }
                return Emit(TokenType.Lss);
            case '>':
                if (Peek() == '=')
                {
                    NextRune();
                    return Emit(TokenType.Gte);
                }
                return Emit(TokenType.Gtr);
            case '"' or '\'':
                _stringOpen = r;
                return LexString();
            case '`':
                _stringOpen = r;
                return LexRawString();
            case '(':
                _parenDepth++;
                return Emit(TokenType.LeftParen);
            case ')':
            {
                var t = Emit(TokenType.RightParen);
                _parenDepth--;
                if (_parenDepth < 0)
                {
                    return Error("unexpected right parenthesis " + GoText.QuoteRune(r));
                }
                return t;
            }
            case '{':
                _braceOpen = true;
                return Emit(TokenType.LeftBrace);
            case '[':
            {
                if (_bracketOpen)
                {
                    return Error("unexpected left bracket " + GoText.QuoteRune(r));
                }
                _gotColon = false;
                var t = Emit(TokenType.LeftBracket);
                if (IsSpace(Peek()))
                {
                    SkipSpaces();
                }
                _bracketOpen = true;
                _durationNext = true;
                return t;
            }
            case ']':
                if (!_bracketOpen)
                {
                    return Error("unexpected right bracket " + GoText.QuoteRune(r));
                }
                _bracketOpen = false;
                return Emit(TokenType.RightBracket);
            case '@':
                return Emit(TokenType.At);
        }
        if (IsDigit(r) || (r == '.' && IsDigit(Peek())))
        {
            Backup();
            return LexNumberOrDuration();
        }
        if (IsAlpha(r) || r == ':')
        {
            if (!_bracketOpen)
            {
                Backup();
                return LexKeywordOrIdentifier();
            }
            // Inside brackets Prometheus 2.42 takes any letter or colon for the subquery colon.
            if (_gotColon)
            {
                return Error("unexpected colon " + GoText.QuoteRune(r));
            }
            _gotColon = true;
            return Emit(TokenType.Colon);
        }
        return Error("unexpected character: " + GoText.QuoteRune(r));
    }

    private bool StartsWithHash() => _pos < _input.Length && _input[_pos] == (byte)'#';

    private Token? LexInsideBraces()
    {
        if (StartsWithHash())
        {
            return LexLineComment();
        }
        var r = NextRune();
        switch (r)
        {
            case Eof:
                return Error("unexpected end of input inside braces");
            case ' ' or '\t' or '\n' or '\r':
                SkipSpaces();
                return null;
            case ',':
                return Emit(TokenType.Comma);
            case '"' or '\'':
                _stringOpen = r;
                return LexString();
            case '`':
                _stringOpen = r;
                return LexRawString();
            case '=':
                if (NextRune() == '~')
                {
                    return Emit(TokenType.EqlRegex);
                }
                Backup();
                return Emit(TokenType.Eql);
            case '!':
            {
                var nr = NextRune();
                if (nr == '~')
                {
                    return Emit(TokenType.NeqRegex);
                }
                if (nr == '=')
                {
                    return Emit(TokenType.Neq);
                }
                return Error("unexpected character after '!' inside braces: " + GoText.QuoteRune(nr));
            }
            case '{':
                return Error("unexpected left brace " + GoText.QuoteRune(r));
            case '}':
                _braceOpen = false;
                return Emit(TokenType.RightBrace);
        }
        if (IsAlpha(r))
        {
            while (IsAlphaNumeric(NextRune()))
            {
            }
            Backup();
            return Emit(TokenType.Identifier);
        }
        return Error("unexpected character inside braces: " + GoText.QuoteRune(r));
    }

    private Token LexLineComment()
    {
        _pos++;
        var r = NextRune();
        while (r != '\r' && r != '\n' && r != Eof)
        {
            r = NextRune();
        }
        Backup();
        return Emit(TokenType.Comment);
    }

    private void SkipSpaces()
    {
        while (IsSpace(Peek()))
        {
            NextRune();
        }
        _start = _pos;
    }

    private Token LexString()
    {
        while (true)
        {
            var r = NextRune();
            if (r == '\\')
            {
                if (LexEscape() is { } error)
                {
                    return error;
                }
                continue;
            }
            if (r == 0xFFFD)
            {
                return Error("invalid UTF-8 rune");
            }
            if (r is Eof or '\n')
            {
                return Error("unterminated quoted string");
            }
            if (r == _stringOpen)
            {
                return Emit(TokenType.String);
            }
        }
    }

    private Token? LexEscape()
    {
        int n;
        uint numberBase, max;
        var ch = NextRune();
        switch (ch)
        {
            case 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\':
                return null;
            case >= '0' and <= '7':
                (n, numberBase, max) = (3, 8, 255);
                break;
            case 'x':
                ch = NextRune();
                (n, numberBase, max) = (2, 16, 255);
                break;
            case 'u':
                ch = NextRune();
                (n, numberBase, max) = (4, 16, 0x10FFFF);
                break;
            case 'U':
                ch = NextRune();
                (n, numberBase, max) = (8, 16, 0x10FFFF);
                break;
            case Eof:
                return Error("escape sequence not terminated");
            default:
                if (ch == _stringOpen)
                {
                    return null;
                }
                return Error("unknown escape sequence " + GoText.UnicodeRune(ch));
        }
        uint x = 0;
        while (n > 0)
        {
            var d = (uint)DigitVal(ch);
            if (d >= numberBase)
            {
                if (ch == Eof)
                {
                    return Error("escape sequence not terminated");
                }
                return Error("illegal character " + GoText.UnicodeRune(ch) + " in escape sequence");
            }
            x = (x * numberBase) + d;
            ch = NextRune();
            n--;
        }
        // Go's lexEscape reads one rune past the escape; the string loop then continues after it.
        Backup();
        if (x > max || (x >= 0xD800 && x < 0xE000))
        {
            return Error("escape sequence is an invalid Unicode code point");
        }
        return null;
    }

    private static int DigitVal(int ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'a' and <= 'f' => ch - 'a' + 10,
        >= 'A' and <= 'F' => ch - 'A' + 10,
        _ => 16,
    };

    private Token LexRawString()
    {
        while (true)
        {
            var r = NextRune();
            if (r == 0xFFFD)
            {
                return Error("invalid UTF-8 rune");
            }
            if (r == Eof)
            {
                return Error("unterminated raw string");
            }
            if (r == _stringOpen)
            {
                return Emit(TokenType.String);
            }
        }
    }

    private Token LexDuration()
    {
        if (ScanNumber())
        {
            return Error("missing unit character in duration");
        }
        if (!AcceptRemainingDuration())
        {
            return Error("bad duration syntax: " + GoText.Quote(Text(_start, _pos)));
        }
        Backup();
        return Emit(TokenType.Duration);
    }

    private Token LexNumberOrDuration()
    {
        if (ScanNumber())
        {
            return Emit(TokenType.Number);
        }
        if (AcceptRemainingDuration())
        {
            Backup();
            return Emit(TokenType.Duration);
        }
        return Error("bad number or duration syntax: " + GoText.Quote(Text(_start, _pos)));
    }

    private bool AcceptRemainingDuration()
    {
        if (!Accept("smhdwy"))
        {
            return false;
        }
        Accept("s");
        while (Accept("0123456789"))
        {
            while (Accept("0123456789"))
            {
            }
            if (!Accept("smhdw"))
            {
                return false;
            }
            Accept("s");
        }
        return !IsAlphaNumeric(NextRune());
    }

    private bool ScanNumber()
    {
        var digits = "0123456789";
        if (Accept("0") && Accept("xX"))
        {
            digits = "0123456789abcdefABCDEF";
        }
        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }
        if (Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789");
        }
        return !IsAlphaNumeric(Peek());
    }

    private Token LexKeywordOrIdentifier()
    {
        while (true)
        {
            var r = NextRune();
            if (IsAlphaNumeric(r) || r == ':')
            {
                continue;
            }
            Backup();
            var word = Text(_start, _pos);
            if (s_keywords.TryGetValue(word.ToLowerInvariant(), out var keyword))
            {
                return Emit(keyword);
            }
            return Emit(word.Contains(':', StringComparison.Ordinal) ? TokenType.MetricIdentifier : TokenType.Identifier);
        }
    }

    public static bool IsSpace(int r) => r is ' ' or '\t' or '\n' or '\r';

    private static bool IsDigit(int r) => r is >= '0' and <= '9';

    private static bool IsAlpha(int r) => r == '_' || r is >= 'a' and <= 'z' || r is >= 'A' and <= 'Z';

    private static bool IsAlphaNumeric(int r) => IsAlpha(r) || IsDigit(r);

    /// <summary>Prometheus's <c>isLabel</c>: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static bool IsLabel(string s)
    {
        if (s.Length == 0 || !IsAlpha(s[0]))
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!IsAlphaNumeric(c))
            {
                return false;
            }
        }
        return true;
    }
}
