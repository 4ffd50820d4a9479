namespace Vigil.Model.Exposition;

/// <summary>What <see cref="ExpositionParser.Next"/> found: one line of an exposition, the end, or an error.</summary>
public enum ExpositionEntry
{
    /// <summary>Nothing read yet.</summary>
    None,

    /// <summary>A <c># HELP name text</c> line.</summary>
    Help,

    /// <summary>A <c># TYPE name type</c> line.</summary>
    Type,

    /// <summary>A <c># UNIT name unit</c> line (OpenMetrics only).</summary>
    Unit,

    /// <summary>Any other <c>#</c> line (text format 0.0.4 only; OpenMetrics has no free comments).</summary>
    Comment,

    /// <summary>A sample line: <c>name{labels} value [timestamp] [# exemplar]</c>.</summary>
    Series,

    /// <summary>The end of a well-formed body (after <c># EOF</c> in OpenMetrics). Returned again by every later call.</summary>
    Eof,

    /// <summary>Malformed input; see <see cref="ExpositionParser.Error"/>. Returned again by every later call.</summary>
    Error,
}
