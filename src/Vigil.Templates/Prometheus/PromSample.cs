using Vigil.Templates.Execution;

namespace Vigil.Templates;

/// <summary>Prometheus's template <c>sample</c> (<c>*sample</c>): <c>.Labels</c> (a map, with <c>__name__</c>) and <c>.Value</c>.</summary>
internal sealed class PromSample(IReadOnlyDictionary<string, string> labels, double value) : IGoValue
{
    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public double Value { get; } = value;

    string IGoValue.GoTypeName => "*template.sample";
}

/// <summary>Prometheus's template <c>queryResult</c> (<c>[]*sample</c>).</summary>
internal sealed class PromQueryResult : List<PromSample>, IGoValue
{
    public PromQueryResult(int capacity)
        : base(capacity)
    {
    }

    string IGoValue.GoTypeName => "template.queryResult";
}
