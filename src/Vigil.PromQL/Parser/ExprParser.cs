using System.Text;
using Vigil.Model;
using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Parser;

/// <summary>
/// Recursive descent over the tokens of <see cref="Lexer"/>, accepting what Prometheus 2.42's yacc grammar
/// (<c>generated_parser.y</c>) accepts and failing where it fails, with its words. The grammar's error rules decide
/// the "in …, expected …" part of a syntax error; the only one that spans nested expressions is <c>aggregate_op
/// error</c>, hence <see cref="_aggregationDepth"/>. Errors are thrown at the first one, because Prometheus renders only
/// the first: syntax and lexer errors when the offending token is read, semantic errors where the grammar's action
/// runs (e.g. an unknown function once its closing parenthesis is read).
/// </summary>
internal sealed partial class ExprParser
{
    private readonly string _query;
    private readonly Lexer _lexer;
    private readonly int[] _charOffsetOfByte;
    private Token? _peeked;
    private int _lastClosing;
    private int _aggregationDepth;

    public ExprParser(string query)
    {
        _query = query;
        var bytes = Encoding.UTF8.GetBytes(query);
        _lexer = new Lexer(bytes);
        _charOffsetOfByte = new int[bytes.Length + 1];
        var b = 0;
        for (var c = 0; c < query.Length; c++)
        {
            var width = char.IsHighSurrogate(query[c]) && c + 1 < query.Length && char.IsLowSurrogate(query[c + 1])
                ? 4
                : Encoding.UTF8.GetByteCount(query.AsSpan(c, 1));
            for (var k = 0; k < width && b + k < _charOffsetOfByte.Length; k++)
            {
                _charOffsetOfByte[b + k] = c;
            }
            b += width;
            if (width == 4)
            {
                c++;
            }
        }
        _charOffsetOfByte[bytes.Length] = query.Length;
    }

    /// <summary>START_EXPRESSION: a whole expression, then Prometheus's type checks.</summary>
    public Expr ParseWholeExpr()
    {
        if (Peek().Type == TokenType.Eof)
        {
            throw Fail(0, 0, "no expression found in input");
        }
        var expr = ParseBinary(0);
        var t = Peek();
        if (t.Type != TokenType.Eof)
        {
            throw Unexpected(t, null, null);
        }
        CheckAst(expr);
        return expr;
    }

    /// <summary>START_METRIC_SELECTOR: one vector selector and nothing else; no type checks (so <c>{}</c> passes, as in Prometheus).</summary>
    public IReadOnlyList<LabelMatcher> ParseWholeSelector()
    {
        var t = Peek();
        VectorSelector selector;
        if (t.Type == TokenType.LeftBrace)
        {
            selector = ParseSelector(null);
        }
        else if (IsMetricIdentifier(t.Type) || Token.IsAggregator(t.Type))
        {
            Consume();
            selector = ParseSelector(t);
        }
        else
        {
            throw Unexpected(t, null, null);
        }
        t = Peek();
        if (t.Type != TokenType.Eof)
        {
            throw Unexpected(t, null, null);
        }
        return selector.Matchers;
    }

    private Token Peek()
    {
        if (_peeked is { } p)
        {
            return p;
        }
        Token t;
        do
        {
            t = _lexer.Next();
        }
        while (t.Type == TokenType.Comment);
        switch (t.Type)
        {
            case TokenType.Error:
                throw Fail(_lexer.Start, _lexer.Start, t.Val);
            case TokenType.RightBrace or TokenType.RightParen or TokenType.RightBracket or TokenType.Duration or TokenType.Number:
                _lastClosing = t.EndPos;
                break;
        }
        _peeked = t;
        return t;
    }

    private Token Consume()
    {
        var t = Peek();
        _peeked = null;
        return t;
    }

    private PositionRange Range(int byteStart, int byteEnd) =>
        new(_charOffsetOfByte[Math.Clamp(byteStart, 0, _charOffsetOfByte.Length - 1)], _charOffsetOfByte[Math.Clamp(byteEnd, 0, _charOffsetOfByte.Length - 1)]);

    private ParseException Fail(int byteStart, int byteEnd, string detail) => new(_query, Range(byteStart, byteEnd), detail);

