namespace Vigil.PromQL.Ast;

/// <summary>A half-open range of character offsets into the query text, as Prometheus's <c>posrange.PositionRange</c>.</summary>
/// <param name="Start">The offset of the first character.</param>
/// <param name="End">The offset just past the last character.</param>
public readonly record struct PositionRange(int Start, int End);
