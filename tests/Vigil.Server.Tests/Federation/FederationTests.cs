using System.Buffers;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Model;
using Vigil.Server.Federation;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Hosting;
using Vigil.Storage;
using Vigil.Tsdb;

namespace Vigil.Server.Tests.Federation;

public sealed class FederationTests
{
    private const long Now = 1_767_225_600_000;
    private const long Lookback = 300_000;

    private static void Add(IAppendable storage, Labels labels, params (long T, double V)[] samples)
    {
        var appender = storage.Appender();
        var reference = default(SeriesRef);
        foreach (var (t, v) in samples)
        {
            Assert.Equal(AppendStatus.Ok, appender.Append(ref reference, labels, t, v));
        }
        appender.Commit();
    }

    private static MemoryStorage Data()
    {
        var storage = new MemoryStorage();
        Add(storage, Labels.Of("__name__", "up", "job", "node", "instance", "a:9100"), (Now - 400_000, 0), (Now - 60_000, 1));
        Add(storage, Labels.Of("__name__", "up", "job", "node", "instance", "b:9100"), (Now - 400_000, 1));
        Add(storage, Labels.Of("__name__", "http_requests_total", "job", "api", "code", "200"), (Now - 30_000, 10), (Now - 15_000, 12.5));
        Add(storage, Labels.Of("__name__", "http_requests_total", "job", "api", "code", "500", "path", "a\"b\\c\nd"), (Now - 10_000, double.PositiveInfinity));
        Add(storage, Labels.Of("__name__", "gone", "job", "x"), (Now - 60_000, 1), (Now - 30_000, StaleMarker.Value));
        Add(storage, Labels.Of("__name__", "later", "job", "x"), (Now + 10_000, 1));
        Add(storage, Labels.Of("__name__", "neg", "job", "x"), (Now, -0.0));
        Add(storage, Labels.Of("__name__", "nan", "job", "x"), (Now - Lookback, double.NaN));
        Add(storage, Labels.Of("__name__", "tiny", "env", "own"), (Now - 1, 1e-7));
        return storage;
    }

