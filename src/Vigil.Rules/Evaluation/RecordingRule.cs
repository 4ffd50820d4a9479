using System.Globalization;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.Rules.Evaluation;

/// <summary>
/// A recording rule (<c>rules.RecordingRule</c>): the expression's result renamed to <see cref="Rule.Name"/>, with the
/// rule's labels set over the result's.
/// </summary>
public sealed class RecordingRule : Rule
{
    /// <summary>Creates a recording rule.</summary>
    public RecordingRule(string name, Expr expr, Labels labels)
        : base(name, expr, labels)
    {
    }

    /// <inheritdoc />
    public override string Identity => "record\0" + Name + "\0" + Query + "\0" + Labels;

    /// <inheritdoc />
    public override List<VectorSample> Eval(RuleEvaluationContext context, DateTimeOffset ts, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var vector = context.Query(Expr, ts.ToUnixTimeMilliseconds(), cancellationToken);
        var builder = new LabelsBuilder();
        var result = new List<VectorSample>(vector.Count);
        var seen = new HashSet<Labels>(vector.Count);
        foreach (var sample in vector)
        {
            builder.Reset(sample.Metric).Set(Label.MetricName, Name);
            foreach (var l in Labels)
            {
                builder.Set(l.Name, l.Value);
            }
            var metric = builder.ToLabels();
            if (!seen.Add(metric))
            {
                throw new RuleEvaluationException("vector contains metrics with the same labelset after applying rule labels");
            }
            result.Add(new VectorSample(metric, sample.TimestampMs, sample.Value));
        }
        if (limit > 0 && result.Count > limit)
        {
            throw new RuleEvaluationException(string.Create(CultureInfo.InvariantCulture, $"exceeded limit of {limit} with {result.Count} series"));
        }
        return result;
    }
}