    private ParseException Fail(PositionRange range, string detail) => new(_query, range, detail);

    /// <summary>Prometheus's <c>unexpected(context, expected)</c>; with no context, "aggregation" applies inside an aggregation.</summary>
    private ParseException Unexpected(Token t, string? context, string? expected)
    {
        var sb = new StringBuilder("unexpected ").Append(t.Describe());
        context ??= _aggregationDepth > 0 ? "aggregation" : null;
        if (context is not null)
        {
            sb.Append(" in ").Append(context);
        }
        if (expected is not null)
        {
            sb.Append(", expected ").Append(expected);
        }
        return Fail(t.Pos, t.EndPos, sb.ToString());
    }

    private static bool IsMetricIdentifier(TokenType t) =>
        t is TokenType.Avg or TokenType.BottomK or TokenType.By or TokenType.Count or TokenType.CountValues or TokenType.Group
            or TokenType.Identifier or TokenType.Land or TokenType.Lor or TokenType.Lunless or TokenType.Max
            or TokenType.MetricIdentifier or TokenType.Min or TokenType.Offset or TokenType.Quantile or TokenType.Stddev
            or TokenType.Stdvar or TokenType.Sum or TokenType.TopK or TokenType.Without or TokenType.Start or TokenType.End;

    private static bool IsMaybeLabel(TokenType t) =>
        t is TokenType.Avg or TokenType.Bool or TokenType.BottomK or TokenType.By or TokenType.Count or TokenType.CountValues
            or TokenType.Group or TokenType.GroupLeft or TokenType.GroupRight or TokenType.Identifier or TokenType.Ignoring
            or TokenType.Land or TokenType.Lor or TokenType.Lunless or TokenType.Max or TokenType.MetricIdentifier
            or TokenType.Min or TokenType.Offset or TokenType.On or TokenType.Quantile or TokenType.Stddev or TokenType.Stdvar
            or TokenType.Sum or TokenType.TopK or TokenType.Start or TokenType.End or TokenType.Atan2;

    private static bool StartsExpr(TokenType t) =>
        t is TokenType.Number or TokenType.String or TokenType.LeftParen or TokenType.LeftBrace or TokenType.Add or TokenType.Sub
        || IsMetricIdentifier(t) || Token.IsAggregator(t);

    private static BinaryOp? BinaryOpOf(TokenType t) => t switch
    {
        TokenType.Add => BinaryOp.Add,
        TokenType.Sub => BinaryOp.Sub,
        TokenType.Mul => BinaryOp.Mul,
        TokenType.Div => BinaryOp.Div,
        TokenType.Mod => BinaryOp.Mod,
        TokenType.Pow => BinaryOp.Pow,
        TokenType.Eqlc => BinaryOp.Eql,
        TokenType.Neq => BinaryOp.Neq,
        TokenType.Gtr => BinaryOp.Gtr,
        TokenType.Lss => BinaryOp.Lss,
        TokenType.Gte => BinaryOp.Gte,
        TokenType.Lte => BinaryOp.Lte,
        TokenType.Land => BinaryOp.And,
        TokenType.Lor => BinaryOp.Or,
        TokenType.Lunless => BinaryOp.Unless,
        TokenType.Atan2 => BinaryOp.Atan2,
        _ => null,
    };

    private static AggregateOp AggregateOpOf(TokenType t) => t switch
    {
        TokenType.Sum => AggregateOp.Sum,
        TokenType.Avg => AggregateOp.Avg,
        TokenType.Count => AggregateOp.Count,
        TokenType.Min => AggregateOp.Min,
        TokenType.Max => AggregateOp.Max,
        TokenType.Group => AggregateOp.Group,
        TokenType.Stddev => AggregateOp.Stddev,
        TokenType.Stdvar => AggregateOp.Stdvar,
        TokenType.TopK => AggregateOp.TopK,
        TokenType.BottomK => AggregateOp.BottomK,
        TokenType.CountValues => AggregateOp.CountValues,
        _ => AggregateOp.Quantile,
    };

