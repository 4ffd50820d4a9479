namespace Vigil.Model.Exposition;

/// <summary>A malformed exposition body, thrown at the edge by <see cref="ExpositionReader"/> and <see cref="ExpositionParser.ThrowIfError"/>.</summary>
public sealed class ExpositionFormatException : FormatException
{
    /// <summary>Wraps a parse error; the message is <c>line L, column C: reason</c>.</summary>
    public ExpositionFormatException(ExpositionError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString())
    {
        Error = error;
    }

    /// <summary>A format error without a position (line and column 0).</summary>
    public ExpositionFormatException()
        : this("malformed exposition")
    {
    }

    /// <summary>A format error without a position (line and column 0).</summary>
    public ExpositionFormatException(string message)
        : base(message)
    {
        Error = new ExpositionError(0, 0, 0, message ?? "malformed exposition", "");
    }

    /// <summary>A format error without a position, caused by <paramref name="innerException"/>.</summary>
    public ExpositionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new ExpositionError(0, 0, 0, message ?? "malformed exposition", "");
    }

    /// <summary>The error: position, reason and snippet.</summary>
    public ExpositionError Error { get; }

    /// <summary>1-based line of the error.</summary>
    public int Line => Error.Line;

    /// <summary>1-based column of the error, in Unicode scalar values.</summary>
    public int Column => Error.Column;

    /// <summary>The reason without the position.</summary>
    public string Reason => Error.Message;

    /// <summary>The offending line up to the error.</summary>
    public string Snippet => Error.Snippet;
}
