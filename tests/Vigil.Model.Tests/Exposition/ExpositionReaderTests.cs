using System.Buffers;
using System.Text;
using Vigil.Model.Exposition;
using static Vigil.Model.Tests.Exposition.ParserHarness;

namespace Vigil.Model.Tests.Exposition;

public sealed class ExpositionReaderTests
{
    [Fact]
    public void Reads_families_from_text_format()
    {
        var families = ExpositionReader.ReadFamilies(Utf8("""
            # HELP http_requests_total Requests \\ served.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="get"} 1027 1395066363000
            http_requests_total{code="400",method="post"} 3 1395066363000
            # A comment
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            loose 1
            loose{a="b"} 2
            other 3
            """), ExpositionFormat.PrometheusText);

        Assert.Equal(["http_requests_total", "rpc_duration_seconds", "loose", "other"], families.Select(f => f.Name));
        var requests = families[0];
        Assert.Equal((MetricType.Counter, "Requests \\ served.", (string?)null), (requests.Type, requests.Help, requests.Unit));
        Assert.Equal(Model.Labels.Of("__name__", "http_requests_total", "code", "200", "method", "get"), requests.Samples[0].Labels);
        Assert.Equal(1395066363000, requests.Samples[1].TimestampMs);
        Assert.Equal(3, requests.Samples[1].Value);
        Assert.Equal(["rpc_duration_seconds", "rpc_duration_seconds_sum", "rpc_duration_seconds_count"], families[1].Samples.Select(s => s.MetricName));
        Assert.Equal((MetricType.Unknown, (string?)null, 2), (families[2].Type, families[2].Help, families[2].Samples.Count));
        Assert.Single(families[3].Samples);
    }

    [Fact]
    public void Reads_families_from_openmetrics()
    {
        var families = ExpositionReader.ReadFamilies(Utf8("""
            # TYPE acme_http_router_request_seconds summary
            # UNIT acme_http_router_request_seconds seconds
            # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
            acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
            acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
            acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
            # TYPE foo counter
            foo_total 17.0 1520879607.789 # {id="counter-test"} 5
            # TYPE go_build info
            go_build_info{checksum="",path="github.com/prometheus/prometheus",version="(devel)"} 1
            # TYPE empty gauge
            # EOF
            """), ExpositionFormat.OpenMetrics);

        Assert.Equal(["acme_http_router_request_seconds", "foo", "go_build", "empty"], families.Select(f => f.Name));
        var acme = families[0];
        Assert.Equal((MetricType.Summary, "seconds"), (acme.Type, acme.Unit));
        Assert.Equal("Latency though all of ACME's HTTP request router.", acme.Help);
        Assert.Equal(3, acme.Samples.Count);
        Assert.Equal(new Exemplar(Model.Labels.Of("id", "counter-test"), 5), families[1].Samples[0].Exemplar);
        Assert.Equal(1520879607789, families[1].Samples[0].TimestampMs);
        Assert.Equal(Model.Labels.Of("__name__", "go_build_info", "path", "github.com/prometheus/prometheus", "version", "(devel)"), families[2].Samples[0].Labels);
        Assert.Empty(families[3].Samples);
    }

    [Fact]
    public void Metadata_after_samples_starts_a_new_family()
    {
        var families = ExpositionReader.ReadFamilies(Utf8("a 1\n# HELP a again\na 2\n"), ExpositionFormat.PrometheusText);
        Assert.Equal([(string?)null, "again"], families.Select(f => f.Help));
    }

    [Fact]
    public void Throws_format_exception_with_position()
    {
        var ex = Assert.Throws<ExpositionFormatException>(() =>
            ExpositionReader.ReadFamilies(Utf8("a 1\nb{c=\"d\" 2\n"), ExpositionFormat.PrometheusText));
        Assert.Equal("line 2, column 9: expected label name, got \"2\"", ex.Message);
        Assert.Equal("b{c=\"d\" 2", ex.Snippet);

        var om = Assert.Throws<ExpositionFormatException>(() => ExpositionReader.ReadFamilies(Utf8("a 1\n"), ExpositionFormat.OpenMetrics));
        Assert.Equal("line 2, column 1: data does not end with # EOF", om.Message);
    }

    [Fact]
    public void Exception_has_the_standard_constructors()
    {
        Assert.Equal("malformed exposition", new ExpositionFormatException().Reason);
        Assert.Equal("x", new ExpositionFormatException("x").Reason);
        var inner = new InvalidOperationException();
        Assert.Same(inner, new ExpositionFormatException("y", inner).InnerException);
    }

