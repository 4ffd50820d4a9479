using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Engine;

namespace Vigil.PromQL.Functions;

// label_replace and label_join. Both keep the metric name; results are cached per input label set for the node.
public static partial class FunctionCalls
{
    private const string LabelReplaceRegexKey = "label_replace.regex";
    private const string LabelRewriteCacheKey = "label_rewrite.cache";

    private static List<VectorSample> LabelReplace(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var vector = VectorArg(vals, 0);
        var dst = StringArg(args, 1);
        var repl = StringArg(args, 2);
        var src = StringArg(args, 3);
        var regexStr = StringArg(args, 4);

        if (!enh.Cache.TryGetValue(LabelReplaceRegexKey, out var cached))
        {
            if (!RelabelRegex.TryCreate(regexStr, out var compiled, out _))
            {
                throw new QueryException(QueryErrorType.Execution, "invalid regular expression in label_replace(): " + regexStr);
            }
            if (!LabelText.IsValidLabelName(dst))
            {
                throw new QueryException(QueryErrorType.Execution, "invalid destination label name in label_replace(): " + dst);
            }
            cached = compiled;
            enh.Cache[LabelReplaceRegexKey] = compiled;
        }
        var regex = (RelabelRegex)cached;
        var results = RewriteCache(enh);
        for (var i = 0; i < vector.Count; i++)
        {
            var el = vector[i];
            if (!results.TryGetValue(el.Metric, out var outMetric))
            {
                var match = regex.Match(el.Metric.Get(src));
                if (match is null)
                {
                    // No match: no replacement takes place.
                    outMetric = el.Metric;
                }
                else
                {
                    var res = regex.Expand(repl, match);
                    // An empty result removes the destination label.
                    outMetric = new LabelsBuilder(el.Metric).Remove(dst).Set(dst, res).ToLabels();
                }
                results[el.Metric] = outMetric;
            }
            enh.Out.Add(new VectorSample(outMetric, enh.Ts, el.Value));
        }
        return enh.Out;
    }

    private static List<VectorSample> LabelJoin(QueryValue[] vals, IReadOnlyList<Expr> args, EvalNodeHelper enh)
    {
        var vector = VectorArg(vals, 0);
        var dst = StringArg(args, 1);
        var sep = StringArg(args, 2);
        var srcLabels = new string[args.Count - 3];
        for (var i = 3; i < args.Count; i++)
        {
            var src = StringArg(args, i);
            if (!LabelText.IsValidLabelName(src))
            {
                throw new QueryException(QueryErrorType.Execution, "invalid source label name in label_join(): " + src);
            }
            srcLabels[i - 3] = src;
        }
        if (!LabelText.IsValidLabelName(dst))
        {
            throw new QueryException(QueryErrorType.Execution, "invalid destination label name in label_join(): " + dst);
        }
        var results = RewriteCache(enh);
        var srcVals = new string[srcLabels.Length];
        for (var i = 0; i < vector.Count; i++)
        {
            var el = vector[i];
            if (!results.TryGetValue(el.Metric, out var outMetric))
            {
                for (var j = 0; j < srcLabels.Length; j++)
                {
                    srcVals[j] = el.Metric.Get(srcLabels[j]);
                }
                var joined = string.Join(sep, srcVals);
                outMetric = new LabelsBuilder(el.Metric).Set(dst, joined).ToLabels();
                results[el.Metric] = outMetric;
            }
            enh.Out.Add(new VectorSample(outMetric, enh.Ts, el.Value));
        }
        return enh.Out;
    }

    private static Dictionary<Labels, Labels> RewriteCache(EvalNodeHelper enh)
    {
        if (!enh.Cache.TryGetValue(LabelRewriteCacheKey, out var cache))
        {
            cache = new Dictionary<Labels, Labels>();
            enh.Cache[LabelRewriteCacheKey] = cache;
        }
        return (Dictionary<Labels, Labels>)cache;
    }
}
