using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vigil.Model;

namespace Vigil.Server.Api;

/// <summary>
/// <c>admin/tsdb/delete_series</c> and <c>admin/tsdb/snapshot</c>, only with <c>--web.enable-admin-api</c>
/// (otherwise Prometheus's <c>unavailable</c> "admin APIs disabled", HTTP 500).
/// </summary>
public sealed partial class PrometheusApi
{
    private void RequireAdmin()
    {
        if (!_options.EnableAdminApi)
        {
            throw new ApiException(ApiErrorType.Unavailable, "admin APIs disabled");
        }
    }

    private Task DeleteSeriesAsync(HttpContext context, ApiForm form)
    {
        RequireAdmin();
        var selectors = form.Values("match[]");
        if (selectors.Count == 0)
        {
            throw new ApiException(ApiErrorType.BadData, "no match[] parameter provided");
        }
        var start = ApiParameters.TimeParam(form, "start", ApiTime.Min);
        var end = ApiParameters.TimeParam(form, "end", ApiTime.Max);
        // Like Prometheus, each selector is parsed and applied in turn.
        foreach (var selector in selectors)
        {
            IReadOnlyList<LabelMatcher> matchers;
            try
            {
                matchers = ParseSelector(selector);
            }
            catch (ApiException e)
            {
                throw ApiException.InvalidParameter("match[]", e.Message);
            }
            if (end.StorageMs < start.StorageMs)
            {
                continue; // an empty interval deletes nothing
            }
            if (matchers.All(m => m.MatchesEmpty))
            {
                // Prometheus starts such a selection from all series ({a=""} deletes everything without "a");
                // the TSDB wants one matcher that needs a value, and every series has a name.
                matchers = [.. matchers, LabelMatcher.Create(LabelMatchType.Regex, Label.MetricName, ".+")];
            }
            try
            {
                var deleted = _db.Delete(start.StorageMs, end.StorageMs, matchers);
                _log.LogInformation("Deleted samples of {Series} series for {Selector} in [{Start}, {End}]", deleted, selector, start.StorageMs, end.StorageMs);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                throw new ApiException(ApiErrorType.Internal, e.Message, e);
            }
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task SnapshotAsync(HttpContext context, ApiForm form)
    {
        RequireAdmin();
        var skipHead = false;
        var skipHeadText = form.Value("skip_head");
        if (skipHeadText.Length > 0 && !GoStrconv.TryParseBool(skipHeadText, out skipHead))
        {
            throw ApiException.InvalidParameter("skip_head", $"unable to parse boolean: strconv.ParseBool: parsing {LabelText.Quote(skipHeadText)}: invalid syntax");
        }
        var directory = Path.Combine(_db.Directory, "snapshots");
        var name = string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow().UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Random.Shared.NextInt64():x16}");
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ApiException(ApiErrorType.Internal, $"create snapshots directory: {e.Message}", e);
        }
        try
        {
            _db.Snapshot(Path.Combine(directory, name), withHead: !skipHead);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            throw new ApiException(ApiErrorType.Internal, $"create snapshot: {e.Message}", e);
        }
        await ApiResponse.WriteSuccessAsync(context.Response, w =>
        {
            w.WriteStartObject();
            w.WriteString("name"u8, name);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