    [Theory]
    [InlineData(ExpositionFormat.PrometheusText)]
    [InlineData(ExpositionFormat.OpenMetrics)]
    public void Serializer_output_reads_back(ExpositionFormat format)
    {
        var families = SampleBodies.Families(300, format);
        var body = ExpositionSerializer.ToUtf8Bytes(families, format);
        var read = ExpositionReader.ReadFamilies(body, format);
        FamilyAssert.Equal(families, read);
    }

    [Fact]
    public void Serializer_writes_the_expected_text()
    {
        MetricFamily[] families =
        [
            new("c", MetricType.Counter, [new(Model.Labels.Of("__name__", "c_total", "a", "x\"y\\z\nw"), 1.5, 1700000000123, new Exemplar(Model.Labels.Of("t", "1"), 2, 1))], "Help \"q\" \\ \n.", "bytes"),
            new("g", MetricType.Gauge, [new(Model.Labels.Of("__name__", "g"), double.NaN)]),
            new("u", MetricType.Unknown, [new(Model.Labels.Of("__name__", "u", "k", "v"), double.NegativeInfinity, -5)], help: ""),
        ];
        Assert.Equal(
            "# HELP c Help \\\"q\\\" \\\\ \\n.\n# TYPE c counter\n# UNIT c bytes\nc_total{a=\"x\\\"y\\\\z\\nw\"} 1.5 1700000000.123 # {t=\"1\"} 2 0.001\n"
            + "# TYPE g gauge\ng NaN\n# HELP u \nu{k=\"v\"} -Inf -0.005\n# EOF\n",
            Encoding.UTF8.GetString(ExpositionSerializer.ToUtf8Bytes(families, ExpositionFormat.OpenMetrics)));
        Assert.Equal(
            "# HELP c Help \"q\" \\\\ \\n.\n# TYPE c counter\nc_total{a=\"x\\\"y\\\\z\\nw\"} 1.5 1700000000123\n"
            + "# TYPE g gauge\ng NaN\n# HELP u \nu{k=\"v\"} -Inf -5\n",
            Encoding.UTF8.GetString(ExpositionSerializer.ToUtf8Bytes(families, ExpositionFormat.PrometheusText)));
    }

    [Fact]
    public void Serializer_rejects_samples_without_a_name()
    {
        MetricFamily[] families = [new("x", MetricType.Gauge, [new(Model.Labels.Of("a", "b"), 1)])];
        Assert.Throws<ArgumentException>(() => ExpositionSerializer.Write(families, new ArrayBufferWriter<byte>(), ExpositionFormat.PrometheusText));
    }

    [Fact]
    public void Writer_puts_no_braces_around_a_name_only_label_set()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ExpositionWriter(buffer, ExpositionFormat.PrometheusText);
        writer.WriteSample("up", Model.Labels.Of("__name__", "up").AsSpan(), 1);
        writer.WriteSample("h_bucket", Model.Labels.Of("__name__", "h_bucket").AsSpan(), "le", "+Inf", 2);
        Assert.Equal("up 1\nh_bucket{le=\"+Inf\"} 2\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Metric_family_to_string()
    {
        Assert.Equal("x (Gauge, 0 samples)", new MetricFamily("x", MetricType.Gauge, []).ToString());
    }
}

internal static class FamilyAssert
{
    public static void Equal(IReadOnlyList<MetricFamily> expected, IReadOnlyList<MetricFamily> actual)
    {
        Assert.Equal(expected.Select(f => f.Name), actual.Select(f => f.Name));
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.Equal((e.Name, e.Type, e.Help, e.Unit), (a.Name, a.Type, a.Help, a.Unit));
            Assert.Equal(e.Samples.Count, a.Samples.Count);
            for (var j = 0; j < e.Samples.Count; j++)
            {
                var es = e.Samples[j];
                var s = a.Samples[j];
                Assert.Equal(es.Labels, s.Labels);
                ParserHarness.AssertSameDouble(es.Value, s.Value);
                Assert.Equal(es.TimestampMs, s.TimestampMs);
                Assert.Equal(es.Exemplar is null, s.Exemplar is null);
                if (es.Exemplar is not null)
                {
                    Assert.Equal(es.Exemplar.Labels, s.Exemplar!.Labels);
                    ParserHarness.AssertSameDouble(es.Exemplar.Value, s.Exemplar.Value);
                    Assert.Equal(es.Exemplar.TimestampMs, s.Exemplar.TimestampMs);
                }
            }
        }
    }
}
