using System.Net;
using Vigil.Remote.Prompb;

namespace Vigil.Remote.Tests.Send;

/// <summary>An in-process remote-write receiver behind an <see cref="HttpMessageHandler"/>: scripted answers, recorded requests.</summary>
internal sealed class FakeReceiver : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly Func<int, WriteRequest, Task<HttpResponseMessage>> _answer;
    private int _attempts;

    public FakeReceiver(Func<int, WriteRequest, Task<HttpResponseMessage>>? answer = null)
        => _answer = answer ?? ((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent)));

    public static Task<HttpResponseMessage> Status(HttpStatusCode code, string body = "", string? retryAfter = null)
    {
        var response = new HttpResponseMessage(code) { Content = new StringContent(body) };
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }
        return Task.FromResult(response);
    }

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Requests answered 2xx, decoded.</summary>
    public List<WriteRequest> Accepted { get; } = [];

    public int Attempts => Volatile.Read(ref _attempts);

    public List<(string Labels, long T, double V)> AcceptedSamples()
    {
        lock (_lock)
        {
            return [.. Accepted.SelectMany(r => r.Timeseries).SelectMany(ts => ts.Samples.Select(s => (Text(ts), s.Timestamp, s.Value)))];
        }
    }

    public static string Text(TimeSeries ts) => string.Join(",", ts.Labels.Select(l => l.Name + "=" + l.Value));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var decoded = WriteRequest.Parser.ParseFrom(IronSnappy.Snappy.Decode(body));
        var attempt = Interlocked.Increment(ref _attempts) - 1;
        lock (_lock)
        {
            Requests.Add(request);
        }
        var response = await _answer(attempt, decoded).WaitAsync(cancellationToken);
        if ((int)response.StatusCode / 100 == 2)
        {
            lock (_lock)
            {
                Accepted.Add(decoded);
            }
        }
        return response;
    }
}
