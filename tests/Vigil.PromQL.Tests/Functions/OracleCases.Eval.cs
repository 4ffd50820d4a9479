using System.Globalization;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;
using Vigil.PromQL.Functions;

namespace Vigil.PromQL.Tests.FunctionsTests;

internal static partial class OracleCases
{
    /// <summary>Evaluates a case's expression at its eval time with the function implementations alone.</summary>
    public static List<(Labels Metric, double Value)> Evaluate(Case c)
    {
        var expr = c.Expr;
        var neBool = expr.IndexOf(" != bool ", StringComparison.Ordinal);
        var eq = expr.IndexOf(" == ", StringComparison.Ordinal);
        var inner = neBool >= 0 ? expr[..neBool] : eq >= 0 ? expr[..eq] : expr;
        var pos = 0;
        var ast = ParseTerm(inner, ref pos);
        Assert.True(pos == inner.Length, $"cannot parse '{inner}' past {pos}");
        var result = new List<(Labels, double)>();
        foreach (var s in EvalVector(ast, c))
        {
            if (neBool >= 0)
            {
                // A comparison with bool drops the metric name.
                result.Add((s.Metric.WithoutMetricName(), double.IsNaN(s.Value) ? 1 : 0));
            }
            else if (eq < 0 || !double.IsNaN(s.Value))
            {
                result.Add((s.Metric, s.Value));
            }
        }
        return result;
    }

    private static List<VectorSample> EvalVector(Expr e, Case c)
    {
        var t = c.EvalTimeMs;
        switch (e)
        {
            case NumberLiteral n:
                return [new VectorSample(Labels.Empty, t, n.Value)];
            case VectorSelector vs:
                return SelectInstant(vs, c, keepTimestamps: false);
            case Call call:
                return EvalCall(call, c);
            default:
                throw new InvalidOperationException($"cannot evaluate {e.GetType().Name}");
        }
    }

    private static List<VectorSample> SelectInstant(VectorSelector vs, Case c, bool keepTimestamps)
    {
        var t = c.EvalTimeMs;
        var result = new List<VectorSample>();
        foreach (var s in Matching(vs, c))
        {
            for (var i = s.Samples.Count - 1; i >= 0; i--)
            {
                var p = s.Samples[i];
                if (p.TimestampMs <= t)
                {
                    if (p.TimestampMs >= t - LookbackMs)
                    {
                        result.Add(new VectorSample(s.Metric, keepTimestamps ? p.TimestampMs : t, p.Value));
                    }
                    break;
                }
            }
        }
        return result;
    }

    private static IEnumerable<InputSeries> Matching(VectorSelector vs, Case c)
    {
        foreach (var s in c.Input)
        {
            var all = true;
            foreach (var m in vs.Matchers)
            {
                all &= m.Matches(s.Metric.Get(m.Name));
            }
            if (all)
            {
                yield return s;
            }
        }
    }

