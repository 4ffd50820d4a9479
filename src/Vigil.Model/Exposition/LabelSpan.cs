using System.Runtime.CompilerServices;

namespace Vigil.Model.Exposition;

/// <summary>Where one label's name and (still escaped) value sit in the body.</summary>
internal readonly record struct LabelSpan(int NameStart, int NameLength, int ValueStart, int ValueLength, bool ValueHasEscape);

/// <summary>
/// Inline room for the label spans of one series plus its exemplar, so <see cref="ExpositionParser"/> needs
/// no heap for ordinary lines; lines with more labels spill into an array.
/// </summary>
[InlineArray(Capacity)]
internal struct LabelSpanBuffer
{
    public const int Capacity = 24;

    private LabelSpan _element0;
}
