using Vigil.Model.Exposition;
using static Vigil.Model.Tests.Exposition.ParserHarness;

namespace Vigil.Model.Tests.Exposition;

/// <summary>Every input cut at every byte: the parser must end in Eof or a positioned Error, never throw or loop.</summary>
public sealed class BoundaryTests
{
    private static readonly string[] s_validText =
    [
        "# HELP a Help \\\\ with \\n escapes.\n# TYPE a counter\na{b=\"c\\\"d\",e=\"f\"} 1.5e-3 1700000000000\n# comment\n\n  b { x = \"y\" } NaN\nc +Inf\n",
        "x{a=\"multi\nline\"} -Inf 0\nx 1",
    ];

    private static readonly string[] s_validOpenMetrics =
    [
        "# HELP a Help \\\"quoted\\\".\n# TYPE a counter\n# UNIT a_bytes bytes\na_total{b=\"c\"} 1 1.5 # {t=\"x\"} 2 3.25\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3 # {} 1\nh_count 3\nh_created 1.7e9\n# EOF\n",
        "# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n# TYPE i info\ni_info{v=\"1\"} 1\n# EOF",
    ];

    public static TheoryData<byte[], ExpositionFormat> Inputs()
    {
        var data = new TheoryData<byte[], ExpositionFormat>();
        foreach (var s in s_validText)
        {
            data.Add(Utf8(s), ExpositionFormat.PrometheusText);
        }
        foreach (var s in s_validOpenMetrics)
        {
            data.Add(Utf8(s), ExpositionFormat.OpenMetrics);
        }
        foreach (var row in TextParserTests.Errors)
        {
            data.Add((byte[])row[0], ExpositionFormat.PrometheusText);
        }
        foreach (var row in OpenMetricsParserTests.Errors)
        {
            data.Add((byte[])row[0], ExpositionFormat.OpenMetrics);
        }
        data.Add(SampleBodies.Generate(40, ExpositionFormat.PrometheusText), ExpositionFormat.PrometheusText);
        data.Add(SampleBodies.Generate(40, ExpositionFormat.OpenMetrics), ExpositionFormat.OpenMetrics);
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_prefix_and_suffix_parses_to_eof_or_a_positioned_error(byte[] body, ExpositionFormat format)
    {
        for (var cut = 0; cut <= body.Length; cut++)
        {
            foreach (var part in new[] { body.AsMemory(0, cut), body.AsMemory(cut) })
            {
                foreach (var f in new[] { format, format == ExpositionFormat.OpenMetrics ? ExpositionFormat.PrometheusText : ExpositionFormat.OpenMetrics })
                {
                    ParseAll(part.Span, f, out var error);
                    if (error is not null)
                    {
                        Assert.InRange(error.Offset, 0, part.Length);
                        Assert.True(error.Line >= 1 && error.Column >= 1, error.ToString());
                        Assert.NotEmpty(error.Message);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Cutting_after_an_entry_keeps_the_entries_before_it(byte[] body, ExpositionFormat format)
    {
        var full = ParseAll(body, format, out var fullError);
        if (fullError is not null)
        {
            return;
        }
        var ends = EntryEnds(body, format);
        Assert.Equal(full.Count, ends.Count);
        for (var k = 0; k < ends.Count; k++)
        {
            var prefix = body.AsSpan(0, ends[k]).ToArray();
            if (format == ExpositionFormat.OpenMetrics)
            {
                prefix = [.. prefix, .. "# EOF\n"u8];
            }
            var entries = ParseAll(prefix, format, out var error);
            Assert.Null(error);
            AssertEntries(full.Take(k + 1).ToList(), entries);
        }
    }

    private static List<int> EntryEnds(byte[] body, ExpositionFormat format)
    {
        var ends = new List<int>();
        var parser = new ExpositionParser(body, format);
        while (parser.Next() is not (ExpositionEntry.Eof or ExpositionEntry.Error))
        {
            ends.Add(parser.Position);
        }
        return ends;
    }
}
