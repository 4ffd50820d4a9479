using Microsoft.AspNetCore.Http;
using Vigil.Model;
using Vigil.PromQL.Parser;
using Vigil.Storage;

namespace Vigil.Server.Api;

/// <summary><c>series</c>, <c>labels</c>, <c>label/{name}/values</c>.</summary>
public sealed partial class PrometheusApi
{
    private static readonly Comparison<string> s_utf8Order = LabelText.CompareUtf8;

    private async Task SeriesAsync(HttpContext context, ApiForm form)
    {
        var selectors = form.Values("match[]");
        if (selectors.Count == 0)
        {
            throw new ApiException(ApiErrorType.BadData, "no match[] parameter provided");
        }
        var start = ApiParameters.TimeParam(form, "start", ApiTime.Min);
        var end = ApiParameters.TimeParam(form, "end", ApiTime.Max);
        IReadOnlyList<IReadOnlyList<LabelMatcher>> matcherSets;
        try
        {
            matcherSets = ParseMatcherSets(selectors);
        }
        catch (ApiException e)
        {
            throw ApiException.InvalidParameter("match[]", e.Message);
        }

        var series = new List<Labels>();
        using (var querier = _storage.Querier(start.StorageMs, end.StorageMs))
        {
            foreach (var matchers in matcherSets)
            {
                var set = querier.Select(sorted: true, matchers);
                while (set.Next())
                {
                    series.Add(set.At().Labels);
                }
                ThrowIfFailed(set.Error);
            }
        }
        if (matcherSets.Count > 1)
        {
            // Several selectors: merged and de-duplicated, in label order (Prometheus's merge series set).
            series.Sort(static (a, b) => a.CompareTo(b));
            var unique = 0;
            for (var i = 0; i < series.Count; i++)
            {
                if (unique == 0 || !series[unique - 1].Equals(series[i]))
                {
                    series[unique++] = series[i];
                }
            }
            series.RemoveRange(unique, series.Count - unique);
        }
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartArray();
            foreach (var labels in series)
            {
                w.WriteStartObject();
                QueryResultWriter.WriteLabels(w, labels);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private async Task LabelNamesAsync(HttpContext context, ApiForm form)
    {
        var start = ApiParameters.TimeParam(form, "start", ApiTime.Min);
        var end = ApiParameters.TimeParam(form, "end", ApiTime.Max);
        var matcherSets = ParseMatcherSets(form.Values("match[]"));
        List<string> names;
        using (var querier = _storage.Querier(start.StorageMs, end.StorageMs))
        {
            names = Union(matcherSets, m => querier.LabelNames(m));
        }
        await ApiResponse.WriteSuccessAsync(context.Response, w => ApiResponse.WriteStrings(w, names)).ConfigureAwait(false);
    }

    private async Task LabelValuesAsync(HttpContext context, ApiForm form)
    {
        var name = context.Request.RouteValues["name"] as string ?? "";
        if (!LabelText.IsValidLabelName(name))
        {
            throw new ApiException(ApiErrorType.BadData, $"invalid label name: {LabelText.Quote(name)}");
        }
        var start = ApiParameters.TimeParam(form, "start", ApiTime.Min);
        var end = ApiParameters.TimeParam(form, "end", ApiTime.Max);
        var matcherSets = ParseMatcherSets(form.Values("match[]"));
        List<string> values;
        using (var querier = _storage.Querier(start.StorageMs, end.StorageMs))
        {
            values = Union(matcherSets, m => querier.LabelValues(name, m));
        }
        await ApiResponse.WriteSuccessAsync(context.Response, w => ApiResponse.WriteStrings(w, values)).ConfigureAwait(false);
    }

    /// <summary>The union over the matcher sets (or the one unfiltered call when there are none), in UTF-8 byte order.</summary>
    private static List<string> Union(IReadOnlyList<IReadOnlyList<LabelMatcher>> matcherSets, Func<IReadOnlyList<LabelMatcher>, IReadOnlyList<string>> get)
    {
        List<string> result;
        if (matcherSets.Count == 0)
        {
            result = [.. get([])];
        }
        else
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var matchers in matcherSets)
            {
                set.UnionWith(get(matchers));
            }
            result = [.. set];
        }
        result.Sort(s_utf8Order);
        return result;
    }

    /// <summary>
    /// Prometheus's <c>parseMatchersParam</c>: every selector parsed, and each must hold a matcher that does not
    /// match the empty string. Errors are <c>bad_data</c> with the parser's message.
    /// </summary>
    private static List<IReadOnlyList<LabelMatcher>> ParseMatcherSets(IReadOnlyList<string> selectors)
    {
        var sets = new List<IReadOnlyList<LabelMatcher>>(selectors.Count);
        foreach (var s in selectors)
        {
            sets.Add(ParseSelector(s));
        }
        foreach (var set in sets)
        {
            if (!set.Any(m => !m.MatchesEmpty))
            {
                throw new ApiException(ApiErrorType.BadData, "match[] must contain at least one non-empty matcher");
            }
        }
        return sets;
    }

    private static IReadOnlyList<LabelMatcher> ParseSelector(string selector)
    {
        try
        {
            return PromQLParser.ParseMetricSelector(selector);
        }
        catch (ParseException e)
        {
            throw new ApiException(ApiErrorType.BadData, e.Message, e);
        }
    }

    private static void ThrowIfFailed(Exception? error)
    {
        if (error is not null)
        {
            throw new ApiException(ApiErrorType.Internal, error.Message, error);
        }
    }
}
