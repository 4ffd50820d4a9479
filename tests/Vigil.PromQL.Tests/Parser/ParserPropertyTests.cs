using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Parser;

namespace Vigil.PromQL.Tests.Parser;

/// <summary>The parser fails only with <see cref="ParseException"/>, inside the query, and printing is a fixed point.</summary>
public sealed class ParserPropertyTests
{
    private static readonly string[] s_seeds = GoldenCases.Exprs.Select(c => c.Query).Where(q => q.Length > 0).ToArray();

    private static readonly char[] s_interesting =
    [
        '(', ')', '{', '}', '[', ']', ',', ':', '"', '\'', '`', '\\', '=', '!', '~', '@', '-', '+', '*', '/', '^', '%', '<', '>',
        ' ', '\n', '#', '.', 'e', 'x', '0', '5', 'm', 's', 'a', '_', 'é', '日', '\u00a0', '\0', '\uFFFD',
    ];

    private static readonly string[] s_words =
    [
        "sum", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "start()", "end()", "and", "or",
        "unless", "atan2", "topk", "count_values", "rate", "Inf", "NaN", "0x1f", "5m", "1h30m", "[5m:1m]", "@ 10",
    ];

    [Property(MaxTest = 2000)]
    public void Arbitrary_strings_parse_or_fail_with_a_parse_error(string? query) => AssertParsesOrFails(query ?? "");

    [Property(MaxTest = 3000)]
    public Property Mutated_queries_parse_or_fail_with_a_parse_error() =>
        Prop.ForAll(Mutations().ToArbitrary(), AssertParsesOrFails);

    [Property(MaxTest = 1000)]
    public Property Printing_a_parsed_query_gives_text_that_parses_to_the_same_print() =>
        Prop.ForAll(Mutations().ToArbitrary(), query =>
        {
            Expr expr;
            try
            {
                expr = PromQLParser.ParseExpr(query);
            }
            catch (ParseException)
            {
                return;
            }
            AssertRoundTrips(query, expr);
        });

    [Fact]
    public void Every_valid_golden_query_round_trips_through_the_printer()
    {
        foreach (var query in GoldenCases.ValidQueries)
        {
            AssertRoundTrips(query, PromQLParser.ParseExpr(query));
        }
    }

    [Fact]
    public void Every_golden_query_cut_at_every_position_parses_or_fails_with_a_parse_error()
    {
        foreach (var query in s_seeds)
        {
            for (var i = 0; i <= query.Length; i++)
            {
                AssertParsesOrFails(query[..i]);
                AssertParsesOrFails(query[i..]);
            }
        }
    }

    private static void AssertRoundTrips(string query, Expr expr)
    {
        var printed = expr.ToString();
        Expr reparsed;
        try
        {
            reparsed = PromQLParser.ParseExpr(printed);
        }
        catch (ParseException e)
        {
            throw new Xunit.Sdk.XunitException($"{query} printed as {printed}, which fails: {e.Message}");
        }
        Assert.Equal(printed, reparsed.ToString());
    }

    private static void AssertParsesOrFails(string query)
    {
        try
        {
            PromQLParser.ParseExpr(query);
        }
        catch (ParseException e)
        {
            Assert.InRange(e.Position.Start, 0, query.Length);
            Assert.InRange(e.Position.End, 0, query.Length);
            Assert.StartsWith(PositionPrefix(query, e.Position.Start), e.Message, StringComparison.Ordinal);
        }
        try
        {
            PromQLParser.ParseMetricSelector(query);
        }
        catch (ParseException e)
        {
            Assert.InRange(e.Position.Start, 0, query.Length);
        }
    }

    private static string PositionPrefix(string query, int pos)
    {
        var line = 1 + query[..pos].Count(c => c == '\n');
        var lineStart = query.LastIndexOf('\n', Math.Max(0, pos - 1)) + 1;
        if (pos == 0)
        {
            lineStart = 0;
        }
        var column = System.Text.Encoding.UTF8.GetByteCount(query.AsSpan(lineStart, pos - lineStart)) + 1;
        return $"{line}:{column}: parse error: ";
    }

    private static Gen<string> Mutations()
    {
        var anyChar = Gen.Choose(1, 0x2FF).Select(i => (char)i);
        var piece = Gen.Frequency(
            (4, Gen.Elements(s_interesting).Select(c => c.ToString())),
            (2, Gen.Elements(s_words)),
            (1, anyChar.Select(c => c.ToString())));
        var edit = from kind in Gen.Choose(0, 2)
                   from at in Gen.Choose(0, int.MaxValue)
                   from text in piece
                   select (kind, at, text);
        return from seed in Gen.Elements(s_seeds)
               from edits in Gen.ListOf(edit, 4)
               select Mutate(seed, edits);
    }

    private static string Mutate(string seed, IEnumerable<(int Kind, int At, string Text)> edits)
    {
        var s = seed;
        foreach (var (kind, at, text) in edits)
        {
            var i = s.Length == 0 ? 0 : at % (s.Length + 1);
            s = kind switch
            {
                0 => s.Insert(i, text),
                1 when i < s.Length => s.Remove(i, 1),
                _ when i < s.Length => s.Remove(i, 1).Insert(i, text),
                _ => s + text,
            };
        }
        return s;
    }
}