    /// <summary>Binary expressions by precedence climbing (the grammar's %left/%right declarations; <c>^</c> is right-associative).</summary>
    private Expr ParseBinary(int minPrecedence)
    {
        var lhs = ParseUnary();
        while (true)
        {
            var t = Peek();
            if (BinaryOpOf(t.Type) is not { } op || op.Precedence() < minPrecedence)
            {
                return lhs;
            }
            Consume();
            var binary = ParseBinaryModifiers(op, lhs);
            lhs = binary;
        }
    }

    private BinaryExpr ParseBinaryModifiers(BinaryOp op, Expr lhs)
    {
        var matching = new VectorMatching { Card = MatchCardinality.OneToOne };
        var returnBool = false;
        if (Peek().Type == TokenType.Bool)
        {
            Consume();
            returnBool = true;
        }
        var t = Peek();
        if (t.Type is TokenType.On or TokenType.Ignoring)
        {
            Consume();
            matching.MatchingLabels = ParseGroupingLabels();
            matching.On = t.Type == TokenType.On;
            t = Peek();
            if (t.Type is TokenType.GroupLeft or TokenType.GroupRight)
            {
                Consume();
                matching.Card = t.Type == TokenType.GroupLeft ? MatchCardinality.ManyToOne : MatchCardinality.OneToMany;
                var next = Peek();
                if (next.Type == TokenType.LeftParen)
                {
                    matching.Include = ParseGroupingLabels();
                }
                else if (!StartsExpr(next.Type))
                {
                    // The optional label list has an error alternative, so yacc reports here rather than later.
                    throw Unexpected(next, "grouping opts", "\"(\"");
                }
            }
        }
        var rhs = ParseBinary(op == BinaryOp.Pow ? op.Precedence() : op.Precedence() + 1);
        return new BinaryExpr(op, lhs, rhs)
        {
            Matching = matching,
            ReturnBool = returnBool,
            Position = new PositionRange(lhs.Position.Start, rhs.Position.End),
        };
    }

    /// <summary><c>unary_op expr %prec MUL</c>: the operand binds everything tighter than <c>*</c>, i.e. <c>^</c> and the postfix modifiers.</summary>
    private Expr ParseUnary()
    {
        var t = Peek();
        if (t.Type is not (TokenType.Add or TokenType.Sub))
        {
            return ParsePostfix(ParsePrimary());
        }
        Consume();
        var operand = ParseBinary(BinaryOp.Pow.Precedence());
        var start = Range(t.Pos, t.Pos).Start;
        if (operand is NumberLiteral n)
        {
            // Prometheus folds a sign into a number literal.
            return new NumberLiteral(t.Type == TokenType.Sub ? -n.Value : n.Value) { Position = new PositionRange(start, n.Position.End) };
        }
        return new UnaryExpr(t.Type == TokenType.Sub, operand) { Position = new PositionRange(start, operand.Position.End) };
    }

    private Expr ParsePostfix(Expr expr)
    {
        while (true)
        {
            switch (Peek().Type)
            {
                case TokenType.LeftBracket:
                    expr = ParseRangeOrSubquery(expr);
                    break;
                case TokenType.Offset:
                    ParseOffset(expr);
                    break;
                case TokenType.At:
                    ParseAt(expr);
                    break;
                default:
                    return expr;
            }
        }
    }

    private Expr ParsePrimary()
    {
        var t = Peek();
        switch (t.Type)
        {
            case TokenType.Number:
            {
                Consume();
                var value = GoLiterals.ParseNumber(t.Val, out var error) ?? throw Fail(t.Pos, t.EndPos, error!);
                return new NumberLiteral(value) { Position = Range(t.Pos, t.EndPos) };
            }
            case TokenType.String:
            {
                Consume();
                return new StringLiteral(Unquote(t)) { Position = Range(t.Pos, t.EndPos) };
            }
            case TokenType.LeftParen:
            {
                Consume();
                var inner = ParseBinary(0);
                var close = Peek();
                if (close.Type != TokenType.RightParen)
                {
                    throw Unexpected(close, null, null);
                }
                Consume();
                return new ParenExpr(inner) { Position = Range(t.Pos, close.EndPos) };
            }
            case TokenType.LeftBrace:
                return ParseSelector(null);
            case TokenType.Identifier:
                Consume();
                return Peek().Type == TokenType.LeftParen ? ParseCall(t) : ParseSelector(t);
        }
        if (Token.IsAggregator(t.Type))
        {
            Consume();
            return Peek().Type is TokenType.LeftParen or TokenType.By or TokenType.Without ? ParseAggregate(t) : ParseSelector(t);
        }
        if (IsMetricIdentifier(t.Type))
        {
            Consume();
            return ParseSelector(t);
        }
        throw Unexpected(t, null, null);
    }

