namespace Vigil.Rules.UnitTesting;

/// <summary>
/// Why a series description or label set did not parse, and where: <see cref="Offset"/> is the 0-based
/// character offset into the text, <see cref="Detail"/> Prometheus's wording without the position.
/// </summary>
/// <param name="Text">The text that was parsed.</param>
/// <param name="Offset">Where the problem starts.</param>
/// <param name="Detail">What is wrong.</param>
public sealed record NotationError(string Text, int Offset, string Detail)
{
    /// <summary>Prometheus's rendering, <c>LINE:COL: parse error: DETAIL</c> (line and column 1-based).</summary>
    public override string ToString()
    {
        var line = 1;
        var lastBreak = -1;
        var end = Math.Clamp(Offset, 0, Text.Length);
        for (var i = 0; i < end; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
                lastBreak = i;
            }
        }
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{line}:{Offset - lastBreak}: parse error: {Detail}");
    }
}
