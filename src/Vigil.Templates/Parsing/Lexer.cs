using System.Globalization;
using System.Text;

namespace Vigil.Templates.Parsing;

internal enum ItemType
{
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,

    // Keywords follow (Go's itemKeyword marks the boundary).
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Range,
    Nil,
    Template,
    With,
}

/// <summary>A token: its type, byte-free position (char offset into the text), text and starting line.</summary>
internal readonly record struct Item(ItemType Type, int Pos, string Val, int Line)
{
    /// <summary>Go's <c>item.String()</c>, used in "unexpected X in Y" errors.</summary>
    public override string ToString()
    {
        if (Type == ItemType.Eof)
        {
            return "EOF";
        }
        if (Type == ItemType.Error)
        {
            return Val;
        }
        if (Type > ItemType.Keyword)
        {
            return "<" + Val + ">";
        }
        if (Val.Length > 10 && CountRunes(Val) > 10)
        {
            return GoQuoting.Quote(TruncateRunes(Val, 10)) + "...";
        }
        return GoQuoting.Quote(Val);
    }

    private static int CountRunes(string s)
    {
        var n = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            n++;
        }
        return n;
    }

    private static string TruncateRunes(string s, int count)
    {
        var i = 0;
        var n = 0;
        foreach (var r in s.EnumerateRunes())
        {
            if (n == count)
            {
                break;
            }
            i += r.Utf16SequenceLength;
            n++;
        }
        return s[..i];
    }
}

/// <summary>
/// Go's <c>text/template/parse</c> lexer (lex.go), as a pull lexer: the same states, tokens, trim markers
/// (<c>{{- </c>, <c> -}}</c>), comments and error texts. Positions are offsets into the .NET string; error
/// columns are converted to Go's UTF-8 byte columns where they are reported.
/// </summary>
internal sealed class Lexer
{
    private const char TrimMarker = '-';
    private const int TrimMarkerLength = 2;
    private const string LeftComment = "/*";
    private const string RightComment = "*/";
    private const int Eof = -1;

    private static readonly Dictionary<string, ItemType> s_keywords = new(StringComparer.Ordinal)
    {
        ["."] = ItemType.Dot,
        ["block"] = ItemType.Block,
        ["break"] = ItemType.Break,
        ["continue"] = ItemType.Continue,
        ["define"] = ItemType.Define,
        ["else"] = ItemType.Else,
        ["end"] = ItemType.End,
        ["if"] = ItemType.If,
        ["range"] = ItemType.Range,
        ["nil"] = ItemType.Nil,
        ["template"] = ItemType.Template,
        ["with"] = ItemType.With,
    };

    private readonly string _input;
    private readonly string _leftDelim;
    private readonly string _rightDelim;
    private readonly Queue<Item> _pending = new();
    private int _pos;
    private int _start;
    private int _line = 1;
    private int _startLine = 1;
    private int _parenDepth;
    private State _state = State.Text;
    private bool _done;

    public Lexer(string input, string leftDelim, string rightDelim)
    {
        _input = input;
        _leftDelim = leftDelim.Length == 0 ? "{{" : leftDelim;
        _rightDelim = rightDelim.Length == 0 ? "}}" : rightDelim;
    }

    private enum State
    {
        Text,
        LeftDelim,
        Comment,
        RightDelim,
        InsideAction,
        Space,
        Identifier,
        Field,
        Variable,
        Char,
        Number,
        Quote,
        RawQuote,
        Stop,
    }

    /// <summary>Whether <c>break</c>/<c>continue</c> lex as keywords (inside a range).</summary>
    public bool BreakOk { get; set; }

    public bool ContinueOk { get; set; }

    public Item NextItem()
    {
        while (_pending.Count == 0)
        {
            if (_done)
            {
                return new Item(ItemType.Eof, _pos, "", _startLine);
            }
            _state = Step(_state);
            if (_state == State.Stop)
            {
                _done = true;
            }
        }
        return _pending.Dequeue();
    }

    /// <summary>Drains the lexer (Go's <c>drain</c>, after an error).</summary>
    public void Drain() => _done = true;

    private State Step(State state) => state switch
    {
        State.Text => LexText(),
        State.LeftDelim => LexLeftDelim(),
        State.Comment => LexComment(),
        State.RightDelim => LexRightDelim(),
        State.InsideAction => LexInsideAction(),
        State.Space => LexSpace(),
        State.Identifier => LexIdentifier(),
        State.Field => LexFieldOrVariable(ItemType.Field),
        State.Variable => LexVariable(),
        State.Char => LexChar(),
        State.Number => LexNumber(),
        State.Quote => LexQuote(),
        State.RawQuote => LexRawQuote(),
        _ => State.Stop,
    };