    private string Unquote(Token t) =>
        GoLiterals.Unquote(t.Val, out var error) ?? throw Fail(t.Pos, t.EndPos, $"error unquoting string {GoText.Quote(t.Val)}: {error}");

    private Expr ParseCall(Token name)
    {
        var args = ParseCallBody();
        if (!Ast.Functions.TryGet(name.Val, out var function))
        {
            throw Fail(name.Pos, name.EndPos, $"unknown function with name {GoText.Quote(name.Val)}");
        }
        return new Call(function, args) { Position = Range(name.Pos, _lastClosing) };
    }

    /// <summary><c>function_call_body</c>: <c>( )</c> or <c>( expr, … )</c>; a trailing comma is an error at the comma.</summary>
    private List<Expr> ParseCallBody()
    {
        var args = new List<Expr>();
        var open = Peek();
        if (open.Type != TokenType.LeftParen)
        {
            throw Unexpected(open, null, null);
        }
        Consume();
        if (Peek().Type == TokenType.RightParen)
        {
            Consume();
            return args;
        }
        while (true)
        {
            args.Add(ParseBinary(0));
            var t = Peek();
            if (t.Type == TokenType.Comma)
            {
                Consume();
                if (!StartsExpr(Peek().Type))
                {
                    throw Fail(t.Pos, t.EndPos, "trailing commas not allowed in function call args");
                }
                continue;
            }
            if (t.Type == TokenType.RightParen)
            {
                Consume();
                return args;
            }
            throw Unexpected(t, null, null);
        }
    }

    private AggregateExpr ParseAggregate(Token opToken)
    {
        _aggregationDepth++;
        IReadOnlyList<string>? grouping = null;
        var without = false;
        List<Expr> args;
        var t = Peek();
        if (t.Type is TokenType.By or TokenType.Without)
        {
            Consume();
            without = t.Type == TokenType.Without;
            grouping = ParseGroupingLabels();
            var open = Peek();
            if (open.Type != TokenType.LeftParen)
            {
                throw Unexpected(open, "aggregation", null);
            }
            args = ParseCallBody();
        }
        else
        {
            args = ParseCallBody();
            t = Peek();
            if (t.Type is TokenType.By or TokenType.Without)
            {
                Consume();
                without = t.Type == TokenType.Without;
                grouping = ParseGroupingLabels();
            }
        }
        _aggregationDepth--;

        var op = AggregateOpOf(opToken.Type);
        var position = Range(opToken.Pos, _lastClosing);
        if (args.Count == 0)
        {
            throw Fail(position, "no arguments for aggregate expression provided");
        }
        var desired = op.TakesParameter() ? 2 : 1;
        if (args.Count != desired)
        {
            throw Fail(position, $"wrong number of arguments for aggregate expression provided, expected {desired}, got {args.Count}");
        }
        return new AggregateExpr(op, args[desired - 1])
        {
            Param = desired == 2 ? args[0] : null,
            Grouping = grouping ?? [],
            Without = without,
            HasGrouping = grouping is not null,
            Position = position,
        };
    }

