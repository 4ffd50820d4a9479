using Vigil.Model;

namespace Vigil.Templates;

/// <summary>
/// Runs the PromQL <paramref name="query"/> at <paramref name="timestampMs"/> for a template's <c>query</c> function
/// (Prometheus's <c>template.QueryFunc</c>). It may throw; the exception's message becomes the template error
/// (<c>error calling query: MESSAGE</c>).
/// </summary>
public delegate IReadOnlyList<TemplateQuerySample> TemplateQueryFunc(string query, long timestampMs);

/// <summary>One element of a query result as templates see it (<c>.Labels</c>, <c>.Value</c>).</summary>
/// <param name="Labels">The series' labels, including <c>__name__</c> when it has one.</param>
/// <param name="Value">The sample value.</param>
public sealed record TemplateQuerySample(Labels Labels, double Value);
