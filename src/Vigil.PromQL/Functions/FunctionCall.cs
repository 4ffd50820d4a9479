using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

/// <summary>
/// One PromQL function's implementation, shaped like Prometheus 2.42's <c>FunctionCall</c>: called once per output
/// step. <paramref name="vals"/> holds one value per argument: a <see cref="Vector"/> for instant-vector arguments; a
/// <see cref="Vector"/> with one sample holding the step's value for scalar arguments; a <see cref="Matrix"/> with
/// exactly one series (the samples in the step's window, already cut to it) for the range-vector argument; a
/// <see cref="StringResult"/> for string arguments. The implementation appends to <see cref="EvalNodeHelper.Out"/> and
/// returns it. Range-vector functions return at most one sample without labels: the engine attaches the series'
/// labels (minus <c>__name__</c> except for <c>last_over_time</c>). Instant-vector functions set labels themselves
/// (dropping <c>__name__</c> where Prometheus does, via <see cref="EvalNodeHelper.DropMetricName"/>).
/// </summary>
/// <param name="vals">The evaluated arguments for this step.</param>
/// <param name="args">The argument expressions (for string literals and selectors, e.g. <c>absent</c>'s labels).</param>
/// <param name="enh">The step's timestamp, output buffer and caches.</param>
/// <returns>The step's output, normally <see cref="EvalNodeHelper.Out"/>.</returns>
/// <exception cref="QueryException">An execution error (e.g. an invalid regex in <c>label_replace</c>).</exception>
public delegate List<VectorSample> FunctionCall(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh);