    private int Next()
    {
        if (_pos >= _input.Length)
        {
            return Eof;
        }
        var c = _input[_pos++];
        if (c == '\n')
        {
            _line++;
        }
        return c;
    }

    private int Peek() => _pos >= _input.Length ? Eof : _input[_pos];

    private void Backup()
    {
        if (_pos > 0)
        {
            _pos--;
            if (_input[_pos] == '\n')
            {
                _line--;
            }
        }
    }

    private void Emit(ItemType type)
    {
        _pending.Enqueue(new Item(type, _start, _input[_start.._pos], _startLine));
        _start = _pos;
        _startLine = _line;
    }

    private void Ignore()
    {
        for (var i = _start; i < _pos; i++)
        {
            if (_input[i] == '\n')
            {
                _startLine++;
            }
        }
        _start = _pos;
        _startLine = _line;
    }

    private void AdvanceTo(int pos)
    {
        while (_pos < pos)
        {
            if (_input[_pos++] == '\n')
            {
                _line++;
            }
        }
    }

    private bool Accept(string valid)
    {
        var c = Next();
        if (c != Eof && valid.Contains((char)c, StringComparison.Ordinal))
        {
            return true;
        }
        if (c != Eof)
        {
            Backup();
        }
        return false;
    }

    private void AcceptRun(string valid)
    {
        while (Accept(valid))
        {
        }
    }

    private State Errorf(string message)
    {
        _pending.Enqueue(new Item(ItemType.Error, _start, message, _startLine));
        return State.Stop;
    }

    private static bool IsSpace(int c) => c is ' ' or '\t' or '\r' or '\n';

    // Go's isAlphaNumeric: '_', a Unicode letter or a decimal digit (c is a code point; lone surrogates are neither).
    private static bool IsAlphaNumeric(int c)
    {
        if (c == '_')
        {
            return true;
        }
        if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        {
            return false;
        }
        var rune = new Rune(c);
        return Rune.IsLetter(rune) || Rune.IsDigit(rune);
    }

