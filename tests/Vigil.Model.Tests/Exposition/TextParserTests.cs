using Vigil.Model.Exposition;
using static Vigil.Model.Tests.Exposition.ParserHarness;

namespace Vigil.Model.Tests.Exposition;

public sealed class TextParserTests
{
    private const ExpositionFormat Text = ExpositionFormat.PrometheusText;

    // prometheus/model/textparse/promparse_test.go TestPromParse, classic names only.
    [Fact]
    public void Parses_prometheus_promparse_test_input()
    {
        var input = """
            # HELP go_gc_duration_seconds A summary of the GC invocation durations.
            # 	TYPE go_gc_duration_seconds summary
            go_gc_duration_seconds{quantile="0"} 4.9351e-05
            go_gc_duration_seconds{quantile="0.25",} 7.424100000000001e-05
            go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
            go_gc_duration_seconds{quantile="0.8", a="b"} 8.3835e-05
            go_gc_duration_seconds{ quantile="0.9", a="b"} 8.3835e-05
            # Hrandom comment starting with prefix of HELP
            #
            wind_speed{A="2",c="3"} 12345
            # comment with escaped \n newline
            # comment with escaped \ escape character
            # HELP nohelp1
            # HELP nohelp2 
            go_gc_duration_seconds{ quantile="1.0", a="b" } 8.3835e-05
            go_gc_duration_seconds { quantile="1.0", a="b" } 8.3835e-05
            go_gc_duration_seconds { quantile= "1.0", a= "b", } 8.3835e-05
            go_gc_duration_seconds { quantile = "1.0", a = "b" } 8.3835e-05
            go_gc_duration_seconds { quantile = "2.0" a = "b" } 8.3835e-05
            go_gc_duration_seconds_count 99
            some:aggregate:rate5m{a_b="c"}	1
            # HELP go_goroutines Number of goroutines that currently exist.
            # TYPE go_goroutines gauge
            go_goroutines 33  	123123
            _metric_starting_with_underscore 1
            testmetric{_label_starting_with_underscore="foo"} 1
            testmetric{label="\"bar\""} 1
            """;
        input += "\n# HELP metric foo\0bar";
        input += "\nnull_byte_metric{a=\"abc\0\"} 1";

        var gc = "go_gc_duration_seconds";
        ParsedEntry[] expected =
        [
            ParsedEntry.Help(gc, "A summary of the GC invocation durations."),
            ParsedEntry.TypeOf(gc, MetricType.Summary),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"0\"}", 4.9351e-05, Model.Labels.Of("__name__", gc, "quantile", "0")),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"0.25\",}", 7.424100000000001e-05, Model.Labels.Of("__name__", gc, "quantile", "0.25")),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"0.5\",a=\"b\"}", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "0.5", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds{quantile=\"0.8\", a=\"b\"}", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "0.8", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds{ quantile=\"0.9\", a=\"b\"}", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "0.9", "a", "b")),
            ParsedEntry.Comment("# Hrandom comment starting with prefix of HELP"),
            ParsedEntry.Comment("#"),
            ParsedEntry.Sample("wind_speed{A=\"2\",c=\"3\"}", 12345, Model.Labels.Of("A", "2", "__name__", "wind_speed", "c", "3")),
            ParsedEntry.Comment("# comment with escaped \\n newline"),
            ParsedEntry.Comment("# comment with escaped \\ escape character"),
            ParsedEntry.Help("nohelp1", ""),
            ParsedEntry.Help("nohelp2", ""),
            ParsedEntry.Sample("go_gc_duration_seconds{ quantile=\"1.0\", a=\"b\" }", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "1.0", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds { quantile=\"1.0\", a=\"b\" }", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "1.0", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds { quantile= \"1.0\", a= \"b\", }", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "1.0", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds { quantile = \"1.0\", a = \"b\" }", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "1.0", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds { quantile = \"2.0\" a = \"b\" }", 8.3835e-05, Model.Labels.Of("__name__", gc, "quantile", "2.0", "a", "b")),
            ParsedEntry.Sample("go_gc_duration_seconds_count", 99, Model.Labels.Of("__name__", "go_gc_duration_seconds_count")),
            ParsedEntry.Sample("some:aggregate:rate5m{a_b=\"c\"}", 1, Model.Labels.Of("__name__", "some:aggregate:rate5m", "a_b", "c")),
            ParsedEntry.Help("go_goroutines", "Number of goroutines that currently exist."),
            ParsedEntry.TypeOf("go_goroutines", MetricType.Gauge),
            ParsedEntry.Sample("go_goroutines", 33, Model.Labels.Of("__name__", "go_goroutines"), ts: 123123),
            ParsedEntry.Sample("_metric_starting_with_underscore", 1, Model.Labels.Of("__name__", "_metric_starting_with_underscore")),
            ParsedEntry.Sample("testmetric{_label_starting_with_underscore=\"foo\"}", 1, Model.Labels.Of("__name__", "testmetric", "_label_starting_with_underscore", "foo")),
            ParsedEntry.Sample("testmetric{label=\"\\\"bar\\\"\"}", 1, Model.Labels.Of("__name__", "testmetric", "label", "\"bar\"")),
            ParsedEntry.Help("metric", "foo\0bar"),
            ParsedEntry.Sample("null_byte_metric{a=\"abc\0\"}", 1, Model.Labels.Of("__name__", "null_byte_metric", "a", "abc\0")),
        ];
        AssertEntries(expected, ParseAll(input, Text));
    }

    [Fact]
    public void Empty_and_blank_bodies_are_empty_expositions()
    {
        Assert.Empty(ParseAll("", Text));
        Assert.Empty(ParseAll("\n\n  \t\n", Text));
        Assert.Empty(ParseAll("   ", Text));
    }

    [Fact]
    public void Final_newline_is_optional_and_blank_lines_are_skipped()
    {
        var entries = ParseAll("\n\na 1\n\n  \nb 2 3", Text);
        Assert.Equal(["a", "b"], entries.Select(e => e.Series));
        Assert.Equal(3, entries[1].TimestampMs);
    }

    [Fact]
    public void Help_unescapes_backslash_and_newline_only()
    {
        var entries = ParseAll("# HELP m escape \\ \\n \\\\ \\\" \\x chars\n", Text);
        Assert.Equal("escape \\ \n \\ \\\" \\x chars", entries[0].Text);
    }

    [Fact]
    public void Help_keeps_everything_after_the_first_blank()
    {
        Assert.Equal(" two  spaces ", ParseAll("# HELP m  two  spaces \n", Text)[0].Text);
        Assert.Equal("tab", ParseAll("#\tHELP\t m\ttab", Text)[0].Text);
    }

    [Theory]
    [InlineData("counter", MetricType.Counter)]
    [InlineData("gauge", MetricType.Gauge)]
    [InlineData("histogram", MetricType.Histogram)]
    [InlineData("summary", MetricType.Summary)]
    [InlineData("untyped", MetricType.Unknown)]
    public void Type_keywords(string keyword, MetricType type)
    {
        var entries = ParseAll($"# TYPE m {keyword}\n", Text);
        Assert.Equal(ParsedEntry.TypeOf("m", type), entries[0] with { Text = "" });
    }

    [Theory]
    [InlineData("# HELPER m x")]
    [InlineData("# HELP")]
    [InlineData("#HELP m x")]
    [InlineData("# TYPE")]
    [InlineData("# UNIT m seconds")]
    [InlineData("# EOF")]
    [InlineData("#")]
    [InlineData("# \\xff anything goes \0 here")]
    public void Other_hash_lines_are_comments(string line)
    {
        var entries = ParseAll(line + "\n", Text);
        Assert.Equal([ParsedEntry.Comment(line)], entries);
    }

    [Fact]
    public void Label_values_unescape_quote_backslash_newline_and_keep_other_escapes()
    {
        var entries = ParseAll("m{a=\"x\\\\y\",b=\"q\\\"\",c=\"n\\n\",d=\"t\\t\",e=\"\"} 1\n", Text);
        Assert.Equal(Model.Labels.Of("__name__", "m", "a", "x\\y", "b", "q\"", "c", "n\n", "d", "t\\t"), entries[0].Labels);
    }

    [Fact]
    public void Label_values_may_hold_raw_newlines_and_unicode_in_text_format()
    {
        var entries = ParseAll("m{a=\"line1\nline2\",b=\"Heizölrückstoß €\"} 1\nn 2\n", Text);
        Assert.Equal(Model.Labels.Of("__name__", "m", "a", "line1\nline2", "b", "Heizölrückstoß €"), entries[0].Labels);
        Assert.Equal("n", entries[1].Series);
    }

    [Fact]
    public void Series_without_labels_and_with_empty_braces()
    {
        var entries = ParseAll("a 1\nb{} 2\nc {} 3\nd{}4\n", Text);
        Assert.Equal(["a", "b{}", "c {}", "d{}"], entries.Select(e => e.Series));
        Assert.All(entries, e => Assert.Single(e.Labels!));
    }

    [Fact]
    public void Timestamps_are_integer_milliseconds()
    {
        var entries = ParseAll("a 1 0\nb 1 9223372036854775807\nc 1 00042\n", Text);
        Assert.Equal([0L, long.MaxValue, 42L], entries.Select(e => e.TimestampMs!.Value));
    }

    [Fact]
    public void Series_families_follow_type_suffixes()
    {
        var entries = ParseAll(
            """
            # TYPE h histogram
            h_bucket{le="1"} 1
            h_count 1
            h_sum 1
            h_total 1
            # TYPE s summary
            s{quantile="0.5"} 1
            s_created 1
            # TYPE c_total counter
            c_total 1
            """,
            Text).Where(e => e.Kind == ExpositionEntry.Series).ToList();
        Assert.Equal(["h", "h", "h", "h_total", "s", "s_created", "c_total"], entries.Select(e => e.Family));
        Assert.Equal(
            [MetricType.Histogram, MetricType.Histogram, MetricType.Histogram, MetricType.Unknown, MetricType.Summary, MetricType.Unknown, MetricType.Counter],
            entries.Select(e => e.Type));
    }

    [Fact]
    public void Exemplars_are_not_part_of_text_format()
    {
        var error = ParseError(Utf8("a_total 1 # {a=\"b\"} 1\n"), Text);
        Assert.Equal("expected timestamp or new record, got \"#\"", error.Message);
    }

    public static TheoryData<byte[], int, int, string> Errors => new()
    {
        // From prometheus promparse_test.go TestPromParseErrors (messages in our words where noted).
        { Utf8("a"), 1, 2, "expected value after metric, got EOF" },
        { Utf8("a{b='c'} 1\n"), 1, 5, "expected label value, got \"'\"" },
        { Utf8("a{b=\n"), 1, 5, "expected label value, got \"\\n\"" },
        { Bytes("a{", 0xff, "=\"foo\"} 1\n"), 1, 3, "expected label name, got \"\\xff\"" },
        { Bytes("a{b=\"", 0xff, "\"} 1\n"), 1, 5, "invalid UTF-8 label value: \"\\\"\\xff\\\"\"" },
        { Utf8("a true\n"), 1, 3, "invalid value \"true\": invalid syntax" },
        { Utf8("something_weird{problem=\""), 1, 25, "expected label value, got \"\\\"\"" },
        { Utf8("empty_label_name{=\"\"} 0"), 1, 18, "expected label name, got \"=\"" },
        { Utf8("foo 1_2\n"), 1, 5, "unsupported character in value \"1_2\"" },
        { Utf8("foo 0x1p-3\n"), 1, 5, "unsupported character in value \"0x1p-3\"" },
        { Utf8("foo 0x1P-3\n"), 1, 5, "unsupported character in value \"0x1P-3\"" },
        { Utf8("foo 0 1_2\n"), 1, 8, "expected next entry after timestamp, got \"_2\"" },
        { Utf8("{a=\"ok\"} 1"), 1, 1, "expected a valid start token, got \"{\"" },
        { Utf8("# TYPE #\n"), 1, 8, "expected metric name after TYPE, got \"#\"" },
        { Utf8("# HELP #\n"), 1, 8, "expected metric name after HELP, got \"#\"" },
        { Utf8("# HELP \n"), 1, 8, "expected metric name after HELP, got \"\\n\"" },
        // TestPromNullByteHandling.
        { Utf8("a{b=\0\"ssss\"} 1\n"), 1, 5, "expected label value, got \"\\x00\"" },
        { Utf8("a{b=\"\0"), 1, 5, "expected label value, got \"\\\"\"" },
        { Utf8("a{b\0=\"hiih\"}\t1"), 1, 4, "expected equal, got \"\\x00\"" },
        { Utf8("a\0{b=\"ddd\"} 1"), 1, 2, "expected value after metric, got \"\\x00\"" },
        { Utf8("a 0 1\0"), 1, 6, "expected next entry after timestamp, got \"\\x00\"" },
        // Our own.
        { Utf8("\0"), 1, 1, "expected a valid start token, got \"\\x00\"" },
        { Utf8("a 1\n\0junk\n"), 2, 1, "expected a valid start token, got \"\\x00\"" },
        { Utf8("a 1 -1\n"), 1, 5, "expected timestamp or new record, got \"-1\"" },
        { Utf8("a 1 1.5\n"), 1, 6, "expected next entry after timestamp, got \".5\"" },
        { Utf8("a 1 99999999999999999999\n"), 1, 5, "timestamp \"99999999999999999999\" is out of range" },
        { Utf8("a 1 9223372036854775808\n"), 1, 5, "timestamp \"9223372036854775808\" is out of range" },
        { Utf8("a 1 2 3\n"), 1, 7, "expected next entry after timestamp, got \"3\"" },
        { Utf8("a 1 2\r\n"), 1, 6, "expected next entry after timestamp, got \"\\r\"" },
        { Utf8("a 1e400\n"), 1, 3, "value \"1e400\" is out of range" },
        { Utf8("a -1e400\n"), 1, 3, "value \"-1e400\" is out of range" },
        { Utf8("a\n"), 1, 2, "expected value after metric, got \"\\n\"" },
        { Utf8("a{b=\"c\"}\n"), 1, 9, "expected value after metric, got \"\\n\"" },
        { Utf8("a{b=\"c\"} {\n"), 1, 10, "expected value after metric, got \"{\"" },
        { Utf8("a{b=\"c\"\n} 1"), 1, 8, "expected label name, got \"\\n\"" },
        { Utf8("a{b=\"c\",,d=\"e\"} 1\n"), 1, 9, "expected label name, got \",\"" },
        { Utf8("a{,b=\"c\"} 1\n"), 1, 3, "expected label name, got \",\"" },
        { Utf8("a{b} 1\n"), 1, 4, "expected equal, got \"}\"" },
        { Utf8("a{b=c} 1\n"), 1, 5, "expected label value, got \"c\"" },
        { Utf8("a{b=\"\\\n\"} 1\n"), 1, 5, "expected label value, got \"\\\"\"" },
        { Utf8("a{1b=\"c\"} 1\n"), 1, 3, "expected label name, got \"1b\"" },
        { Utf8("a{b:c=\"c\"} 1\n"), 1, 4, "expected equal, got \":c\"" },
        { Utf8("a{b=\"c\",b=\"d\"} 1\n"), 1, 9, "label name \"b\" is duplicated" },
        { Utf8("a{b=\"c\", c=\"x\", b=\"\"} 1\n"), 1, 17, "label name \"b\" is duplicated" },
        { Utf8("a{__name__=\"x\"} 1\n"), 1, 3, "label name \"__name__\" is duplicated" },
        { Utf8("1a 1\n"), 1, 1, "expected a valid start token, got \"1a\"" },
        { Utf8("a-b 1\n"), 1, 2, "invalid value \"-b\": invalid syntax" },
        { Utf8("# TYPE a counter_x\n"), 1, 10, "invalid metric type \"counter_x\"" },
        { Utf8("# TYPE a counter \n"), 1, 10, "invalid metric type \"counter \"" },
        { Utf8("# TYPE a  counter\n"), 1, 10, "invalid metric type \" counter\"" },
        { Utf8("# TYPE a gaugehistogram\n"), 1, 10, "invalid metric type \"gaugehistogram\"" },
        { Utf8("# TYPE a unknown\n"), 1, 10, "invalid metric type \"unknown\"" },
        { Utf8("# TYPE a Counter\n"), 1, 10, "invalid metric type \"Counter\"" },
        { Utf8("# TYPE a\n"), 1, 9, "invalid metric type \"\"" },
        { Utf8("# TYPE 1a counter\n"), 1, 8, "expected metric name after TYPE, got \"1a\"" },
        { Utf8("# HELP foo.bar x\n"), 1, 11, "expected blank after metric name in HELP, got \".bar\"" },
        { Bytes("# HELP a ", 0xff, "\n"), 1, 10, "help text \"\\xff\" is not a valid utf8 string" },
        { Utf8("ok 1\nok 2\nc{d=\"e\" f} 3\n"), 3, 10, "expected equal, got \"}\"" },
        { Utf8("a{x=\"ä\",b='c'} 1\n"), 1, 11, "expected label value, got \"'\"" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Malformed_input_is_an_error_with_position(byte[] input, int line, int column, string message)
    {
        var error = ParseError(input, Text);
        Assert.Equal(message, error.Message);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal($"line {line}, column {column}: {message}", error.ToString());
    }

    [Fact]
    public void Error_carries_offset_and_snippet_and_is_sticky()
    {
        var body = Utf8("ok 1\nsomething{a=\"b\",c='d'} 1\nmore 2\n");
        var parser = new ExpositionParser(body, Text);
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal(ExpositionEntry.Error, parser.Next());
        var error = parser.Error!;
        Assert.Equal(23, error.Offset);
        Assert.Equal("something{a=\"b\",c='", error.Snippet);
        Assert.Equal(ExpositionEntry.Error, parser.Next());
        Assert.Same(error, parser.Error);
        Assert.True(parser.Series.IsEmpty);
        var thrown = Assert.Throws<ExpositionFormatException>(() =>
        {
            var p = new ExpositionParser(body, Text);
            while (p.Next() is not (ExpositionEntry.Eof or ExpositionEntry.Error))
            {
            }
            p.ThrowIfError();
        });
        Assert.Equal("line 2, column 19: expected label value, got \"'\"", thrown.Message);
        Assert.Equal(2, thrown.Line);
        Assert.Equal(19, thrown.Column);
        Assert.Equal("expected label value, got \"'\"", thrown.Reason);
        Assert.Equal("something{a=\"b\",c='", thrown.Snippet);
    }

    [Fact]
    public void Long_snippets_are_cut_to_the_end_near_the_error()
    {
        var body = Utf8("m{" + string.Concat(Enumerable.Range(0, 100).Select(i => $"l{i}=\"v\",")) + "x='y'} 1\n");
        var error = ParseError(body, Text);
        Assert.StartsWith("...", error.Snippet, StringComparison.Ordinal);
        Assert.EndsWith("x='", error.Snippet, StringComparison.Ordinal);
        Assert.True(error.Snippet.Length <= 203);
    }

    [Fact]
    public void Eof_is_sticky()
    {
        var parser = new ExpositionParser(Utf8("a 1\n"), Text);
        Assert.Equal(ExpositionEntry.None, parser.Entry);
        Assert.Equal(ExpositionEntry.Series, parser.Next());
        Assert.Equal(ExpositionEntry.Eof, parser.Next());
        Assert.Equal(ExpositionEntry.Eof, parser.Next());
        Assert.Null(parser.Error);
        parser.ThrowIfError();
    }

    [Fact]
    public void Accessors_are_empty_for_other_entries()
    {
        var parser = new ExpositionParser(Utf8("# HELP a b\na 1 5\n# c\n"), Text);
        parser.Next();
        Assert.Equal("a", parser.GetMetricName());
        Assert.True(parser.Series.IsEmpty);
        Assert.Null(parser.TimestampMs);
        Assert.Equal("", parser.GetUnit());
        Assert.Equal("", parser.GetComment());
        var builder = new LabelsBuilder().Set("x", "y");
        parser.Labels(builder);
        Assert.Equal(0, builder.Count);
        Assert.False(parser.TryGetExemplar(out _));
        parser.Next();
        Assert.Equal("", parser.GetHelp());
        Assert.Equal(5, parser.TimestampMs);
        parser.Next();
        Assert.Equal("# c", parser.GetComment());
        Assert.True(parser.MetricName.IsEmpty);
        Assert.Equal(0, parser.Value);
    }

    [Fact]
    public void Many_labels_spill_past_the_inline_buffer()
    {
        var labels = Enumerable.Range(0, 60).Select(i => $"l{i:D2}=\"v{i}\"");
        var entries = ParseAll("m{" + string.Join(',', labels) + "} 1\n", Text);
        Assert.Equal(61, entries[0].Labels!.Count);
        Assert.Equal("v59", entries[0].Labels!.Get("l59"));
        var dup = ParseError(Utf8("m{" + string.Join(',', labels) + ",l45=\"x\"} 1\n"), Text);
        Assert.Equal("label name \"l45\" is duplicated", dup.Message);
    }
}