    /// <summary><c>grouping_labels</c>: <c>( )</c>, <c>( a, b )</c>, <c>( a, b, )</c>.</summary>
    private List<string> ParseGroupingLabels()
    {
        const string Context = "grouping opts";
        var labels = new List<string>();
        var t = Peek();
        if (t.Type != TokenType.LeftParen)
        {
            throw Unexpected(t, Context, "\"(\"");
        }
        Consume();
        if (Peek().Type == TokenType.RightParen)
        {
            Consume();
            return labels;
        }
        while (true)
        {
            t = Peek();
            if (!IsMaybeLabel(t.Type))
            {
                throw Unexpected(t, Context, "label");
            }
            Consume();
            if (!Lexer.IsLabel(t.Val))
            {
                throw Unexpected(t, Context, "label");
            }
            labels.Add(t.Val);
            t = Peek();
            if (t.Type == TokenType.Comma)
            {
                Consume();
                if (Peek().Type == TokenType.RightParen)
                {
                    Consume();
                    return labels;
                }
                continue;
            }
            if (t.Type == TokenType.RightParen)
            {
                Consume();
                return labels;
            }
            throw Unexpected(t, Context, "\",\" or \")\"");
        }
    }

    /// <summary><c>vector_selector</c>: a metric name (already consumed), label matchers, or both.</summary>
    private VectorSelector ParseSelector(Token? name)
    {
        var matchers = new List<LabelMatcher>();
        var start = name?.Pos ?? Peek().Pos;
        var end = name?.EndPos ?? 0;
        if (name is null || Peek().Type == TokenType.LeftBrace)
        {
            end = ParseLabelMatchers(matchers);
        }
        if (name is { } n)
        {
            matchers.Add(LabelMatcher.Create(LabelMatchType.Equal, Label.MetricName, n.Val));
        }
        return new VectorSelector(name?.Val, matchers) { Position = Range(start, end) };
    }

    /// <summary><c>label_matchers</c>; returns the byte offset past the closing brace.</summary>
    private int ParseLabelMatchers(List<LabelMatcher> matchers)
    {
        const string Context = "label matching";
        Consume(); // {
        var t = Peek();
        if (t.Type == TokenType.RightBrace)
        {
            Consume();
            return t.EndPos;
        }
        while (true)
        {
            t = Peek();
            if (t.Type != TokenType.Identifier)
            {
                throw Unexpected(t, Context, "identifier or \"}\"");
            }
            Consume();
            var op = Peek();
            var type = op.Type switch
            {
                TokenType.Eql => LabelMatchType.Equal,
                TokenType.Neq => LabelMatchType.NotEqual,
                TokenType.EqlRegex => LabelMatchType.Regex,
                TokenType.NeqRegex => LabelMatchType.NotRegex,
                _ => throw Unexpected(op, Context, "label matching operator"),
            };
            Consume();
            var value = Peek();
            if (value.Type != TokenType.String)
            {
                throw Unexpected(value, Context, "string");
            }
            Consume();
            var text = Unquote(value);
            if (type is LabelMatchType.Regex or LabelMatchType.NotRegex && GoRegexCheck.Check(text) is { } goError)
            {
                throw Fail(t.Pos, value.EndPos, "error parsing regexp: " + goError);
            }
            if (!LabelMatcher.TryCreate(type, t.Val, text, out var matcher, out var error))
            {
                throw Fail(t.Pos, value.EndPos, RegexError(error, text));
            }
            matchers.Add(matcher);
            var next = Peek();
            if (next.Type == TokenType.Comma)
            {
                Consume();
                next = Peek();
                if (next.Type == TokenType.RightBrace)
                {
                    Consume();
                    return next.EndPos;
                }
                continue;
            }
            if (next.Type == TokenType.RightBrace)
            {
                Consume();
                return next.EndPos;
            }
            throw Unexpected(next, Context, "\",\" or \"}\"");
        }
    }

