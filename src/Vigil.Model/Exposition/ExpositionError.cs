using System.Globalization;

namespace Vigil.Model.Exposition;

/// <summary>
/// Why and where an exposition body is malformed. Parsers return this as a value
/// (<see cref="ExpositionParser.Error"/>); <see cref="ExpositionFormatException"/> carries it when thrown.
/// </summary>
public sealed class ExpositionError
{
    /// <summary>An error at a position in the body.</summary>
    /// <param name="line">1-based line number.</param>
    /// <param name="column">1-based column, counted in Unicode scalar values (invalid UTF-8 bytes count one each).</param>
    /// <param name="offset">0-based byte offset into the body.</param>
    /// <param name="message">What was wrong, in Prometheus's words where it has some: <c>expected label value, got "'"</c>.</param>
    /// <param name="snippet">The text of the line from its start up to and including the offending byte.</param>
    public ExpositionError(int line, int column, int offset, string message, string snippet)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(snippet);
        Line = line;
        Column = column;
        Offset = offset;
        Message = message;
        Snippet = snippet;
    }

    /// <summary>1-based line number.</summary>
    public int Line { get; }

    /// <summary>1-based column in Unicode scalar values.</summary>
    public int Column { get; }

    /// <summary>0-based byte offset into the body.</summary>
    public int Offset { get; }

    /// <summary>What was wrong, without the position: <c>expected label value, got "'"</c>.</summary>
    public string Message { get; }

    /// <summary>The line up to and including the offending byte (Prometheus's "while parsing" text), at most ~200 bytes.</summary>
    public string Snippet { get; }

    /// <summary><c>line 3, column 14: expected label value, got "'"</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}: {Message}");
}
