using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Vigil.Remote.Send;

/// <summary>What became of one send attempt.</summary>
public enum SendStatus
{
    /// <summary>2xx: the receiver has the samples.</summary>
    Success,

    /// <summary>Worth retrying: a network error, a timeout, 5xx, or 429 with <c>retry_on_http_429</c>.</summary>
    Recoverable,

    /// <summary>Not worth retrying (other 4xx, 3xx): the batch is dropped and counted as failed.</summary>
    Failed,
}

/// <summary>One attempt's outcome.</summary>
/// <param name="Status">Success, retry, or give up.</param>
/// <param name="RetryAfter">For a retry: the receiver's <c>Retry-After</c> (zero: use the backoff; negative: it was in the past).</param>
/// <param name="Error">What went wrong, as Prometheus words it (<c>server returned HTTP status 500 Internal Server Error: ...</c>).</param>
public readonly record struct SendOutcome(SendStatus Status, TimeSpan RetryAfter, string Error)
{
    /// <summary>The success outcome.</summary>
    public static SendOutcome Ok { get; } = new(SendStatus.Success, TimeSpan.Zero, "");
}

/// <summary>
/// Prometheus 2.42's remote-write HTTP client (<c>storage/remote/client.go</c>, <c>Store</c>): POSTs a snappy-compressed
/// <c>WriteRequest</c> with its headers, within <c>remote_timeout</c>, and classifies the answer: 5xx and transport errors
/// are recoverable (with the default backoff), 429 is recoverable with its <c>Retry-After</c> only under
/// <c>retry_on_http_429</c>, anything else non-2xx is not.
/// </summary>
public sealed class RemoteWriteClient : IDisposable
{
    /// <summary>The <c>User-Agent</c> sent (Prometheus sends <c>Prometheus/&lt;version&gt;</c>).</summary>
    public static readonly string UserAgent = "Vigil/" + (typeof(RemoteWriteClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    private const int MaxErrorMessageLength = 256;
    private static readonly MediaTypeHeaderValue s_protobuf = new("application/x-protobuf");

    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly TimeSpan _timeout;
    private readonly IReadOnlyDictionary<string, string> _headers;
    private readonly bool _retryOnRateLimit;
    private readonly TimeProvider _time;

    /// <summary>A client for <paramref name="url"/> over <paramref name="handler"/> (not disposed by the client unless <paramref name="ownsHandler"/>).</summary>
    public RemoteWriteClient(Uri url, TimeSpan timeout, IReadOnlyDictionary<string, string> headers, bool retryOnRateLimit,
        HttpMessageHandler handler, bool ownsHandler, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(handler);
        _url = url;
        _timeout = timeout;
        _headers = headers;
        _retryOnRateLimit = retryOnRateLimit;
        _time = timeProvider ?? TimeProvider.System;
        _http = new HttpClient(handler, ownsHandler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends one compressed request body. Throws only <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<SendOutcome> StoreAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url);
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentEncoding.Add("snappy");
        content.Headers.ContentType = s_protobuf;
        request.Content = content;
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("X-Prometheus-Remote-Write-Version", "0.1.0");
        foreach (var (name, value) in _headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome(SendStatus.Recoverable, TimeSpan.Zero,
                string.Create(CultureInfo.InvariantCulture, $"Post \"{_url}\": context deadline exceeded (remote_timeout {_timeout.TotalSeconds}s)"));
        }
        catch (HttpRequestException e)
        {
            // Transport errors (refused, reset, DNS) are recoverable, as in Prometheus.
            return new SendOutcome(SendStatus.Recoverable, TimeSpan.Zero, $"Post \"{_url}\": {e.Message}");
        }
        using (response)
        {
            var code = (int)response.StatusCode;
            if (code / 100 == 2)
            {
                return SendOutcome.Ok;
            }
            string line;
            try
            {
                line = await FirstLineAsync(response, linked.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                line = "";
            }
            var error = string.Create(CultureInfo.InvariantCulture, $"server returned HTTP status {code} {response.ReasonPhrase}: {line}");
            if (code / 100 == 5)
            {
                return new SendOutcome(SendStatus.Recoverable, TimeSpan.Zero, error);
            }
            if (_retryOnRateLimit && response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() ?? "" : "";
                return new SendOutcome(SendStatus.Recoverable, RetryPolicy.ParseRetryAfter(retryAfter, _time.GetUtcNow()), error);
            }
            return new SendOutcome(SendStatus.Failed, TimeSpan.Zero, error);
        }
    }

    private static async Task<string> FirstLineAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxErrorMessageLength];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                read += n;
            }
            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            return (newline >= 0 ? text[..newline] : text).TrimEnd('\r');
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();
}

/// <summary>Prometheus 2.42's retry timing (<c>sendWriteRequestWithBackoff</c>, <c>retryAfterDuration</c>).</summary>
public static class RetryPolicy
{
    /// <summary>
    /// A <c>Retry-After</c> value: an HTTP date (relative to <paramref name="now"/>, whole seconds, possibly negative) or
    /// a number of seconds; anything else is zero ("use the backoff"), as Go's <c>retryAfterDuration</c> does.
    /// </summary>
    public static TimeSpan ParseRetryAfter(string value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return TimeSpan.FromSeconds(Math.Truncate((date - now).TotalSeconds));
        }
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return TimeSpan.Zero;
    }

    /// <summary>
    /// How long to sleep before the next attempt, and the backoff after it: the receiver's <c>Retry-After</c> when
    /// positive, else the current backoff; the next backoff is twice the sleep, capped at <paramref name="maxBackoff"/>.
    /// </summary>
    public static (TimeSpan Sleep, TimeSpan NextBackoff) Next(TimeSpan backoff, TimeSpan retryAfter, TimeSpan maxBackoff)
    {
        var sleep = retryAfter > TimeSpan.Zero ? retryAfter : backoff;
        var next = sleep * 2;
        return (sleep, next > maxBackoff ? maxBackoff : next);
    }
}