    private static List<VectorSample> EvalCall(Call call, Case c)
    {
        Assert.True(FunctionCalls.TryGet(call.Function.Name, out var f), call.Function.Name);
        var t = c.EvalTimeMs;
        var args = call.Args;
        if (call.Function.Name == "timestamp" && args[0] is VectorSelector selector)
        {
            // Prometheus evaluates timestamp(selector) with the samples' own timestamps.
            return Invoke(f, [new Vector(SelectInstant(selector, c, keepTimestamps: true))], args, t);
        }
        var vals = new QueryValue[args.Count];
        var matrixIndex = -1;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case MatrixSelector:
                    matrixIndex = i;
                    break;
                case StringLiteral s:
                    vals[i] = new StringResult(t, s.Value);
                    break;
                default:
                    vals[i] = new Vector(EvalVector(args[i], c));
                    break;
            }
        }
        if (matrixIndex < 0)
        {
            return Invoke(f, vals, args, t);
        }

        var ms = (MatrixSelector)args[matrixIndex];
        var maxt = t - ms.Selector.OffsetMs;
        var mint = maxt - ms.RangeMs;
        var result = new List<VectorSample>();
        foreach (var s in Matching(ms.Selector, c))
        {
            var window = s.Samples.FindAll(p => p.TimestampMs >= mint && p.TimestampMs <= maxt);
            if (window.Count == 0)
            {
                continue;
            }
            vals[matrixIndex] = new Matrix([new Series(s.Metric, window)]);
            var output = Invoke(f, vals, args, t);
            if (output.Count > 0)
            {
                var labels = call.Function.Name == "last_over_time" ? s.Metric : s.Metric.WithoutMetricName();
                result.Add(new VectorSample(labels, t, output[0].Value));
            }
        }
        if (call.Function.Name == "absent_over_time")
        {
            // The engine's part of absent_over_time: 1 when no series had a sample in the window.
            return result.Count > 0 ? [] : [new VectorSample(FunctionCalls.LabelsForAbsent(args[0]), t, 1)];
        }
        return result;
    }

    private static List<VectorSample> Invoke(FunctionCall f, QueryValue[] vals, IReadOnlyList<Expr> args, long t)
    {
        var enh = new EvalNodeHelper { Ts = t, Out = [] };
        return [.. f(vals, args, enh)];
    }

    // term := number | "string" | name(args) | selector [range] [offset d]
    private static Expr ParseTerm(string s, ref int pos)
    {
        SkipSpaces(s, ref pos);
        var start = pos;
        if (s[pos] == '"')
        {
            pos++;
            while (s[pos] != '"')
            {
                pos += s[pos] == '\\' ? 2 : 1;
            }
            pos++;
            return new StringLiteral(Unescape(s[(start + 1)..(pos - 1)]));
        }
        if (char.IsAsciiDigit(s[pos]) || s[pos] is '-' or '+' or '.' || s.AsSpan(pos).StartsWith("Inf") || s.AsSpan(pos).StartsWith("NaN"))
        {
            pos++;
            while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] is '.' || (s[pos] is '+' or '-' && s[pos - 1] is 'e' or 'E')))
            {
                pos++;
            }
            return new NumberLiteral(ParseNumber(s[start..pos]));
        }
        while (pos < s.Length && (char.IsAsciiLetterOrDigit(s[pos]) || s[pos] is '_' or ':'))
        {
            pos++;
        }
        var name = s[start..pos];
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            var args = new List<Expr>();
            SkipSpaces(s, ref pos);
            while (s[pos] != ')')
            {
                args.Add(ParseTerm(s, ref pos));
                SkipSpaces(s, ref pos);
                if (s[pos] == ',')
                {
                    pos++;
                }
            }
            pos++;
            Assert.True(Ast.Functions.TryGet(name, out var signature), name);
            return new Call(signature, args);
        }
        if (pos < s.Length && s[pos] == '{')
        {
            var inQuote = false;
            for (; s[pos] != '}' || inQuote; pos++)
            {
                if (s[pos] == '\\')
                {
                    pos++;
                }
                else if (s[pos] == '"')
                {
                    inQuote = !inQuote;
                }
            }
            pos++;
        }
        var vs = new VectorSelector(name.Length > 0 ? name : null, ParseMatchers(s[start..pos]));
        if (pos < s.Length && s[pos] == '[')
        {
            var close = s.IndexOf(']', pos);
            var range = Duration(s[(pos + 1)..close]);
            pos = close + 1;
            if (s.AsSpan(pos).StartsWith(" offset "))
            {
                pos += " offset ".Length;
                var end = pos;
                while (end < s.Length && char.IsAsciiLetterOrDigit(s[end]))
                {
                    end++;
                }
                vs.OriginalOffsetMs = Duration(s[pos..end]);
                vs.OffsetMs = vs.OriginalOffsetMs;
                pos = end;
            }
            return new MatrixSelector(vs, range);
        }
        return vs;
    }

    private static void SkipSpaces(string s, ref int pos)
    {
        while (pos < s.Length && s[pos] == ' ')
        {
            pos++;
        }
    }

    /// <summary>A result as promtool prints it: one line per sample, sorted.</summary>
    public static string Format(IEnumerable<(Labels Metric, double Value)> samples)
    {
        var lines = new List<string>();
        foreach (var (metric, value) in samples)
        {
            // promtool compares -0 and 0 as equal.
            lines.Add(metric + " " + (value == 0 ? "0" : value.ToString("R", CultureInfo.InvariantCulture)));
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }
}
