using Vigil.Alerting.Matching;
using Vigil.Model;

namespace Vigil.Alerting.Silencing;

/// <summary>Alertmanager 0.25's <c>validateSilence</c> and <c>validateMatcher</c>, with their messages.</summary>
public static class SilenceValidation
{
    /// <summary>Why <paramref name="silence"/> cannot be stored, or null.</summary>
    public static string? Validate(Silence silence)
    {
        ArgumentNullException.ThrowIfNull(silence);
        if (silence.Id.Length == 0)
        {
            return "ID missing";
        }
        if (silence.Matchers.Count == 0)
        {
            return "at least one matcher required";
        }
        var allMatchEmpty = true;
        for (var i = 0; i < silence.Matchers.Count; i++)
        {
            var m = silence.Matchers[i];
            if (MatcherError(m.Type, m.Name, m.Value) is { } error)
            {
                return $"invalid label matcher {i.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {error}";
            }
            allMatchEmpty = allMatchEmpty && m.Matches("");
        }
        if (allMatchEmpty)
        {
            return "at least one matcher must not match the empty string";
        }
        if (silence.StartsAt == default)
        {
            return "invalid zero start timestamp";
        }
        if (silence.EndsAt == default)
        {
            return "invalid zero end timestamp";
        }
        if (silence.EndsAt < silence.StartsAt)
        {
            return "end time must not be before start time";
        }
        if (silence.UpdatedAt == default)
        {
            return "invalid zero update timestamp";
        }
        return null;
    }

    /// <summary>
    /// Why a matcher is invalid in a silence (<c>invalid label name "a-b"</c>, <c>invalid regular expression "(": ...</c>),
    /// or null. Also used before a <see cref="Matcher"/> exists, when the API converts a posted silence.
    /// </summary>
    public static string? MatcherError(LabelMatchType type, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!LabelText.IsValidLabelName(name))
        {
            return $"invalid label name \"{name}\"";
        }
        if (type is LabelMatchType.Regex or LabelMatchType.NotRegex && !LabelMatcher.TryCreate(type, name, value, out _, out var error))
        {
            return $"invalid regular expression \"{value}\": {error}";
        }
        return null;
    }
}
