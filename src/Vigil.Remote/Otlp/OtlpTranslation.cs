namespace Vigil.Remote.Otlp;

/// <summary>What translating one OTLP request did: samples made, data points rejected and why.</summary>
public sealed class OtlpTranslation
{
    /// <summary>The most distinct rejection reasons kept for the answer's <c>error_message</c>.</summary>
    public const int MaxErrors = 8;

    private readonly List<string> _errors = [];
    private int _moreErrors;

    /// <summary>Samples handed to the sink.</summary>
    public long Samples { get; internal set; }

    /// <summary>Data points not translated (delta temporality, exponential histograms, no timestamp, ...).</summary>
    public long RejectedDataPoints { get; internal set; }

    /// <summary>Whether the sink stopped the translation before the end.</summary>
    public bool Stopped { get; internal set; }

    /// <summary>The distinct reasons for rejections, in the order first met (at most <see cref="MaxErrors"/>).</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The reasons as one message for <c>ExportMetricsPartialSuccess.error_message</c>; empty when none.</summary>
    public string ErrorMessage => _errors.Count == 0
        ? ""
        : string.Join("; ", _errors) + (_moreErrors > 0 ? $"; and {_moreErrors} more" : "");

    internal void Reject(long points, string error)
    {
        RejectedDataPoints += points;
        if (_errors.Contains(error))
        {
            return;
        }
        if (_errors.Count < MaxErrors)
        {
            _errors.Add(error);
        }
        else
        {
            _moreErrors++;
        }
    }
}
