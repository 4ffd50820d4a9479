using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Vigil.Model.Exposition;

namespace Vigil.Scrape.Scraping;

/// <summary>What one HTTP scrape produced: the body's content type, or why it failed.</summary>
/// <param name="ContentType">The response's <c>Content-Type</c> (may be null) when the body was read.</param>
/// <param name="Error">Why the scrape failed, in Prometheus's words; null on success.</param>
internal readonly record struct ScrapeResponse(string? ContentType, string? Error);

/// <summary>
/// Fetches one target's body into a <see cref="ScrapeBuffer"/>, as Prometheus's <c>targetScraper</c>: its exact
/// <c>Accept</c> header, <c>Accept-Encoding: gzip</c> (decompressed by the handler),
/// <c>X-Prometheus-Scrape-Timeout-Seconds</c>, a timeout on the whole exchange, and the body size limit
/// applied to the uncompressed body. Failures come back as values with Prometheus's wording.
/// </summary>
internal sealed class TargetScraper
{
    private readonly HttpClient _client;
    private readonly ScrapeTarget _target;
    private readonly TimeProvider _time;
    private readonly ScrapeStats _stats;
    private readonly string _userAgent;
    private readonly string _timeoutSeconds;

    public TargetScraper(HttpClient client, ScrapeTarget target, TimeProvider time, ScrapeStats stats, string userAgent)
    {
        _client = client;
        _target = target;
        _time = time;
        _stats = stats;
        _userAgent = userAgent;
        _timeoutSeconds = target.Timeout.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Scrapes once into <paramref name="buffer"/>. Never throws for target trouble; only for <paramref name="stopping"/>.</summary>
    public async Task<ScrapeResponse> ScrapeAsync(ScrapeBuffer buffer, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(_target.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        var token = linked.Token;
        var headersRead = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _target.Url);
            request.Headers.TryAddWithoutValidation("Accept", ExpositionContentType.ScrapeAccept);
            request.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            request.Headers.TryAddWithoutValidation("X-Prometheus-Scrape-Timeout-Seconds", _timeoutSeconds);
            _target.ConfigureRequest?.Invoke(request);

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            headersRead = true;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Failed(string.Create(CultureInfo.InvariantCulture, $"server returned HTTP status {(int)response.StatusCode} {response.ReasonPhrase}"));
            }
            var limit = _target.BodySizeLimit > 0 ? _target.BodySizeLimit : long.MaxValue;
            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    var read = await stream.ReadAsync(buffer.GetMemory(16 * 1024), token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }
                    buffer.Advance(read);
                    if (buffer.Length >= limit)
                    {
                        // As Prometheus: reading limit bytes is already too many (n >= limit).
                        _stats.AddExceededBodySizeLimit();
                        return Failed("body size limit exceeded");
                    }
                }
            }
            return new ScrapeResponse(response.Content.Headers.ContentType?.ToString(), null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            // Go's wording: the client error while waiting for headers, the bare context error while reading the body.
            return Failed(headersRead ? "context deadline exceeded" : GetError("context deadline exceeded"));
        }
        catch (HttpRequestException e) when (!stopping.IsCancellationRequested)
        {
            return Failed(headersRead ? Describe(e) : GetError(Describe(e)));
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !stopping.IsCancellationRequested)
        {
            return Failed(Describe(e));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else (a request customiser that threw, an unusable URL) is this target's problem only.
            return Failed(GetError(e.Message));
        }
    }

    private static ScrapeResponse Failed(string error) => new(null, error);

    private string GetError(string message) => $"Get \"{_target.Url.OriginalString}\": {message}";

    private string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                var host = _target.Url.IsDefaultPort && _target.Url.OriginalString.IndexOf(':', _target.Url.Scheme.Length + 3) < 0
                    ? $"{_target.Url.Host}:{_target.Url.Port}"
                    : _target.Url.Authority;
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => $"dial tcp {host}: connect: connection refused",
                    SocketError.TimedOut => $"dial tcp {host}: i/o timeout",
                    SocketError.HostNotFound => $"dial tcp: lookup {_target.Url.Host}: no such host",
                    SocketError.ConnectionReset => "read: connection reset by peer",
                    _ => $"dial tcp {host}: {socket.Message}",
                };
            }
            if (inner is InvalidDataException)
            {
                return "gzip: " + inner.Message;
            }
        }
        return e.InnerException is { } cause ? e.Message + ": " + cause.Message : e.Message;
    }
}
