using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Vigil.Compat.Tests.Differential;

/// <summary>
/// Differential testing of the query API: every query of <see cref="DifferentialQueries"/> goes to a real
/// Prometheus 2.42 and to Vigil holding the same generated data, and the answers must mean the same
/// (<see cref="QueryAnswerComparer"/>). A failure lists every query that differs with both answers.
/// </summary>
[Collection(DifferentialServersCollection.Name)]
public sealed class DifferentialQueryTests(DifferentialServersFixture servers, ITestOutputHelper output)
{
    private const int BodyChars = 1200;

    [Fact]
    public async Task Both_servers_hold_every_generated_series()
    {
        // Guards the oracle: if the backfill lost data, agreeing on nothing would prove nothing.
        var query = new DifferentialQuery("count(last_over_time({__name__=~\".+\"}[7h]))", true, servers.EndSeconds, 0, 0, 0, false, servers.EndSeconds);
        foreach (var (who, client) in new[] { ("Prometheus", servers.PrometheusClient), ("Vigil", servers.VigilClient) })
        {
            var answer = await SendAsync(client, query);
            Assert.Contains($"\"{servers.Data.Series.ToString(CultureInfo.InvariantCulture)}\"", answer.Body, StringComparison.Ordinal);
            output.WriteLine($"{who}: {answer.Body}");
        }
    }

    [Fact]
    public async Task Vigil_answers_every_query_like_Prometheus()
    {
        output.WriteLine(servers.SetupLog);
        var queries = DifferentialQueries.For(servers.EndSeconds);
        Assert.True(queries.Count >= 200, $"only {queries.Count} queries");
        var mismatches = new List<string>();
        var prometheusTime = TimeSpan.Zero;
        var vigilTime = TimeSpan.Zero;
        var nonEmpty = 0;
        var errors = 0;
        foreach (var query in queries)
        {
            var expected = await SendAsync(servers.PrometheusClient, query);
            var actual = await SendAsync(servers.VigilClient, query);
            prometheusTime += expected.Elapsed;
            vigilTime += actual.Elapsed;
            nonEmpty += HasData(expected.Body) ? 1 : 0;
            errors += expected.Body.StartsWith("{\"status\":\"error\"", StringComparison.Ordinal) ? 1 : 0;
            string? difference;
            try
            {
                difference = QueryAnswerComparer.Difference(expected, actual, query.Ordered);
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException)
            {
                difference = $"answer has an unexpected shape: {e.Message}";
            }
            if (difference is not null)
            {
                mismatches.Add($"""
                    #{mismatches.Count + 1} {query}
                      {difference.Replace("\n", "\n  ", StringComparison.Ordinal)}
                      GET {query.Path}
                      Prometheus: HTTP {(int)expected.Status} {Truncate(expected.Body)}
                      Vigil:      HTTP {(int)actual.Status} {Truncate(actual.Body)}
                    """);
            }
        }
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{queries.Count} queries ({nonEmpty} with data and {errors} refused by Prometheus), {mismatches.Count} differ; data ends at {servers.EndSeconds} ({servers.Data.Series} series, {servers.Data.Samples} samples); time in Prometheus {prometheusTime.TotalSeconds:F1} s, in Vigil {vigilTime.TotalSeconds:F1} s");
        output.WriteLine(summary);
        var report = new StringBuilder(summary).AppendLine();
        foreach (var m in mismatches)
        {
            report.AppendLine().AppendLine(m);
        }
        // The whole report also goes to a file: a failure message this long is hard to read in a console.
        var reportPath = Path.Combine(Path.GetTempPath(), "vigil-differential-report.txt");
        await File.WriteAllTextAsync(reportPath, report.ToString());
        output.WriteLine($"report: {reportPath}");
        Assert.True(nonEmpty >= queries.Count * 3 / 4, $"only {nonEmpty} of {queries.Count} answers of Prometheus hold data: the corpus no longer fits the generated data");
        Assert.True(mismatches.Count == 0, report.ToString());
    }

    private static async Task<QueryAnswer> SendAsync(HttpClient client, DifferentialQuery query)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(query.Path);
        var body = await response.Content.ReadAsStringAsync();
        return new QueryAnswer(response.StatusCode, body, clock.Elapsed);
    }

    private static bool HasData(string body)
        => body.StartsWith("{\"status\":\"success\"", StringComparison.Ordinal) && !body.Contains("\"result\":[]", StringComparison.Ordinal);

    private static string Truncate(string body) => body.Length <= BodyChars ? body : string.Concat(body.AsSpan(0, BodyChars), $"… ({body.Length} chars)");
}