    /// <summary>
    /// Prometheus compiles <c>^(?:re)$</c>, so Go's regexp/syntax sees the anchored text: it names the whole anchored
    /// expression for unbalanced parentheses, the rest of the text from an unclosed <c>[</c>, only the repeat for a bad
    /// count, and a trailing backslash escapes the closing parenthesis. Best effort over <see cref="LabelMatcher"/>'s wording.
    /// </summary>
    private static string RegexError(string error, string regex)
    {
        const string Prefix = "error parsing regexp: ";
        var anchored = "^(?:" + regex + ")$";
        if (!error.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return error;
        }
        var body = error[Prefix.Length..];
        var colon = body.IndexOf(": `", StringComparison.Ordinal);
        var kind = colon < 0 ? body : body[..colon];
        var arg = colon < 0 ? "" : body[(colon + 3)..].TrimEnd('`');
        switch (kind)
        {
            case "missing closing )" or "unexpected )":
                return $"{Prefix}{kind}: `{anchored}`";
            case "trailing backslash at end of expression":
                return $"{Prefix}missing closing ): `{anchored}`";
            case "missing closing ]":
            {
                var open = regex.LastIndexOf('[');
                return open < 0 ? error : $"{Prefix}{kind}: `{regex[open..]})$`";
            }
            case "invalid repeat count":
            {
                var brace = arg.LastIndexOf('{');
                return brace <= 0 ? error : $"{Prefix}{kind}: `{arg[brace..]}`";
            }
            case "invalid nested repetition operator":
            {
                var op = arg.IndexOfAny(['*', '+', '?', '{']);
                return op <= 0 ? error : $"{Prefix}{kind}: `{arg[op..]}`";
            }
            case "invalid character class range":
            {
                var dash = arg.LastIndexOf('-');
                return dash < 1 || dash + 1 >= arg.Length ? error : $"{Prefix}{kind}: `{arg.Substring(dash - 1, 3)}`";
            }
            default:
                return error;
        }
    }

    private long ParseDurationToken(Token t) =>
        GoLiterals.ParseDurationMs(t.Val, out var error) ?? throw Fail(t.Pos, t.EndPos, error!);

    private Expr ParseRangeOrSubquery(Expr expr)
    {
        var open = Consume();
        var t = Peek();
        if (t.Type != TokenType.Duration)
        {
            throw Unexpected(t, "subquery selector", "duration");
        }
        Consume();
        var range = ParseDurationToken(t);
        t = Peek();
        if (t.Type == TokenType.RightBracket)
        {
            Consume();
            string? error = null;
            if (expr is not VectorSelector vs)
            {
                error = "ranges only allowed for vector selectors";
            }
            else if (vs.OriginalOffsetMs != 0)
            {
                error = "no offset modifiers allowed before range";
            }
            else if (vs.TimestampMs is not null)
            {
                error = "no @ modifiers allowed before range";
            }
            if (error is not null)
            {
                throw Fail(open.Pos, t.EndPos, error);
            }
            var selector = (VectorSelector)expr;
            return new MatrixSelector(selector, range) { Position = new PositionRange(selector.Position.Start, Range(_lastClosing, _lastClosing).Start) };
        }
        if (t.Type != TokenType.Colon)
        {
            throw Unexpected(t, "subquery or range", "\":\" or \"]\"");
        }
        Consume();
        t = Peek();
        long step = 0;
        if (t.Type == TokenType.Duration)
        {
            Consume();
            step = ParseDurationToken(t);
            t = Peek();
            if (t.Type != TokenType.RightBracket)
            {
                throw Unexpected(t, "subquery selector", "\"]\"");
            }
        }
        else if (t.Type != TokenType.RightBracket)
        {
            throw Unexpected(t, "subquery selector", "duration or \"]\"");
        }
        Consume();
        return new SubqueryExpr(expr, range, step) { Position = new PositionRange(expr.Position.Start, Range(t.Pos + 1, t.Pos + 1).Start) };
    }

