using Vigil.Model.Exposition;
using static Vigil.Model.Tests.Exposition.ParserHarness;

namespace Vigil.Model.Tests.Exposition;

public sealed class OpenMetricsParserTests
{
    private const ExpositionFormat Om = ExpositionFormat.OpenMetrics;

    private static Exemplar Ex(double value, long? ts, params string[] labels) => new(Model.Labels.Of(labels), value, ts);

    // prometheus/model/textparse/openmetricsparse_test.go TestOpenMetricsParse, classic names only. Prometheus also
    // takes exemplars on hhh_count, ggh_count, smr_seconds_count and smr_seconds_sum; OpenMetrics allows them only on
    // counter _total and histogram _bucket samples and so do we (see Exemplars_elsewhere_are_errors), so those are left out.
    [Fact]
    public void Parses_prometheus_openmetricsparse_test_input()
    {
        var input = """
            # HELP go_gc_duration_seconds A summary of the GC invocation durations.
            # TYPE go_gc_duration_seconds summary
            # UNIT go_gc_duration_seconds seconds
            go_gc_duration_seconds{quantile="0"} 4.9351e-05
            go_gc_duration_seconds{quantile="0.25"} 7.424100000000001e-05
            go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
            # HELP nohelp1 
            # HELP help2 escape \ \n \\ \" \x chars
            # UNIT nounit 
            go_gc_duration_seconds{quantile="1.0",a="b"} 8.3835e-05
            go_gc_duration_seconds_count 99
            some:aggregate:rate5m{a_b="c"} 1
            # HELP go_goroutines Number of goroutines that currently exist.
            # TYPE go_goroutines gauge
            go_goroutines 33 123.123
            # TYPE hh histogram
            hh_bucket{le="+Inf"} 1
            # TYPE gh gaugehistogram
            gh_bucket{le="+Inf"} 1
            # TYPE hhh histogram
            hhh_bucket{le="+Inf"} 1 # {id="histogram-bucket-test"} 4
            hhh_count 1
            # TYPE ggh gaugehistogram
            ggh_bucket{le="+Inf"} 1 # {id="gaugehistogram-bucket-test",xx="yy"} 4 123.123
            ggh_count 1
            # TYPE smr_seconds summary
            smr_seconds_count 2.0
            smr_seconds_sum 42.0
            # TYPE ii info
            ii{foo="bar"} 1
            # TYPE ss stateset
            ss{ss="foo"} 1
            ss{ss="bar"} 0
            ss{A="a"} 0
            # TYPE un unknown
            _metric_starting_with_underscore 1
            testmetric{_label_starting_with_underscore="foo"} 1
            testmetric{label="\"bar\""} 1
            # TYPE foo counter
            foo_total 17.0 1520879607.789 # {id="counter-test"} 5
            """;
        input += "\n# HELP metric foo\0bar";
        input += "\nnull_byte_metric{a=\"abc\0\"} 1";
        input += "\n# EOF\n";

        var gc = "go_gc_duration_seconds";
        ParsedEntry[] expected =
        [
            ParsedEntry.Help(gc, "A summary of the GC invocation durations."),
            ParsedEntry.TypeOf(gc, MetricType.Summary),
            ParsedEntry.Unit(gc, "seconds"),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"0\"}", 4.9351e-05, Model.Labels.Of("__name__", gc, "quantile", "0")),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"0.25\"}", 7.424100000000001e-05, Model.Labels.Of("__name__", gc, "quantile", "0.25")),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"0.5\",a=\"b\"}", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "0.5", "a", "b")),
            ParsedEntry.Help("nohelp1", ""),
            ParsedEntry.Help("help2", "escape \\ \n \\ \" \\x chars"),
            ParsedEntry.Unit("nounit", ""),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"1.0\",a=\"b\"}", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "1.0", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds_count", 99, Model.Labels.Of("__name__", "go_gc_duration_seconds_count")),
            ParsedEntry.Sample("some:aggregate:rate5m{a_b=\"c\"}", 1, Model.Labels.Of("__name__", "some:aggregate:rate5m", "a_b", "c")),
            ParsedEntry.Help("go_goroutines", "Number of goroutines that currently exist."),
            ParsedEntry.TypeOf("go_goroutines", MetricType.Gauge),
            ParsedEntry.Sample("go_goroutines", 33, Model.Labels.Of("__name__", "go_goroutines"), ts: 123123),
            ParsedEntry.TypeOf("hh", MetricType.Histogram),
            ParsedEntry.Sample("hh_bucket{le=\"+Inf\"}", 1, Model.Labels.Of("__name__", "hh_bucket", "le", "+Inf")),
            ParsedEntry.TypeOf("gh", MetricType.GaugeHistogram),
            ParsedEntry.Sample("gh_bucket{le=\"+Inf\"}", 1, Model.Labels.Of("__name__", "gh_bucket", "le", "+Inf")),
            ParsedEntry.TypeOf("hhh", MetricType.Histogram),
            ParsedEntry.Sample("hhh_bucket{le=\"+Inf\"}", 1, Model.Labels.Of("__name__", "hhh_bucket", "le", "+Inf"), exemplar: Ex(4, null, "id", "histogram-bucket-test")),
            ParsedEntry.Sample("hhh_count", 1, Model.Labels.Of("__name__", "hhh_count")),
            ParsedEntry.TypeOf("ggh", MetricType.GaugeHistogram),
            ParsedEntry.Sample("ggh_bucket{le=\"+Inf\"}", 1, Model.Labels.Of("__name__", "ggh_bucket", "le", "+Inf"), exemplar: Ex(4, 123123, "id", "gaugehistogram-bucket-test", "xx", "yy")),
            ParsedEntry.Sample("ggh_count", 1, Model.Labels.Of("__name__", "ggh_count")),
            ParsedEntry.TypeOf("smr_seconds", MetricType.Summary),
            ParsedEntry.Sample("smr_seconds_count", 2, Model.Labels.Of("__name__", "smr_seconds_count")),
            ParsedEntry.Sample("smr_seconds_sum", 42, Model.Labels.Of("__name__", "smr_seconds_sum")),
            ParsedEntry.TypeOf("ii", MetricType.Info),
            ParsedEntry.Sample("ii{foo=\"bar\"}", 1, Model.Labels.Of("__name__", "ii", "foo", "bar")),
            ParsedEntry.TypeOf("ss", MetricType.StateSet),
            ParsedEntry.Sample("ss{ss=\"foo\"}", 1, Model.Labels.Of("__name__", "ss", "ss", "foo")),
            ParsedEntry.Sample("ss{ss=\"bar\"}", 0, Model.Labels.Of("__name__", "ss", "ss", "bar")),
            ParsedEntry.Sample("ss{A=\"a\"}", 0, Model.Labels.Of("A", "a", "__name__", "ss")),
            ParsedEntry.TypeOf("un", MetricType.Unknown),
            ParsedEntry.Sample("_metric_starting_with_underscore", 1, Model.Labels.Of("__name__", "_metric_starting_with_underscore")),
            ParsedEntry.Sample("testmetric{_label_starting_with_underscore=\"foo\"}", 1, Model.Labels.Of("__name__", "testmetric", "_label_starting_with_underscore", "foo")),
            ParsedEntry.Sample("testmetric{label=\"\\\"bar\\\"\"}", 1, Model.Labels.Of("__name__", "testmetric", "label", "\"bar\"")),
            ParsedEntry.TypeOf("foo", MetricType.Counter),
            ParsedEntry.Sample("foo_total", 17, Model.Labels.Of("__name__", "foo_total"), ts: 1520879607789, exemplar: Ex(5, null, "id", "counter-test")),
            ParsedEntry.Help("metric", "foo\0bar"),
            ParsedEntry.Sample("null_byte_metric{a=\"abc\0\"}", 1, Model.Labels.Of("__name__", "null_byte_metric", "a", "abc\0")),
        ];
        AssertEntries(expected, ParseAll(input, Om));
    }

    [Theory]
    [InlineData("# EOF")]
    [InlineData("# EOF\n")]
    public void Eof_ends_the_body_with_or_without_newline(string input)
    {
        Assert.Empty(ParseAll(input, Om));
    }

    [Fact]
    public void Families_of_every_type_with_created_series()
    {
        var entries = ParseAll(
            """
            # TYPE c counter
            # HELP c Requests.
            c_total{code="200"} 10
            c_created{code="200"} 1700000000.5
            # TYPE h histogram
            # UNIT h_seconds seconds
            h_seconds_bucket{le="0.1"} 1
            # TYPE h_seconds histogram
            h_seconds_bucket{le="0.1"} 1 # {trace_id="abc"} 0.05 1700000000.001
            h_seconds_bucket{le="+Inf"} 2
            h_seconds_count 2
            h_seconds_sum 0.3
            h_seconds_created 1700000000
            # TYPE gh gaugehistogram
            gh_bucket{le="+Inf"} 3
            gh_gcount 3
            gh_gsum 4
            # TYPE s summary
            s{quantile="0.99"} 5
            s_count 1
            s_sum 5
            s_created 1
            # TYPE i info
            i_info{version="1.2"} 1
            # TYPE st stateset
            st{st="a"} 1
            # TYPE g gauge
            g 1
            # TYPE u unknown
            u 1
            other 2
            # EOF
            """,
            Om).Where(e => e.Kind == ExpositionEntry.Series).ToList();
        Assert.Equal(
            ["c", "c", "h_seconds_bucket", "h_seconds", "h_seconds", "h_seconds", "h_seconds", "h_seconds", "gh", "gh", "gh", "s", "s", "s", "s", "i", "st", "g", "u", "other"],
            entries.Select(e => e.Family));
        Assert.Equal(MetricType.Counter, entries[1].Type);
        Assert.Equal(MetricType.Unknown, entries[2].Type);
        Assert.Equal(MetricType.Histogram, entries[3].Type);
        Assert.Equal(Ex(0.05, 1700000000001, "trace_id", "abc"), entries[3].Exemplar);
        Assert.Equal(1700000000500, entries[1].Value * 1000);
        Assert.Equal(MetricType.GaugeHistogram, entries[9].Type);
        Assert.Equal(MetricType.Summary, entries[14].Type);
        Assert.Equal(MetricType.Info, entries[15].Type);
        Assert.Equal(MetricType.StateSet, entries[16].Type);
        Assert.Equal(MetricType.Unknown, entries[19].Type);
    }

    [Theory]
    [InlineData("counter", MetricType.Counter)]
    [InlineData("gauge", MetricType.Gauge)]
    [InlineData("histogram", MetricType.Histogram)]
    [InlineData("gaugehistogram", MetricType.GaugeHistogram)]
    [InlineData("summary", MetricType.Summary)]
    [InlineData("info", MetricType.Info)]
    [InlineData("stateset", MetricType.StateSet)]
    [InlineData("unknown", MetricType.Unknown)]
    public void Type_keywords(string keyword, MetricType type)
    {
        Assert.Equal(type, ParseAll($"# TYPE m {keyword}\n# EOF\n", Om)[0].Type);
    }

    [Theory]
    [InlineData("1", 1000L)]
    [InlineData("1.005", 1005L)]
    [InlineData("1520879607.789", 1520879607789L)]
    [InlineData("-1.5", -1500L)]
    [InlineData("-0.0005", 0L)]
    [InlineData("0.0001", 0L)]
    [InlineData(".5", 500L)]
    [InlineData("5.", 5000L)]
    [InlineData("+2", 2000L)]
    [InlineData("1e3", 1000000L)]
    [InlineData("1.5E-2", 15L)]
    [InlineData("17e-4", 1L)]
    [InlineData("9223372036854775.807", long.MaxValue)]
    [InlineData("-9223372036854775.808", long.MinValue)]
    [InlineData("12345678901234567e-3", 12345678901234567L)]
    public void Timestamps_are_float_seconds_truncated_to_milliseconds(string ts, long ms)
    {
        var entries = ParseAll($"a 1 {ts}\n# EOF\n", Om);
        Assert.Equal(ms, entries[0].TimestampMs);
    }

    [Fact]
    public void Label_values_unescape_and_keep_unknown_escapes()
    {
        var entries = ParseAll("m{a=\"x\\\\y\",b=\"q\\\"\",c=\"n\\n\",d=\"t\\t\",e=\"\",} 1\n# EOF\n", Om);
        Assert.Equal(Model.Labels.Of("__name__", "m", "a", "x\\y", "b", "q\"", "c", "n\n", "d", "t\\t"), entries[0].Labels);
    }

    [Fact]
    public void Exemplar_may_have_no_labels_and_escaped_values()
    {
        var entries = ParseAll("# TYPE c counter\nc_total 1 # {} 2\nc_total{x=\"1\"} 1 5 # {id=\"a\\\"b\",q=\"\"} 3 4\n# EOF\n", Om);
        Assert.Equal(Ex(2, null), entries[1].Exemplar);
        Assert.Equal(5000, entries[2].TimestampMs);
        Assert.Equal(Ex(3, 4000, "id", "a\"b"), entries[2].Exemplar);
    }

    [Fact]
    public void Exemplar_label_length_is_reported_not_enforced_like_Prometheus_parser()
    {
        // Prometheus checks the 128-rune limit when storing the exemplar (dropping only it), not when parsing.
        var ok = "# TYPE c counter\nc_total 1 # {id=\"" + new string('ä', 126) + "\"} 1\n# EOF\n";
        Assert.Equal(128, ExemplarRunes(ok));
        var escaped = "# TYPE c counter\nc_total 1 # {id=\"" + string.Concat(Enumerable.Repeat("\\\\", 126)) + "\"} 1\n# EOF\n";
        Assert.Equal(128, ExemplarRunes(escaped));
        var tooLong = "# TYPE c counter\nc_total 1 # {id=\"" + new string('€', 127) + "\"} 1\n# EOF\n";
        Assert.Equal(129, ExemplarRunes(tooLong));
    }

    private static int ExemplarRunes(string input)
    {
        var parser = new ExpositionParser(Utf8(input), Om);
        while (parser.Next() is var e && e != ExpositionEntry.Eof)
        {
            Assert.NotEqual(ExpositionEntry.Error, e);
            if (e == ExpositionEntry.Series)
            {
                Assert.True(parser.HasExemplar);
                return parser.ExemplarLabelRunes;
            }
        }
        throw new InvalidOperationException("no series");
    }

    [Theory]
    [InlineData("# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n")]
    [InlineData("# TYPE h histogram\nh_count 1 # {a=\"b\"} 1\n# EOF\n")]
    [InlineData("# TYPE h histogram\nh_sum 1 # {a=\"b\"} 1\n# EOF\n")]
    [InlineData("# TYPE s summary\ns_count 1 # {a=\"b\"} 1\n# EOF\n")]
    [InlineData("# TYPE c counter\nc_created 1 # {a=\"b\"} 1\n# EOF\n")]
    [InlineData("# TYPE gh gaugehistogram\ngh_gcount 1 # {a=\"b\"} 1\n# EOF\n")]
    [InlineData("untyped_total 1 # {a=\"b\"} 1\n# EOF\n")]
    public void Exemplars_on_any_sample_are_accepted_like_Prometheus(string input)
    {
        var series = ParseAll(input, Om).Single(e => e.Kind == ExpositionEntry.Series);
        Assert.Equal(Ex(1, null, "a", "b"), series.Exemplar);
    }

    [Fact]
    public void A_bare_counter_sample_is_accepted_like_Prometheus()
    {
        // OpenMetrics wants foo_total, but Prometheus 2.42 scrapes "foo 1" under "# TYPE foo counter" fine.
        var entries = ParseAll("# TYPE foo counter\nfoo_total 1\nfoo 1\n# EOF\n", Om);
        Assert.Equal(("foo", MetricType.Counter), (entries[2].Family, entries[2].Type));
        // A name that is not the family's plus an allowed suffix starts a new, untyped family.
        entries = ParseAll("# TYPE foo counter\nfoo_bytes 1\n# EOF\n", Om);
        Assert.Equal(("foo_bytes", MetricType.Unknown), (entries[1].Family, entries[1].Type));
    }

    public static TheoryData<byte[], int, int, string> Errors => new()
    {
        // From prometheus openmetricsparse_test.go TestOpenMetricsParseErrors.
        { Utf8(""), 1, 1, "data does not end with # EOF" },
        { Utf8("\n"), 1, 1, "expected a valid start token, got \"\\n\"" },
        { Utf8("metric"), 1, 7, "expected value after metric, got EOF" },
        { Utf8("metric 1"), 1, 9, "data does not end with # EOF" },
        { Utf8("metric 1\n"), 2, 1, "data does not end with # EOF" },
        { Utf8("metric_total 1 # {aa=\"bb\"} 4"), 1, 29, "data does not end with # EOF" },
        { Utf8("a\n#EOF\n"), 1, 2, "expected value after metric, got \"\\n\"" },
        { Utf8("\n\n#EOF\n"), 1, 1, "expected a valid start token, got \"\\n\"" },
        { Utf8(" a 1\n#EOF\n"), 1, 1, "expected a valid start token, got \" \"" },
        { Utf8("9\n#EOF\n"), 1, 1, "expected a valid start token, got \"9\"" },
        { Utf8("# TYPE u untyped\n#EOF\n"), 1, 10, "invalid metric type \"untyped\"" },
        { Utf8("# TYPE c counter \n#EOF\n"), 1, 10, "invalid metric type \"counter \"" },
        { Utf8("#  TYPE c counter\n#EOF\n"), 1, 1, "expected a valid start token, got \"#\"" },
        { Utf8("# TYPE \n#EOF\n"), 1, 8, "expected metric name after TYPE, got \"\\n\"" },
        { Utf8("# TYPE m\n#EOF\n"), 1, 9, "expected text in TYPE, got \"\\n\"" },
        { Utf8("# UNIT metric suffix\n#EOF\n"), 1, 15, "unit \"suffix\" not a suffix of metric \"metric\"" },
        { Utf8("# UNIT metricsuffix suffix\n#EOF\n"), 1, 21, "unit \"suffix\" not a suffix of metric \"metricsuffix\"" },
        { Utf8("# UNIT m suffix\n#EOF\n"), 1, 10, "unit \"suffix\" not a suffix of metric \"m\"" },
        { Utf8("# UNIT \n#EOF\n"), 1, 8, "expected metric name after UNIT, got \"\\n\"" },
        { Utf8("# UNIT m\n#EOF\n"), 1, 9, "expected text in UNIT, got \"\\n\"" },
        { Utf8("# HELP \n#EOF\n"), 1, 8, "expected metric name after HELP, got \"\\n\"" },
        { Utf8("# HELP m\n#EOF\n"), 1, 9, "expected text in HELP, got \"\\n\"" },
        { Utf8("a\t1\n#EOF\n"), 1, 2, "expected value after metric, got \"\\t\"" },
        { Utf8("a 1\t2\n#EOF\n"), 1, 3, "invalid value \"1\\t2\": invalid syntax" },
        { Utf8("a 1 2 \n#EOF\n"), 1, 6, "expected next entry after timestamp, got \" \"" },
        { Utf8("a 1 2 #\n#EOF\n"), 1, 6, "expected next entry after timestamp, got \" \"" },
        { Utf8("a 1 1z\n#EOF\n"), 1, 5, "invalid timestamp \"1z\": invalid syntax" },
        { Utf8(" # EOF\n"), 1, 1, "expected a valid start token, got \" \"" },
        { Utf8("# EOF\na 1"), 2, 1, "unexpected data after # EOF" },
        { Utf8("# EOF\n\n"), 2, 1, "unexpected data after # EOF" },
        { Utf8("# EOFa 1"), 1, 6, "unexpected data after # EOF" },
        { Utf8("#\tTYPE c counter\n"), 1, 1, "expected a valid start token, got \"#\"" },
        { Utf8("# TYPE c  counter\n"), 1, 10, "invalid metric type \" counter\"" },
        { Utf8("a 1 1 1\n# EOF\n"), 1, 6, "expected next entry after timestamp, got \" \"" },
        { Utf8("a{b='c'} 1\n# EOF\n"), 1, 5, "expected label value, got \"'\"" },
        { Utf8("a{,b=\"c\"} 1\n# EOF\n"), 1, 3, "expected label name, got \",\"" },
        { Utf8("a{b=\"c\"d=\"e\"} 1\n# EOF\n"), 1, 8, "expected comma or brace close, got \"d\"" },
        { Utf8("a{b=\"c\",,d=\"e\"} 1\n# EOF\n"), 1, 9, "expected label name, got \",\"" },
        { Utf8("a{b=\n# EOF\n"), 1, 5, "expected label value, got \"\\n\"" },
        { Bytes("a{", 0xff, "=\"foo\"} 1\n# EOF\n"), 1, 3, "expected label name, got \"\\xff\"" },
        { Bytes("a{b=\"", 0xff, "\"} 1\n# EOF\n"), 1, 5, "invalid UTF-8 label value: \"\\\"\\xff\\\"\"" },
        { Utf8("a true\n"), 1, 3, "invalid value \"true\": invalid syntax" },
        { Utf8("something_weird{problem=\"\n# EOF\n"), 1, 25, "expected label value, got \"\\\"\"" },
        { Utf8("empty_label_name{=\"\"} 0\n# EOF\n"), 1, 18, "expected label name, got \"=\"" },
        { Utf8("foo 1_2\n\n# EOF\n"), 1, 5, "unsupported character in value \"1_2\"" },
        { Utf8("foo 0x1p-3\n\n# EOF\n"), 1, 5, "unsupported character in value \"0x1p-3\"" },
        { Utf8("foo 0x1P-3\n\n# EOF\n"), 1, 5, "unsupported character in value \"0x1P-3\"" },
        { Utf8("foo 0 1_2\n\n# EOF\n"), 1, 7, "unsupported character in timestamp \"1_2\"" },
        { Utf8("custom_metric_total 1 # {aa=bb}\n# EOF\n"), 1, 29, "expected label value, got \"bb\"" },
        { Utf8("custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n"), 1, 34, "expected value after exemplar labels, got \"\\n\"" },
        { Utf8("custom_metric_total 1 # {aa=\"bb\"}"), 1, 34, "expected value after exemplar labels, got EOF" },
        { Utf8("custom_metric_total 1 # {bb}"), 1, 28, "expected equal, got \"}\"" },
        { Utf8("custom_metric_total 1 # {bb, a=\"dd\"}"), 1, 28, "expected equal, got \",\"" },
        { Utf8("custom_metric_total 1 # {aa=\"bb\",,cc=\"dd\"} 1"), 1, 34, "expected label name, got \",\"" },
        { Utf8("custom_metric_total 1 # {aa=\"bb\"} 1_2"), 1, 35, "unsupported character in exemplar value \"1_2\"" },
        { Utf8("custom_metric_total 1 # {aa=\"bb\"} 0x1p-3"), 1, 35, "unsupported character in exemplar value \"0x1p-3\"" },
        { Utf8("custom_metric_total 1 # {aa=\"bb\"} true"), 1, 35, "invalid exemplar value \"true\": invalid syntax" },
        { Utf8("custom_metric_total 1 # {aa=\"bb\",cc=}"), 1, 37, "expected label value, got \"}\"" },
        { Bytes("custom_metric_total 1 # {aa=\\\"", 0xff, "\\\"} 9.0"), 1, 29, "expected label value, got \"\\\\\"" },
        { Utf8("{b=\"c\",} 1\n# EOF\n"), 1, 1, "expected a valid start token, got \"{\"" },
        { Utf8("a 1 NaN\n# EOF\n"), 1, 5, "invalid timestamp \"NaN\"" },
        { Utf8("a 1 -Inf\n# EOF\n"), 1, 5, "invalid timestamp \"-Inf\"" },
        { Utf8("a 1 Inf\n# EOF\n"), 1, 5, "invalid timestamp \"Inf\"" },
        { Utf8("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN\n# EOF\n"), 2, 39, "invalid exemplar timestamp \"NaN\"" },
        { Utf8("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf\n# EOF\n"), 2, 39, "invalid exemplar timestamp \"-Inf\"" },
        { Utf8("# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 Inf\n# EOF\n"), 2, 39, "invalid exemplar timestamp \"Inf\"" },
        // TestOMNullByteHandling.
        { Utf8("a{b=\0\"ssss\"} 1\n# EOF\n"), 1, 5, "expected label value, got \"\\x00\"" },
        { Utf8("a{b=\"\0"), 1, 5, "expected label value, got \"\\\"\"" },
        { Utf8("a{b\0=\"hiih\"}\t1"), 1, 4, "expected equal, got \"\\x00\"" },
        { Utf8("a\0{b=\"ddd\"} 1"), 1, 2, "expected value after metric, got \"\\x00\"" },
        { Utf8("#"), 1, 1, "expected a valid start token, got \"#\"" },
        { Utf8("# H"), 1, 1, "expected a valid start token, got \"#\"" },
        { Utf8("custom_metric_total 1 # {b=\0\"ssss\"} 1\n"), 1, 28, "expected label value, got \"\\x00\"" },
        // Our own.
        { Utf8("a 1 1e30\n# EOF\n"), 1, 5, "timestamp \"1e30\" is out of range" },
        { Utf8("a 1 9223372036854775.808\n# EOF\n"), 1, 5, "timestamp \"9223372036854775.808\" is out of range" },
        { Utf8("a 1 2 # {a=\"b\"} 1 2 3\n# EOF\n"), 1, 20, "expected next entry after exemplar, got \" \"" },
        { Utf8("a 1 \n# EOF\n"), 1, 5, "expected timestamp or exemplar, got \"\\n\"" },
        { Utf8("a 1 # x\n# EOF\n"), 1, 5, "invalid timestamp \"#\": invalid syntax" },
        { Utf8("a{b=\"c\"} 1 # {a=\"b\"}  1\n# EOF\n"), 1, 22, "expected value after exemplar labels, got \" \"" },
        { Utf8("a{b=\"c\"} 1 # {a=\"b\"} 1 \n# EOF\n"), 1, 24, "expected exemplar timestamp, got \"\\n\"" },
        { Utf8("a {b=\"c\"} 1\n# EOF\n"), 1, 3, "invalid value \"{b=\\\"c\\\"}\": invalid syntax" },
        { Utf8("a{b=\"c\"}1\n# EOF\n"), 1, 9, "expected value after metric, got \"1\"" },
        { Utf8("a{b = \"c\"} 1\n# EOF\n"), 1, 4, "expected equal, got \" \"" },
        { Utf8("a{b=\"line\nbreak\"} 1\n# EOF\n"), 1, 5, "expected label value, got \"\\\"\"" },
        { Utf8("a{b=\"c\",b=\"c\"} 1\n# EOF\n"), 1, 9, "label name \"b\" is duplicated" },
        { Utf8("# TYPE c counter\nc_total 1 # {a=\"1\",a=\"2\"} 1\n# EOF\n"), 2, 20, "label name \"a\" is duplicated" },
        { Utf8("# comment\n# EOF\n"), 1, 1, "expected a valid start token, got \"#\"" },
        { Utf8("# TYPE a Counter\n# EOF\n"), 1, 10, "invalid metric type \"Counter\"" },
        { Bytes("# HELP a ", 0xff, "\n# EOF\n"), 1, 10, "help text \"\\xff\" is not a valid utf8 string" },
        { Utf8("# HELP a text"), 1, 14, "data does not end with # EOF" },
        { Utf8("# HELP a"), 1, 9, "data does not end with # EOF" },
        { Utf8("# HELP a.b x\n# EOF\n"), 1, 9, "expected text in HELP, got \".b\"" },
        { Utf8("a 1\r\n# EOF\n"), 1, 3, "invalid value \"1\\r\": invalid syntax" },
        { Utf8("a 1\n# EOF\n# EOF\n"), 3, 1, "unexpected data after # EOF" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Malformed_input_is_an_error_with_position(byte[] input, int line, int column, string message)
    {
        var error = ParseError(input, Om);
        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Nul_bytes_in_label_values_and_help_are_allowed()
    {
        foreach (var input in new[]
        {
            "null_byte_metric{a=\"abc\0\"} 1\n# EOF\n",
            "a{b=\"\0ss\"} 1\n# EOF\n",
            "a{b=\"\0\"} 1\n# EOF\n",
            "a{b=\"\0\"} 1\n# EOF",
            "# HELP a \0\n# EOF",
        })
        {
            Assert.Single(ParseAll(input, Om));
        }
    }

    [Fact]
    public void Nul_in_exemplar_label_value_is_allowed_unlike_prometheus()
    {
        // Prometheus's lexer rejects this one only because its exemplar-value state does not skip NULs.
        var entries = ParseAll("# TYPE c counter\nc_total 1 # {b=\"\0ss\"} 1\n# EOF\n", Om);
        Assert.Equal(Ex(1, null, "b", "\0ss"), entries[1].Exemplar);
    }
}
