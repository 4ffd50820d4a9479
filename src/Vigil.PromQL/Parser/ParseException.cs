using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Parser;

/// <summary>
/// A PromQL parse error, worded like Prometheus 2.42's <c>ParseErr</c>: <see cref="Exception.Message"/> is
/// <c>LINE:COL: parse error: DETAIL</c> (several errors are joined with newlines, as Prometheus's <c>ParseErrors</c>).
/// </summary>
public sealed class ParseException : Exception
{
    /// <summary>A parse error at <paramref name="position"/> in <paramref name="query"/>.</summary>
    public ParseException(string query, PositionRange position, string detail)
        : base(Format(query, position, detail))
    {
        Query = query;
        Position = position;
        Detail = detail;
    }

    /// <summary>The query text.</summary>
    public string Query { get; }

    /// <summary>Where the error is.</summary>
    public PositionRange Position { get; }

    /// <summary>The error without its position prefix.</summary>
    public string Detail { get; }

    /// <summary>Prometheus's rendering: line and 1-based column of <c>position.Start</c> (counted in bytes, as Go does).</summary>
    public static string Format(string query, PositionRange position, string detail)
    {
        var pos = position.Start;
        string where;
        if (pos < 0 || pos > query.Length)
        {
            where = "invalid position:";
        }
        else
        {
            var line = 1;
            var lastBreak = -1;
            for (var i = 0; i < pos; i++)
            {
                if (query[i] == '\n')
                {
                    line++;
                    lastBreak = i;
                }
            }
            where = $"{line}:{pos - lastBreak}:";
        }
        return $"{where} parse error: {detail}";
    }
}
