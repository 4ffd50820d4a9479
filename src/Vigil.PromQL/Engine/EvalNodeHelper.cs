using Vigil.Model;

namespace Vigil.PromQL.Engine;

/// <summary>
/// Per-node evaluation state handed to function implementations at each step, as Prometheus's <c>EvalNodeHelper</c>:
/// the step's timestamp, the output vector to append to (reused across steps), and caches that make per-step
/// label work allocation-free after the first step.
/// </summary>
public sealed class EvalNodeHelper
{
    private readonly Dictionary<Labels, Labels> _dropMetricName = [];

    /// <summary>The evaluation timestamp of the current step, in milliseconds.</summary>
    public long Ts { get; set; }

    /// <summary>The output of the current step; functions append to it and return it.</summary>
    public List<VectorSample> Out { get; set; } = [];

    /// <summary>Free-form per-node caches for functions (e.g. <c>histogram_quantile</c>'s bucket grouping, <c>label_replace</c>'s results).</summary>
    public Dictionary<string, object> Cache { get; } = new(StringComparer.Ordinal);

    /// <summary><paramref name="metric"/> without <c>__name__</c>, cached per label set.</summary>
    public Labels DropMetricName(Labels metric)
    {
        if (!_dropMetricName.TryGetValue(metric, out var dropped))
        {
            dropped = metric.WithoutMetricName();
            _dropMetricName[metric] = dropped;
        }
        return dropped;
    }
}