    private static string Federate(IQueryableStorage storage, Labels external, params string[] selectors)
    {
        var sets = selectors.Select(PromQL.Parser.PromQLParser.ParseMetricSelector).ToList();
        var output = new ArrayBufferWriter<byte>();
        var writer = new FederationTextWriter(output, external);
        foreach (var sample in Federator.Collect(storage, sets, Now, Lookback))
        {
            writer.Write(sample);
        }
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Latest_sample_in_the_lookback_window_per_series_grouped_by_name_with_external_labels()
    {
        var text = Federate(Data(), Labels.Of("env", "prod"), "{__name__=~\".+\"}");
        Assert.Equal($"""
            # TYPE http_requests_total untyped
            http_requests_total{'{'}code="200",job="api",env="prod",instance=""{'}'} 12.5 {Now - 15_000}
            http_requests_total{'{'}code="500",job="api",path="a\"b\\c\nd",env="prod",instance=""{'}'} +Inf {Now - 10_000}
            # TYPE nan untyped
            nan{'{'}job="x",env="prod",instance=""{'}'} NaN {Now - Lookback}
            # TYPE neg untyped
            neg{'{'}job="x",env="prod",instance=""{'}'} 0 {Now}
            # TYPE tiny untyped
            tiny{'{'}env="own",instance=""{'}'} 1e-07 {Now - 1}
            # TYPE up untyped
            up{'{'}instance="a:9100",job="node",env="prod"{'}'} 1 {Now - 60_000}

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void Overlapping_match_sets_yield_each_series_once_and_a_configured_instance_label_is_used()
    {
        var text = Federate(Data(), Labels.Of("instance", "fed-1"), "up", "{job=\"node\"}", "neg");
        Assert.Equal($"""
            # TYPE neg untyped
            neg{'{'}job="x",instance="fed-1"{'}'} 0 {Now}
            # TYPE up untyped
            up{'{'}instance="a:9100",job="node"{'}'} 1 {Now - 60_000}

            """.Replace("\r\n", "\n", StringComparison.Ordinal), text);
    }

    [Fact]
    public void No_match_selects_nothing()
        => Assert.Equal("", Federate(Data(), Labels.Empty));

    [Theory]
    [InlineData("match[]=up", null, new[] { "up" })]
    [InlineData("match[]=%7Bjob%3D%22a+b%22%7D&x=1&match%5B%5D=b", null, new[] { "{job=\"a b\"}", "b" })]
    [InlineData("match[]=%zz", "invalid URL escape \"%zz\"", new string[0])]
    [InlineData("match[]=a%2", "invalid URL escape \"%2\"", new string[0])]
    [InlineData("match[]=a;b", "invalid semicolon separator in query", new string[0])]
    [InlineData("&&match[]=&", null, new[] { "" })]
    public void Query_strings_are_parsed_like_go(string query, string? error, string[] values)
    {
        var parsed = GoQueryString.Values(query, "match[]", out var actualError);
        Assert.Equal(error, actualError);
        Assert.Equal(values, parsed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(49)]
    [InlineData(50)]
    [InlineData(500)]
    public void Go_sort_orders_by_key_and_keeps_sorted_input_as_it_is(int n)
    {
        var random = new Random(n);
        var keys = Enumerable.Range(0, n).Select(_ => "k" + random.Next(7).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var items = Enumerable.Range(0, n).ToArray();
        var expectedKeys = keys.Order(StringComparer.Ordinal).ToArray();
        GoSort.Sort(keys, items);
        Assert.Equal(expectedKeys, keys);
        Assert.Equal(Enumerable.Range(0, n), items.Order());

        // Already in key order (every series' first label is __name__): nothing moves, as in Go.
        var sortedItems = Enumerable.Range(0, n).ToArray();
        var sortedKeys = (string[])keys.Clone();
        GoSort.Sort(sortedKeys, sortedItems);
        Assert.Equal(Enumerable.Range(0, n), sortedItems);
    }

    [Theory]
    [InlineData(null, FederationFormat.Text)]
    [InlineData("", FederationFormat.Text)]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", FederationFormat.ProtoDelimited)]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.4,text/plain;version=0.0.4;q=0.5", FederationFormat.Text)]
    [InlineData("text/plain;version=0.0.4;q=0.3,application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7", FederationFormat.ProtoDelimited)]
    [InlineData("*/*,application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", FederationFormat.ProtoDelimited)]
    [InlineData("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=compact-text", FederationFormat.Text)]
    [InlineData("application/vnd.google.protobuf;proto=other;encoding=delimited", FederationFormat.Text)]
    [InlineData("application/openmetrics-text;version=1.0.0", FederationFormat.Text)]
    public void Accept_negotiation_follows_expfmt(string? accept, FederationFormat expected)
        => Assert.Equal(expected, FederationNegotiation.Negotiate(accept));

    [Fact]
    public void Protobuf_families_are_length_delimited_metric_families()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new FederationProtobufWriter(output, Labels.Of("env", "prod"));
        writer.Write(new FederatedSample(Labels.Of("__name__", "a", "job", "x"), 1000, 1.5));
        writer.Write(new FederatedSample(Labels.Of("__name__", "a", "job", "y"), -1, 0));
        writer.Write(new FederatedSample(Labels.Of("__name__", "b"), 2000, 2));
        writer.Complete();
        var bytes = output.WrittenSpan.ToArray();
        var input = new Google.Protobuf.CodedInputStream(bytes);
        var families = new List<string>();
        while (!input.IsAtEnd)
        {
            var family = new Google.Protobuf.CodedInputStream(input.ReadBytes().ToByteArray());
            var description = new StringBuilder();
            while (!family.IsAtEnd)
            {
                var tag = family.ReadTag();
                switch (Google.Protobuf.WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: description.Append("name=").Append(family.ReadString()); break;
                    case 3: description.Append(" type=").Append(family.ReadEnum()); break;
                    case 4: description.Append(" metric[").Append(Metric(family.ReadBytes().ToByteArray())).Append(']'); break;
                    default: throw new InvalidOperationException($"unexpected field {tag}");
                }
            }
            families.Add(description.ToString());
        }
        Assert.Equal(
        [
            "name=a type=3 metric[job=x env=prod instance= untyped=1.5 ts=1000] metric[job=y env=prod instance= untyped=0 ts=-1]",
            "name=b type=3 metric[env=prod instance= untyped=2 ts=2000]",
        ], families);

        static string Metric(byte[] bytes)
        {
            var input = new Google.Protobuf.CodedInputStream(bytes);
            var parts = new List<string>();
            while (!input.IsAtEnd)
            {
                var tag = input.ReadTag();
                switch (Google.Protobuf.WireFormat.GetTagFieldNumber(tag))
                {
                    case 1:
                        var pair = new Google.Protobuf.CodedInputStream(input.ReadBytes().ToByteArray());
                        pair.ReadTag();
                        var name = pair.ReadString();
                        pair.ReadTag();
                        parts.Add(name + "=" + pair.ReadString());
                        break;
                    case 5:
                        var untyped = new Google.Protobuf.CodedInputStream(input.ReadBytes().ToByteArray());
                        untyped.ReadTag();
                        parts.Add("untyped=" + untyped.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case 6:
                        parts.Add("ts=" + input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    default: throw new InvalidOperationException($"unexpected field {tag}");
                }
            }
            return string.Join(" ", parts);
        }
    }

    private static async Task<TestVigil> StartWithDataAsync()
    {
        var vigil = await TestVigil.StartAsync(v =>
        {
            var config = Path.Combine(v.Dir, "vigil.yml");
            File.WriteAllText(config, "global:\n  external_labels:\n    dc: eu-1\n");
            return new ServerOptions { DataPath = v.DataPath, ConfigFile = config };
        });
        var db = vigil.App.Services.GetRequiredService<TimeSeriesDb>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Add(db, Labels.Of("__name__", "jobs_done", "job", "batch"), (now - 20_000, 4), (now - 10_000, 5));
        Add(db, Labels.Of("__name__", "jobs_done", "job", "cron", "dc", "us-2"), (now - 10_000, 1));
        return vigil;
    }

    [Fact]
    public async Task Http_federate_serves_text_with_the_configs_external_labels()
    {
        await using var vigil = await StartWithDataAsync();
        var response = await vigil.Client.GetAsync("/federate?match[]=jobs_done");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FederationEndpoint.TextContentType, response.Content.Headers.ContentType?.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Equal("# TYPE jobs_done untyped", lines[0]);
        // Sorted by labels: dc < job, so the series with its own dc comes first and keeps it.
        Assert.StartsWith("jobs_done{dc=\"us-2\",job=\"cron\",instance=\"\"} 1 ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("jobs_done{job=\"batch\",dc=\"eu-1\",instance=\"\"} 5 ", lines[2], StringComparison.Ordinal);
        Assert.Equal([""], lines[3..]);
    }

    [Fact]
    public async Task Http_federate_compresses_when_asked()
    {
        await using var vigil = await StartWithDataAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/federate?match[]=jobs_done");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await vigil.Client.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.StartsWith("# TYPE jobs_done untyped\njobs_done{dc=\"us-2\"", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/federate?match[]=up{", "1:4: parse error: unexpected end of input inside braces\n")]
    [InlineData("/federate?match[]=%zz", "error parsing form values: invalid URL escape \"%zz\"\n")]
    public async Task Http_federate_errors_are_400_text_like_prometheus(string url, string body)
    {
        await using var vigil = await StartWithDataAsync();
        // Sent as written (HttpClient would escape the invalid %zz into %25zz).
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var context = await vigil.App.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = url[..question];
            c.Request.QueryString = new QueryString(url[question..]);
        });
        var response = context.Response;
        Assert.Equal(StatusCodes.Status400BadRequest, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.ContentType);
        Assert.Equal(body, await new StreamReader(response.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Http_federate_without_match_is_an_empty_200()
    {
        await using var vigil = await StartWithDataAsync();
        var response = await vigil.Client.GetAsync("/federate");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}
