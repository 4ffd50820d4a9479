using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;
using Vigil.Storage;
using Vigil.Templates;

namespace Vigil.Rules.Evaluation;

/// <summary>
/// What rules evaluate against: the engine and storage (Prometheus's <c>EngineQueryFunc</c>), and what alert templates
/// see as <c>$externalLabels</c> and <c>$externalURL</c>.
/// </summary>
public sealed class RuleEvaluationContext
{
    private readonly Dictionary<string, string> _externalLabelsMap;

    /// <summary>Creates a context.</summary>
    public RuleEvaluationContext(QueryEngine engine, IQueryableStorage queryable, Labels? externalLabels = null, string externalUrl = "", bool nilUrlInTemplateFunctions = false)
    {
        FunctionsUrl = nilUrlInTemplateFunctions ? null : externalUrl ?? "";
        Engine = engine ?? throw new ArgumentNullException(nameof(engine));
        Queryable = queryable ?? throw new ArgumentNullException(nameof(queryable));
        ExternalLabels = externalLabels ?? Labels.Empty;
        ExternalUrl = externalUrl ?? "";
        _externalLabelsMap = Alerts.AlertTemplates.ToMap(ExternalLabels);
        TemplateQuery = (query, timestampMs) =>
        {
            var samples = Query(QueryEngine.Parse(query), timestampMs, CancellationToken.None);
            var result = new List<TemplateQuerySample>(samples.Count);
            foreach (var s in samples)
            {
                result.Add(new TemplateQuerySample(s.Metric, s.Value));
            }
            return result;
        };
    }

    /// <summary>The engine.</summary>
    public QueryEngine Engine { get; }

    /// <summary>The storage queried.</summary>
    public IQueryableStorage Queryable { get; }

    /// <summary>The external labels (for <c>$externalLabels</c>).</summary>
    public Labels ExternalLabels { get; }

    /// <summary>The external URL (for <c>$externalURL</c> and generator URLs).</summary>
    public string ExternalUrl { get; }

    /// <summary>What the <c>externalURL</c> and <c>pathPrefix</c> template functions see; null is Go's nil URL (promtool's unit tests).</summary>
    public string? FunctionsUrl { get; }

    /// <summary>The external labels as the map templates see.</summary>
    public IReadOnlyDictionary<string, string> ExternalLabelsMap => _externalLabelsMap;

    /// <summary>The <c>query</c> template function's backend.</summary>
    public TemplateQueryFunc TemplateQuery { get; }

    /// <summary>
    /// Prometheus's <c>EngineQueryFunc</c>: an instant query; a scalar becomes one sample without labels; any other
    /// type is an error.
    /// </summary>
    public List<VectorSample> Query(Expr expr, long timestampMs, CancellationToken cancellationToken)
    {
        var value = Engine.Evaluate(Queryable, expr, timestampMs, cancellationToken);
        switch (value)
        {
            case Vector v:
                return v.Samples;
            case ScalarResult s:
                return [new VectorSample(Labels.Empty, s.TimestampMs, s.Value)];
            default:
                throw new RuleEvaluationException("rule result is not a vector or scalar");
        }
    }
}
