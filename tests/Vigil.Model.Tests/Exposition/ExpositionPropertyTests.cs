using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vigil.Model.Exposition;

namespace Vigil.Model.Tests.Exposition;

public sealed class ExpositionPropertyTests
{
    private static readonly MetricType[] s_textTypes = [MetricType.Counter, MetricType.Gauge, MetricType.Histogram, MetricType.Summary, MetricType.Unknown];

    private static readonly MetricType[] s_omTypes =
        [MetricType.Counter, MetricType.Gauge, MetricType.Histogram, MetricType.GaugeHistogram, MetricType.Summary, MetricType.Info, MetricType.StateSet, MetricType.Unknown];

    [Property(MaxTest = 300)]
    public Property Text_format_round_trips() => RoundTrip(ExpositionFormat.PrometheusText);

    [Property(MaxTest = 300)]
    public Property OpenMetrics_round_trips() => RoundTrip(ExpositionFormat.OpenMetrics);

    [Property(MaxTest = 3000)]
    public void Arbitrary_bytes_parse_or_fail_with_a_format_error(byte[] body)
    {
        AssertParsesOrFails(body);
    }

    [Property(MaxTest = 1000)]
    public Property Mutated_valid_bodies_parse_or_fail_with_a_format_error() =>
        Prop.ForAll(MutatedBodies().ToArbitrary(), body => AssertParsesOrFails(body));

    private static Property RoundTrip(ExpositionFormat format) =>
        Prop.ForAll(FamilyLists(format).ToArbitrary(), families =>
        {
            var body = ExpositionSerializer.ToUtf8Bytes(families, format);
            IReadOnlyList<MetricFamily> read;
            try
            {
                read = ExpositionReader.ReadFamilies(body, format);
            }
            catch (ExpositionFormatException e)
            {
                throw new InvalidOperationException(e.Message + "\n" + Encoding.UTF8.GetString(body), e);
            }
            FamilyAssert.Equal(families, read);
        });

    private static void AssertParsesOrFails(byte[] body)
    {
        foreach (var format in new[] { ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics })
        {
            ParserHarness.ParseAll(body, format, out var error);
            if (error is not null)
            {
                Assert.InRange(error.Offset, 0, body.Length);
            }
            try
            {
                ExpositionReader.ReadFamilies(body, format);
            }
            catch (ExpositionFormatException)
            {
            }
        }
    }

    // ---- generators ----

