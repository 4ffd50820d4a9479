using Vigil.Model;
using Vigil.PromQL.Ast;

namespace Vigil.PromQL.Engine;

/// <summary>The labels <c>absent()</c> and <c>absent_over_time()</c> give their output (Prometheus's <c>createLabelsForAbsentFunction</c>).</summary>
public static class AbsentLabels
{
    /// <summary>
    /// The equality matchers' labels of the selector in <paramref name="arg"/> (none for other expressions). A label
    /// matched more than once, or by a non-equality matcher, is left out, as Prometheus does for compatibility.
    /// </summary>
    public static Labels For(Expr arg)
    {
        IReadOnlyList<LabelMatcher> matchers;
        switch (arg)
        {
            case VectorSelector vs:
                matchers = vs.Matchers;
                break;
            case MatrixSelector ms:
                matchers = ms.Selector.Matchers;
                break;
            default:
                return Labels.Empty;
        }
        var builder = new LabelsBuilder();
        var has = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in matchers)
        {
            if (m.Name == Label.MetricName)
            {
                continue;
            }
            if (m.Type == LabelMatchType.Equal && has.Add(m.Name))
            {
                builder.Set(m.Name, m.Value);
            }
            else
            {
                builder.Remove(m.Name);
            }
        }
        return builder.ToLabels();
    }
}
