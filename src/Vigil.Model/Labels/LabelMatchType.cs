namespace Vigil.Model;

/// <summary>The four label matcher operators of PromQL selectors.</summary>
public enum LabelMatchType
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>=~</c>, fully anchored.</summary>
    Regex,

    /// <summary><c>!~</c>, fully anchored.</summary>
    NotRegex,
}
