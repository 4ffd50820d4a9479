using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Vigil.Model;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// <c>http_sd_configs</c>, as Prometheus 2.42's <c>discovery/http</c>: GETs the URL every refresh interval and reads a
/// JSON list of target groups. Only a 200 with <c>Content-Type: application/json</c> (optionally
/// <c>; charset=utf-8</c>) counts; anything else is an error and the previous targets stay. Each group gets
/// <c>__meta_url</c> and the source <c>URL:index</c>; groups that disappeared are sent empty.
/// </summary>
public sealed partial class HttpDiscoverer : RefreshingDiscoverer
{
    /// <summary>The label holding the URL.</summary>
    public const string UrlLabel = "__meta_url";

    private readonly HttpSdOptions _options;
    private readonly HttpClient _client;
    private readonly string _url;
    private int _lastLength;

    /// <summary>Creates the discoverer; <paramref name="client"/> carries authentication and TLS settings and is not disposed here.</summary>
    public HttpDiscoverer(HttpSdOptions options, HttpClient client, TimeProvider? timeProvider = null)
        : base(options?.RefreshInterval ?? TimeSpan.Zero, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(client);
        _options = options!;
        _client = client;
        _url = _options.Url.OriginalString;
    }

    /// <inheritdoc/>
    protected override async Task<(IReadOnlyList<TargetGroup> Groups, string? Error)> RefreshAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _options.Url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", "Vigil");
        request.Headers.TryAddWithoutValidation("X-Prometheus-Refresh-Interval-Seconds",
            RefreshInterval.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture,
                $"server returned HTTP status {(int)response.StatusCode} {response.ReasonPhrase ?? response.StatusCode.ToString()}"));
        }
        var contentType = response.Content.Headers.TryGetValues("Content-Type", out var values) ? string.Join(", ", values) : "";
        if (!JsonContentType().IsMatch(contentType.Trim()))
        {
            throw new HttpRequestException($"unsupported content type \"{contentType}\"");
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var parsed = TargetGroupFormat.ParseJson(body);
        var groups = new List<TargetGroup>(Math.Max(parsed.Count, _lastLength));
        for (var i = 0; i < parsed.Count; i++)
        {
            var labels = new LabelsBuilder(parsed[i].Labels).Set(UrlLabel, _url).ToLabels();
            groups.Add(new TargetGroup(Source(i), parsed[i].Targets, labels));
        }
        for (var i = parsed.Count; i < _lastLength; i++)
        {
            groups.Add(TargetGroup.Empty(Source(i)));
        }
        _lastLength = parsed.Count;
        return (groups, null);
    }

    private string Source(int index) => string.Create(CultureInfo.InvariantCulture, $"{_url}:{index}");

    [GeneratedRegex("""^(?i:application/json(;\s*charset=("utf-8"|utf-8))?)$""", RegexOptions.CultureInvariant)]
    private static partial Regex JsonContentType();
}
