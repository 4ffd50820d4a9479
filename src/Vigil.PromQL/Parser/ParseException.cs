using System.Text;
using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Parser;

/// <summary>
/// A PromQL parse error, worded like Prometheus 2.42's <c>ParseErr</c>: <see cref="Exception.Message"/> is
/// <c>LINE:COL: parse error: DETAIL</c>. Prometheus's <c>ParseErrors.Error()</c> renders only the first of several
/// errors, and so does the parser: it stops at the first one.
/// </summary>
public sealed class ParseException : Exception
{
    /// <summary>A parse error at <paramref name="position"/> (character offsets) in <paramref name="query"/>.</summary>
    public ParseException(string query, PositionRange position, string detail)
        : base(Format(query, position, detail))
    {
        Query = query;
        Position = position;
        Detail = detail;
    }

    /// <summary>The query text.</summary>
    public string Query { get; }

    /// <summary>Where the error is, in character offsets into <see cref="Query"/>.</summary>
    public PositionRange Position { get; }

    /// <summary>The error without its position prefix.</summary>
    public string Detail { get; }

    /// <summary>
    /// Prometheus's rendering: the line and 1-based column of <c>position.Start</c>. Go counts the column in UTF-8
    /// bytes, so a character offset is converted to bytes here.
    /// </summary>
    public static string Format(string query, PositionRange position, string detail)
    {
        ArgumentNullException.ThrowIfNull(query);
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
            var column = Encoding.UTF8.GetByteCount(query.AsSpan(lastBreak + 1, pos - lastBreak - 1)) + 1;
            where = $"{line}:{column}:";
        }
        return $"{where} parse error: {detail}";
    }
}
