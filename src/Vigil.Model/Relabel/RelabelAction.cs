namespace Vigil.Model.Relabel;

/// <summary>What a relabel rule does (Prometheus's <c>relabel.Action</c>); written in YAML in lower case.</summary>
public enum RelabelAction
{
    /// <summary>Match the regex against the joined source values and write the expanded replacement to the (expanded) target label.</summary>
    Replace,

    /// <summary>Drop the label set unless the regex matches the joined source values.</summary>
    Keep,

    /// <summary>Drop the label set when the regex matches the joined source values.</summary>
    Drop,

    /// <summary>Drop the label set unless the joined source values equal the target label's value.</summary>
    KeepEqual,

    /// <summary>Drop the label set when the joined source values equal the target label's value.</summary>
    DropEqual,

    /// <summary>Set the target label to the MD5 of the joined source values modulo the modulus.</summary>
    HashMod,

    /// <summary>Copy every label whose name matches the regex to the name the replacement expands to.</summary>
    LabelMap,

    /// <summary>Remove every label whose name matches the regex.</summary>
    LabelDrop,

    /// <summary>Remove every label whose name does not match the regex.</summary>
    LabelKeep,

    /// <summary>Set the target label to the joined source values in lower case.</summary>
    Lowercase,

    /// <summary>Set the target label to the joined source values in upper case.</summary>
    Uppercase,
}

/// <summary>The YAML names of <see cref="RelabelAction"/>.</summary>
public static class RelabelActionNames
{
    /// <summary>The name as written in configuration: <c>replace</c>, <c>keepequal</c>, <c>hashmod</c>, ...</summary>
    public static string ToName(this RelabelAction action) => action switch
    {
        RelabelAction.Replace => "replace",
        RelabelAction.Keep => "keep",
        RelabelAction.Drop => "drop",
        RelabelAction.KeepEqual => "keepequal",
        RelabelAction.DropEqual => "dropequal",
        RelabelAction.HashMod => "hashmod",
        RelabelAction.LabelMap => "labelmap",
        RelabelAction.LabelDrop => "labeldrop",
        RelabelAction.LabelKeep => "labelkeep",
        RelabelAction.Lowercase => "lowercase",
        RelabelAction.Uppercase => "uppercase",
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    /// <summary>Parses a name case-insensitively, as Prometheus does; on failure <paramref name="error"/> is <c>unknown relabel action "x"</c>.</summary>
    public static bool TryParse(string name, out RelabelAction action, out string? error)
    {
        ArgumentNullException.ThrowIfNull(name);
        error = null;
        action = RelabelAction.Replace;
        for (var a = RelabelAction.Replace; a <= RelabelAction.Uppercase; a++)
        {
            if (string.Equals(a.ToName(), name, StringComparison.OrdinalIgnoreCase))
            {
                action = a;
                return true;
            }
        }
        error = "unknown relabel action " + LabelText.Quote(name);
        return false;
    }
}