    private void ParseOffset(Expr expr)
    {
        Consume();
        var t = Peek();
        var negative = false;
        if (t.Type == TokenType.Sub)
        {
            Consume();
            negative = true;
            t = Peek();
        }
        if (t.Type != TokenType.Duration)
        {
            throw Unexpected(t, "offset", "duration");
        }
        Consume();
        var offset = ParseDurationToken(t);
        if (negative)
        {
            offset = -offset;
        }
        var end = Range(_lastClosing, _lastClosing).Start;
        switch (expr)
        {
            case VectorSelector vs:
                EnsureNoOffset(vs.OriginalOffsetMs, expr);
                vs.OriginalOffsetMs = offset;
                vs.Position = vs.Position with { End = end };
                break;
            case MatrixSelector ms:
                EnsureNoOffset(ms.Selector.OriginalOffsetMs, expr);
                ms.Selector.OriginalOffsetMs = offset;
                ms.Position = ms.Position with { End = end };
                break;
            case SubqueryExpr sq:
                EnsureNoOffset(sq.OriginalOffsetMs, expr);
                sq.OriginalOffsetMs = offset;
                sq.Position = sq.Position with { End = end };
                break;
            default:
                throw Fail(expr.Position, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
    }

    private void EnsureNoOffset(long current, Expr expr)
    {
        if (current != 0)
        {
            throw Fail(expr.Position, "offset may not be set multiple times");
        }
    }

    private void ParseAt(Expr expr)
    {
        const string Context = "@";
        const string Expected = "timestamp";
        Consume();
        var t = Peek();
        double? timestamp = null;
        var startOrEnd = AtModifier.None;
        switch (t.Type)
        {
            case TokenType.Number:
                Consume();
                timestamp = GoLiterals.ParseNumber(t.Val, out var error) ?? throw Fail(t.Pos, t.EndPos, error!);
                break;
            case TokenType.Add or TokenType.Sub:
            {
                Consume();
                var n = Peek();
                if (n.Type != TokenType.Number)
                {
                    throw Unexpected(n, Context, Expected);
                }
                Consume();
                var value = GoLiterals.ParseNumber(n.Val, out var numberError) ?? throw Fail(n.Pos, n.EndPos, numberError!);
                timestamp = t.Type == TokenType.Sub ? -value : value;
                break;
            }
            case TokenType.Start or TokenType.End:
            {
                Consume();
                var open = Peek();
                if (open.Type != TokenType.LeftParen)
                {
                    throw Unexpected(open, Context, Expected);
                }
                Consume();
                var close = Peek();
                if (close.Type != TokenType.RightParen)
                {
                    throw Unexpected(close, Context, Expected);
                }
                Consume();
                startOrEnd = t.Type == TokenType.Start ? AtModifier.Start : AtModifier.End;
                break;
            }
            default:
                throw Unexpected(t, Context, Expected);
        }

        if (timestamp is { } ts && (double.IsInfinity(ts) || double.IsNaN(ts) || ts >= 9.2233720368547758e18 || ts <= -9.2233720368547758e18))
        {
            throw Fail(expr.Position, "timestamp out of bounds for @ modifier: " + GoText.FormatF(ts));
        }
        var end = Range(_lastClosing, _lastClosing).Start;
        long? timestampMs = timestamp is { } seconds ? FromFloatSeconds(seconds) : null;
        switch (expr)
        {
            case VectorSelector vs:
                EnsureNoAt(vs.TimestampMs, vs.StartOrEnd, expr);
                (vs.TimestampMs, vs.StartOrEnd) = (timestampMs, startOrEnd);
                vs.Position = vs.Position with { End = end };
                break;
            case MatrixSelector ms:
                EnsureNoAt(ms.Selector.TimestampMs, ms.Selector.StartOrEnd, expr);
                (ms.Selector.TimestampMs, ms.Selector.StartOrEnd) = (timestampMs, startOrEnd);
                ms.Position = ms.Position with { End = end };
                break;
            case SubqueryExpr sq:
                EnsureNoAt(sq.TimestampMs, sq.StartOrEnd, expr);
                (sq.TimestampMs, sq.StartOrEnd) = (timestampMs, startOrEnd);
                sq.Position = sq.Position with { End = end };
                break;
            default:
                throw Fail(expr.Position, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
    }

    private void EnsureNoAt(long? timestampMs, AtModifier startOrEnd, Expr expr)
    {
        if (timestampMs is not null || startOrEnd != AtModifier.None)
        {
            throw Fail(expr.Position, "@ <timestamp> may not be set multiple times");
        }
    }

    /// <summary>Prometheus's <c>timestamp.FromFloatSeconds</c>: <c>int64(math.Round(ts * 1000))</c>; Go on amd64 turns an out-of-range conversion into MinInt64.</summary>
    private static long FromFloatSeconds(double seconds)
    {
        var ms = Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);
        return double.IsNaN(ms) || ms >= 9.2233720368547758e18 || ms < -9.2233720368547758e18 ? long.MinValue : (long)ms;
    }
}