    private static Gen<byte[]> MutatedBodies()
    {
        var seeds = new[]
        {
            SampleBodies.Generate(20, ExpositionFormat.PrometheusText),
            SampleBodies.Generate(20, ExpositionFormat.OpenMetrics),
            "# TYPE c counter\nc_total{a=\"b\"} 1 2 # {t=\"x\"} 3 4\n# EOF\n"u8.ToArray(),
        };
        var interesting = Gen.Elements<byte>(0, (byte)'\n', (byte)' ', (byte)'\t', (byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'=', (byte)',', (byte)'#', (byte)'e', (byte)'.', (byte)'-', 0xff, 0xc3, 0x80);
        var anyByte = Gen.Choose(0, 255).Select(i => (byte)i);
        var edit = from kind in Gen.Choose(0, 2)
                   from at in Gen.Choose(0, int.MaxValue)
                   from b in Gen.Frequency((3, interesting), (1, anyByte))
                   select (kind, at, b);
        return from seed in Gen.Elements(seeds)
               from edits in Gen.ListOf(edit, 6)
               select Mutate(seed, edits);
    }

    private static byte[] Mutate(byte[] seed, IEnumerable<(int Kind, int Where, byte Byte)> edits)
    {
        var bytes = new List<byte>(seed);
        foreach (var (kind, where, b) in edits)
        {
            var i = bytes.Count == 0 ? 0 : where % bytes.Count;
            switch (kind)
            {
                case 0 when bytes.Count > 0: bytes[i] = b; break;
                case 1: bytes.Insert(i, b); break;
                case 2 when bytes.Count > 0: bytes.RemoveAt(i); break;
                default: break;
            }
        }
        return [.. bytes];
    }

    private static Gen<MetricFamily[]> FamilyLists(ExpositionFormat format) =>
        from count in Gen.Choose(0, 6)
        from families in Gen.ArrayOf(Family(format), count)
        select families.Select((f, i) => Rename(f, i)).ToArray();

    // Family names end in "_<index>" (before an optional unit), so no family's name is another's plus a type suffix.
    private static MetricFamily Rename(MetricFamily f, int index)
    {
        var (prefix, unit) = (f.Name, f.Unit);
        var name = unit is null ? $"{prefix}_{index}" : $"{prefix}_{index}_{unit}";
        var samples = f.Samples
            .Select(s => s with { Labels = new LabelsBuilder(s.Labels).Set(Label.MetricName, name + s.Labels.MetricName[1..]).ToLabels() })
            .ToList();
        return new MetricFamily(name, f.Type, samples, f.Help, f.Unit);
    }

    // Builds a family whose Name is a prefix (renamed later) and whose samples' __name__ holds only their suffix.
    private static Gen<MetricFamily> Family(ExpositionFormat format)
    {
        var om = format == ExpositionFormat.OpenMetrics;
        return from prefix in MetricNamePrefix()
               from type in Gen.Elements(om ? s_omTypes : s_textTypes)
               from help in Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Text().Select(s => (string?)s)))
               from unit in om ? Gen.Elements<string?>(null, null, "seconds", "bytes", "ratio") : Gen.Constant<string?>(null)
               from sampleCount in Gen.Choose(1, 4)
               from samples in Gen.ArrayOf(Sample(type, format), sampleCount)
               select new MetricFamily(prefix, type, samples, help, unit);
    }

    private static Gen<MetricSample> Sample(MetricType type, ExpositionFormat format)
    {
        var om = format == ExpositionFormat.OpenMetrics;
        string[] suffixes = type switch
        {
            MetricType.Counter => om ? ["_total", "_created"] : [""],
            MetricType.Histogram => om ? ["_bucket", "_count", "_sum", "_created"] : ["_bucket", "_count", "_sum"],
            MetricType.GaugeHistogram => ["_bucket", "_gcount", "_gsum"],
            MetricType.Summary => om ? ["", "_count", "_sum", "_created"] : ["", "_count", "_sum"],
            MetricType.Info => ["_info"],
            _ => [""],
        };
        return from suffix in Gen.Elements(suffixes)
               from labels in LabelSet(suffix)
               from value in Value()
               from ts in Timestamp(om)
               from exemplar in om && ((type == MetricType.Counter && suffix == "_total") || (type is MetricType.Histogram or MetricType.GaugeHistogram && suffix == "_bucket"))
                   ? Gen.Frequency((1, Gen.Constant<Exemplar?>(null)), (2, ExemplarGen()))
                   : Gen.Constant<Exemplar?>(null)
               select new MetricSample(labels, value, ts, exemplar);
    }

    private static Gen<Model.Labels> LabelSet(string metricSuffix) =>
        from names in Gen.ListOf(LabelName(), 4)
        from values in Gen.ArrayOf(Text(), 4)
        select BuildLabels(metricSuffix, names, values);

    // __name__ holds "#" + the metric-name suffix until Rename puts the family name in front.
    private static Model.Labels BuildLabels(string metricSuffix, IEnumerable<string> names, string[] values)
    {
        var builder = new LabelsBuilder();
        var i = 0;
        foreach (var name in names.Distinct(StringComparer.Ordinal).Where(n => n != Label.MetricName))
        {
            builder.Set(name, values[i++ % values.Length]);
        }
        return builder.Set(Label.MetricName, "#" + metricSuffix).ToLabels();
    }

    private static Gen<Exemplar?> ExemplarGen() =>
        from names in Gen.ListOf(LabelName(), 2)
        from values in Gen.ArrayOf(ShortText(), 2)
        from value in Value()
        from ts in Timestamp(openMetrics: true)
        select (Exemplar?)new Exemplar(
            Model.Labels.From(names.Distinct(StringComparer.Ordinal).Select((n, i) => new Label(n, values[i % values.Length]))),
            value,
            ts);

    private static Gen<string> MetricNamePrefix() =>
        from first in Gen.Elements("abcxyzABZ_:".ToCharArray())
        from rest in Gen.ArrayOf(Gen.Elements("abcz09_:Q".ToCharArray()), 5)
        select first + new string(rest);

    private static Gen<string> LabelName() =>
        from first in Gen.Elements("abcleqAZ_".ToCharArray())
        from rest in Gen.ArrayOf(Gen.Elements("abz09_".ToCharArray()), 4)
        select first + new string(rest);

    private static Gen<string> ShortText() =>
        Gen.ArrayOf(RuneGen(), 3).Select(runes => string.Concat(runes.Select(r => r.ToString())));

    private static Gen<string> Text() =>
        from length in Gen.Choose(0, 12)
        from runes in Gen.ArrayOf(RuneGen(), length)
        select string.Concat(runes.Select(r => r.ToString()));

    private static Gen<Rune> RuneGen() => Gen.Frequency(
        (6, Gen.Choose(0x20, 0x7e).Select(i => new Rune(i))),
        (3, Gen.Elements('\\', '"', '\n', '\t', '\r', '\0', '{', '}', ',', '=', '#', ' ').Select(c => new Rune(c))),
        (1, Gen.Choose(0x80, 0x10FFFF).Where(i => i is < 0xD800 or > 0xDFFF).Select(i => new Rune(i))));

    private static Gen<double> Value() => Gen.Frequency(
        (3, Gen.Elements(0.0, -0.0, 1.0, -1.0, 0.1, 1e-300, 5e-324, double.MaxValue, double.MinValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e21, 123456.7)),
        (3, Gen.Choose(-1_000_000, 1_000_000).Select(i => (double)i)),
        (4, Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(t => BitConverter.Int64BitsToDouble(((long)t.Item1 << 32) | (uint)t.Item2))));

    // Text 0.0.4 timestamps are [0-9]+ (Prometheus's lexer has no sign); OpenMetrics takes any int64 millisecond.
    private static Gen<long?> Timestamp(bool openMetrics) => Gen.Frequency(
        (2, Gen.Constant<long?>(null)),
        (1, Gen.Elements<long?>(0, 1, 999, 1000, 1700000000123, long.MaxValue, openMetrics ? long.MinValue : 5, openMetrics ? -1 : 7)),
        (2, Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Choose(0, int.MaxValue))
            .Select(t => (long?)((((long)t.Item1 << 31) | (uint)t.Item2) * (openMetrics && (t.Item2 & 1) == 1 ? -1 : 1)))));
}
