namespace Vigil.PromQL.Parser;

/// <summary>A lexed item: its type, its byte offset in the UTF-8 query, and its text (Prometheus's <c>Item</c>).</summary>
internal readonly record struct Token(TokenType Type, int Pos, string Val)
{
    /// <summary>The byte offset just past the item.</summary>
    public int EndPos => Pos + System.Text.Encoding.UTF8.GetByteCount(Val);

    /// <summary>Whether the item is an operator (binary operators, <c>=~ !~</c>, <c>@</c>).</summary>
    public static bool IsOperator(TokenType t) => t > TokenType.OperatorsStart && t < TokenType.OperatorsEnd;

    /// <summary>Whether the item is an aggregation operator.</summary>
    public static bool IsAggregator(TokenType t) => t > TokenType.AggregatorsStart && t < TokenType.AggregatorsEnd;

    /// <summary>Whether the item is a keyword (<c>bool by group_left group_right ignoring offset on without</c>).</summary>
    public static bool IsKeyword(TokenType t) => t > TokenType.KeywordsStart && t < TokenType.KeywordsEnd;

    /// <summary>Whether Prometheus's <c>ItemTypeStr</c> has a fixed spelling for the type.</summary>
    private static bool HasTypeString(TokenType t) =>
        t is TokenType.LeftParen or TokenType.RightParen or TokenType.LeftBrace or TokenType.RightBrace
            or TokenType.LeftBracket or TokenType.RightBracket or TokenType.Comma or TokenType.Eql or TokenType.Colon
            or TokenType.Semicolon or TokenType.Blank or TokenType.Times or TokenType.Space or TokenType.Start or TokenType.End
        || (IsOperator(t) && t != TokenType.At) || IsAggregator(t) || IsKeyword(t);

    /// <summary>Prometheus's <c>Item.String()</c>.</summary>
    public override string ToString()
    {
        if (Type == TokenType.Eof)
        {
            return "EOF";
        }
        if (Type == TokenType.Error)
        {
            return Val;
        }
        if (Type is TokenType.Identifier or TokenType.MetricIdentifier)
        {
            return GoText.Quote(Val);
        }
        if (IsKeyword(Type))
        {
            return "<" + Val + ">";
        }
        if (IsOperator(Type))
        {
            return "<op:" + Val + ">";
        }
        if (IsAggregator(Type))
        {
            return "<aggr:" + Val + ">";
        }
        return System.Text.Encoding.UTF8.GetByteCount(Val) > 10 ? GoText.QuoteTruncated(Val) : GoText.Quote(Val);
    }

    /// <summary>Prometheus's <c>Item.desc()</c>, the text after "unexpected" in syntax errors.</summary>
    public string Describe()
    {
        if (Type == TokenType.At)
        {
            // 2.42's ItemTypeStr lacks AT, so Go describes it by its yacc token number.
            return "\"<Item 57385>\" " + ToString();
        }
        if (HasTypeString(Type))
        {
            return ToString();
        }
        if (Type == TokenType.Eof)
        {
            return "end of input";
        }
        var typeDesc = Type switch
        {
            TokenType.Error => "error",
            TokenType.Comment => "comment",
            TokenType.Identifier => "identifier",
            TokenType.MetricIdentifier => "metric identifier",
            TokenType.String => "string",
            TokenType.Number => "number",
            TokenType.Duration => "duration",
            _ => Type.ToString(),
        };
        return typeDesc + " " + ToString();
    }
}