    private bool HasLeftTrimMarker(int at) => at + 1 < _input.Length && _input[at] == TrimMarker && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) => at + 1 < _input.Length && IsSpace(_input[at]) && _input[at + 1] == TrimMarker;

    private bool HasPrefixAt(int at, string prefix) => at >= 0 && at <= _input.Length && string.CompareOrdinal(_input, at, prefix, 0, prefix.Length) == 0 && at + prefix.Length <= _input.Length;

    private int LeftTrimLength(int at)
    {
        var i = at;
        while (i < _input.Length && IsSpace(_input[i]))
        {
            i++;
        }
        return i - at;
    }

    private int RightTrimLength(int start, int end)
    {
        var i = end;
        while (i > start && IsSpace(_input[i - 1]))
        {
            i--;
        }
        return end - i;
    }

    private State LexText()
    {
        var x = _input.IndexOf(_leftDelim, _pos, StringComparison.Ordinal);
        if (x >= 0)
        {
            var delimAt = x;
            var textEnd = x;
            if (HasLeftTrimMarker(delimAt + _leftDelim.Length))
            {
                textEnd -= RightTrimLength(_pos, x);
            }
            AdvanceTo(textEnd);
            if (_pos > _start)
            {
                Emit(ItemType.Text);
            }
            AdvanceTo(delimAt);
            Ignore();
            return State.LeftDelim;
        }
        AdvanceTo(_input.Length);
        if (_pos > _start)
        {
            Emit(ItemType.Text);
        }
        _pending.Enqueue(new Item(ItemType.Eof, _pos, "", _startLine));
        return State.Stop;
    }

    private State LexLeftDelim()
    {
        AdvanceTo(_pos + _leftDelim.Length);
        var trimSpace = HasLeftTrimMarker(_pos);
        var afterMarker = trimSpace ? TrimMarkerLength : 0;
        if (HasPrefixAt(_pos + afterMarker, LeftComment))
        {
            AdvanceTo(_pos + afterMarker);
            Ignore();
            return State.Comment;
        }
        Emit(ItemType.LeftDelim);
        AdvanceTo(_pos + afterMarker);
        Ignore();
        _parenDepth = 0;
        return State.InsideAction;
    }

    private State LexComment()
    {
        AdvanceTo(_pos + LeftComment.Length);
        var x = _input.IndexOf(RightComment, _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            return Errorf("unclosed comment");
        }
        AdvanceTo(x + RightComment.Length);
        var (delim, trimSpace) = AtRightDelim();
        if (!delim)
        {
            return Errorf("comment ends before closing delimiter");
        }
        if (trimSpace)
        {
            AdvanceTo(_pos + TrimMarkerLength);
        }
        AdvanceTo(_pos + _rightDelim.Length);
        if (trimSpace)
        {
            AdvanceTo(_pos + LeftTrimLength(_pos));
        }
        Ignore();
        return State.Text;
    }

    private (bool Delim, bool TrimSpace) AtRightDelim()
    {
        if (HasPrefixAt(_pos, _rightDelim))
        {
            return (true, false);
        }
        if (HasRightTrimMarker(_pos) && HasPrefixAt(_pos + TrimMarkerLength, _rightDelim))
        {
            return (true, true);
        }
        return (false, false);
    }

    private State LexRightDelim()
    {
        var trimSpace = HasRightTrimMarker(_pos);
        if (trimSpace)
        {
            AdvanceTo(_pos + TrimMarkerLength);
            Ignore();
        }
        AdvanceTo(_pos + _rightDelim.Length);
        Emit(ItemType.RightDelim);
        if (trimSpace)
        {
            AdvanceTo(_pos + LeftTrimLength(_pos));
            Ignore();
        }
        return State.Text;
    }

    private State LexInsideAction()
    {
        var (delim, _) = AtRightDelim();
        if (delim)
        {
            if (_parenDepth == 0)
            {
                return State.RightDelim;
            }
            return Errorf("unclosed left paren");
        }
        var r = Next();
        switch (r)
        {
            case Eof:
                return Errorf("unclosed action");
            case ' ' or '\t' or '\r' or '\n':
                Backup();
                return State.Space;
            case '=':
                Emit(ItemType.Assign);
                break;
            case ':':
                if (Next() != '=')
                {
                    return Errorf("expected :=");
                }
                Emit(ItemType.Declare);
                break;
            case '|':
                Emit(ItemType.Pipe);
                break;
            case '"':
                return State.Quote;
            case '`':
                return State.RawQuote;
            case '$':
                return State.Variable;
            case '\'':
                return State.Char;
            case '.':
                if (_pos < _input.Length)
                {
                    var c = _input[_pos];
                    if (c < '0' || c > '9')
                    {
                        return State.Field;
                    }
                }
                Backup();
                return State.Number;
            case '+' or '-' or (>= '0' and <= '9'):
                Backup();
                return State.Number;
            case '(':
                Emit(ItemType.LeftParen);
                _parenDepth++;
                break;
            case ')':
                Emit(ItemType.RightParen);
                _parenDepth--;
                if (_parenDepth < 0)
                {
                    return Errorf("unexpected right paren U+0029 ')'");
                }
                break;
            default:
                var rune = RuneStartingBefore(r);
                if (IsAlphaNumeric(rune))
                {
                    Backup();
                    return State.Identifier;
                }
                if (r < 128 && !char.IsControl((char)r))
                {
                    Emit(ItemType.Char);
                    break;
                }
                return Errorf("unrecognized character in action: " + GoQuoting.FormatRuneU(rune));
        }
        return State.InsideAction;
    }

    // The code point whose first UTF-16 unit, r, was just read (a surrogate pair counts as one rune).
    private int RuneStartingBefore(int r)
    {
        if (char.IsHighSurrogate((char)r) && _pos < _input.Length && char.IsLowSurrogate(_input[_pos]))
        {
            return char.ConvertToUtf32((char)r, _input[_pos]);
        }
        return r;
    }

    private State LexSpace()
    {
        var numSpaces = 0;
        while (IsSpace(Peek()))
        {
            Next();
            numSpaces++;
        }
        if (HasRightTrimMarker(_pos - 1) && HasPrefixAt(_pos - 1 + TrimMarkerLength, _rightDelim))
        {
            Backup();
            if (numSpaces == 1)
            {
                return State.RightDelim;
            }
        }
        Emit(ItemType.Space);
        return State.InsideAction;
    }

    private int NextRune()
    {
        if (_pos >= _input.Length)
        {
            return Eof;
        }
        var c = _input[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _input.Length && char.IsLowSurrogate(_input[_pos + 1]))
        {
            _pos += 2;
            return char.ConvertToUtf32(c, _input[_pos - 1]);
        }
        return Next();
    }

    private void BackupRune(int r)
    {
        if (r > 0xFFFF)
        {
            _pos -= 2;
        }
        else if (r != Eof)
        {
            Backup();
        }
    }

    private State LexIdentifier()
    {
        while (true)
        {
            var r = NextRune();
            if (IsAlphaNumeric(r))
            {
                continue;
            }
            BackupRune(r);
            var word = _input[_start.._pos];
            if (!AtTerminator())
            {
                return Errorf("bad character " + GoQuoting.FormatRuneU(PeekRune()));
            }
            if (s_keywords.TryGetValue(word, out var keyword) && keyword > ItemType.Keyword)
            {
                if ((keyword == ItemType.Break && !BreakOk) || (keyword == ItemType.Continue && !ContinueOk))
                {
                    Emit(ItemType.Identifier);
                }
                else
                {
                    Emit(keyword);
                }
            }
            else if (word[0] == '.')
            {
                Emit(ItemType.Field);
            }
            else if (word is "true" or "false")
            {
                Emit(ItemType.Bool);
            }
            else
            {
                Emit(ItemType.Identifier);
            }
            return State.InsideAction;
        }
    }

    private int PeekRune()
    {
        if (_pos >= _input.Length)
        {
            return Eof;
        }
        var c = _input[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _input.Length && char.IsLowSurrogate(_input[_pos + 1]))
        {
            return char.ConvertToUtf32(c, _input[_pos + 1]);
        }
        return c;
    }

    private State LexVariable()
    {
        if (AtTerminator())
        {
            Emit(ItemType.Variable);
            return State.InsideAction;
        }
        return LexFieldOrVariable(ItemType.Variable);
    }

    private State LexFieldOrVariable(ItemType type)
    {
        if (AtTerminator())
        {
            Emit(type == ItemType.Variable ? ItemType.Variable : ItemType.Dot);
            return State.InsideAction;
        }
        int r;
        while (true)
        {
            r = NextRune();
            if (!IsAlphaNumeric(r))
            {
                BackupRune(r);
                break;
            }
        }
        if (!AtTerminator())
        {
            return Errorf("bad character " + GoQuoting.FormatRuneU(r));
        }
        Emit(type);
        return State.InsideAction;
    }

    private bool AtTerminator()
    {
        var r = Peek();
        if (IsSpace(r))
        {
            return true;
        }
        switch (r)
        {
            case Eof or '.' or ',' or '|' or ':' or ')' or '(':
                return true;
        }
        return r == _rightDelim[0];
    }

    private State LexChar()
    {
        while (true)
        {
            switch (Next())
            {
                case '\\':
                    var r = Next();
                    if (r != Eof && r != '\n')
                    {
                        continue;
                    }
                    return Errorf("unterminated character constant");
                case Eof or '\n':
                    return Errorf("unterminated character constant");
                case '\'':
                    Emit(ItemType.CharConstant);
                    return State.InsideAction;
            }
        }
    }

    private State LexNumber()
    {
        if (!ScanNumber())
        {
            return Errorf("bad number syntax: " + GoQuoting.Quote(_input[_start.._pos]));
        }
        var sign = Peek();
        if (sign is '+' or '-')
        {
            if (!ScanNumber() || _input[_pos - 1] != 'i')
            {
                return Errorf("bad number syntax: " + GoQuoting.Quote(_input[_start.._pos]));
            }
            Emit(ItemType.Complex);
        }
        else
        {
            Emit(ItemType.Number);
        }
        return State.InsideAction;
    }

    private bool ScanNumber()
    {
        Accept("+-");
        var digits = "0123456789_";
        if (Accept("0"))
        {
            if (Accept("xX"))
            {
                digits = "0123456789abcdefABCDEF_";
            }
            else if (Accept("oO"))
            {
                digits = "01234567_";
            }
            else if (Accept("bB"))
            {
                digits = "01_";
            }
        }
        AcceptRun(digits);
        if (Accept("."))
        {
            AcceptRun(digits);
        }
        if (digits.Length == 11 && Accept("eE"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        if (digits.Length == 23 && Accept("pP"))
        {
            Accept("+-");
            AcceptRun("0123456789_");
        }
        Accept("i");
        if (IsAlphaNumeric(PeekRune()))
        {
            NextRune();
            return false;
        }
        return true;
    }

    private State LexQuote()
    {
        while (true)
        {
            switch (Next())
            {
                case '\\':
                    var r = Next();
                    if (r != Eof && r != '\n')
                    {
                        continue;
                    }
                    return Errorf("unterminated quoted string");
                case Eof or '\n':
                    return Errorf("unterminated quoted string");
                case '"':
                    Emit(ItemType.String);
                    return State.InsideAction;
            }
        }
    }

    private State LexRawQuote()
    {
        while (true)
        {
            switch (Next())
            {
                case Eof:
                    return Errorf("unterminated raw quoted string");
                case '`':
                    Emit(ItemType.RawString);
                    return State.InsideAction;
            }
        }
    }
}
