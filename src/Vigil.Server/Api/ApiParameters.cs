using Vigil.Model;

namespace Vigil.Server.Api;

/// <summary>Prometheus 2.42's parameter parsers (<c>parseTime</c>, <c>parseTimeParam</c>, <c>parseDuration</c>), with its error texts.</summary>
public static class ApiParameters
{
    /// <summary>
    /// Prometheus's <c>parseTimeParam</c>: <paramref name="defaultTime"/> when the parameter is absent or empty, else
    /// <see cref="ApiTime.TryParse"/>; errors read <c>invalid parameter "start": Invalid time value for 'start': ...</c>.
    /// </summary>
    public static ApiTime TimeParam(ApiForm form, string name, ApiTime defaultTime)
    {
        ArgumentNullException.ThrowIfNull(form);
        var text = form.Value(name);
        if (text.Length == 0)
        {
            return defaultTime;
        }
        if (!ApiTime.TryParse(text, out var time, out var error))
        {
            throw ApiException.InvalidParameter(name, $"Invalid time value for '{name}': {error}");
        }
        return time;
    }

    /// <summary>Prometheus's bare <c>parseTime</c> on a required parameter (query_range's start and end): no default, no "Invalid time value" prefix.</summary>
    public static ApiTime RequiredTime(ApiForm form, string name)
    {
        ArgumentNullException.ThrowIfNull(form);
        var text = form.Value(name);
        if (!ApiTime.TryParse(text, out var time, out var error))
        {
            throw ApiException.InvalidParameter(name, error);
        }
        return time;
    }

    /// <summary>
    /// Prometheus's <c>parseDuration</c> in nanoseconds: float seconds (overflow checked against int64 nanoseconds),
    /// else a Prometheus duration (<c>1m30s</c>). Null with <paramref name="error"/> set when neither parses.
    /// </summary>
    public static bool TryParseDuration(string text, out long nanoseconds, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = "";
        nanoseconds = 0;
        if (GoStrconv.TryParseFloat(text, out var seconds))
        {
            var ns = seconds * 1e9;
            if (ns > long.MaxValue || ns < long.MinValue)
            {
                error = $"cannot parse \"{text}\" to a valid duration. It overflows int64";
                return false;
            }
            nanoseconds = GoStrconv.ToInt64(ns);
            return true;
        }
        if (text.Length > 0 && PromDuration.TryParse(text, out var duration, out _))
        {
            nanoseconds = (long)duration.TotalMilliseconds * 1_000_000;
            return true;
        }
        error = $"cannot parse \"{text}\" to a valid duration";
        return false;
    }

    /// <summary>A required duration parameter in nanoseconds; errors read <c>invalid parameter "step": ...</c>.</summary>
    public static long Duration(ApiForm form, string name)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!TryParseDuration(form.Value(name), out var ns, out var error))
        {
            throw ApiException.InvalidParameter(name, error);
        }
        return ns;
    }
}
