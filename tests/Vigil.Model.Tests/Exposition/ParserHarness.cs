using System.Text;
using Vigil.Model;
using Vigil.Model.Exposition;

namespace Vigil.Model.Tests.Exposition;

/// <summary>One parsed entry, copied out of the parser so tests can compare lists of them.</summary>
internal sealed record ParsedEntry(
    ExpositionEntry Kind,
    string Name = "",
    string Text = "",
    MetricType Type = MetricType.Unknown,
    string Series = "",
    double Value = 0,
    long? TimestampMs = null,
    Model.Labels? Labels = null,
    Exemplar? Exemplar = null,
    string Family = "")
{
    public static ParsedEntry Help(string name, string help) => new(ExpositionEntry.Help, name, help);

    public static ParsedEntry TypeOf(string name, MetricType type) => new(ExpositionEntry.Type, name, Type: type);

    public static ParsedEntry Unit(string name, string unit) => new(ExpositionEntry.Unit, name, unit);

    public static ParsedEntry Comment(string text) => new(ExpositionEntry.Comment, Text: text);

    public static ParsedEntry Sample(string series, double value, Model.Labels labels, long? ts = null, Exemplar? exemplar = null) =>
        new(ExpositionEntry.Series, labels.MetricName, Series: series, Value: value, TimestampMs: ts, Labels: labels, Exemplar: exemplar);
}

internal static class ParserHarness
{
    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>Builds bytes from strings (UTF-8) and single bytes, for inputs with invalid UTF-8.</summary>
    public static byte[] Bytes(params object[] parts)
    {
        var list = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case string s: list.AddRange(Encoding.UTF8.GetBytes(s)); break;
                case byte b: list.Add(b); break;
                case int i: list.Add(checked((byte)i)); break;
                default: throw new ArgumentException("string or byte", nameof(parts));
            }
        }
        return [.. list];
    }

    /// <summary>Every entry up to Eof or Error, copied out; <paramref name="error"/> is the error, if any.</summary>
    public static List<ParsedEntry> ParseAll(ReadOnlySpan<byte> body, ExpositionFormat format, out ExpositionError? error)
    {
        var result = new List<ParsedEntry>();
        var parser = new ExpositionParser(body, format);
        var builder = new LabelsBuilder();
        for (var guard = 0; guard <= body.Length + 2; guard++)
        {
            var entry = parser.Next();
            switch (entry)
            {
                case ExpositionEntry.Eof:
                    error = null;
                    return result;
                case ExpositionEntry.Error:
                    error = parser.Error;
                    Assert.NotNull(error);
                    return result;
                case ExpositionEntry.Help:
                    result.Add(new ParsedEntry(entry, parser.GetMetricName(), parser.GetHelp()));
                    break;
                case ExpositionEntry.Type:
                    result.Add(new ParsedEntry(entry, parser.GetMetricName(), Type: parser.Type));
                    break;
                case ExpositionEntry.Unit:
                    result.Add(new ParsedEntry(entry, parser.GetMetricName(), parser.GetUnit()));
                    break;
                case ExpositionEntry.Comment:
                    result.Add(new ParsedEntry(entry, Text: parser.GetComment()));
                    break;
                case ExpositionEntry.Series:
                    parser.Labels(builder);
                    parser.TryGetExemplar(out var exemplar);
                    result.Add(new ParsedEntry(
                        entry,
                        parser.GetMetricName(),
                        Type: parser.Type,
                        Series: Encoding.UTF8.GetString(parser.Series),
                        Value: parser.Value,
                        TimestampMs: parser.TimestampMs,
                        Labels: builder.ToLabels(),
                        Exemplar: exemplar,
                        Family: parser.GetFamilyName()));
                    break;
                default:
                    throw new InvalidOperationException($"unexpected entry {entry}");
            }
        }
        throw new InvalidOperationException("parser did not terminate");
    }

    public static List<ParsedEntry> ParseAll(string body, ExpositionFormat format)
    {
        var entries = ParseAll(Utf8(body), format, out var error);
        Assert.True(error is null, $"unexpected error: {error}");
        return entries;
    }

    public static ExpositionError ParseError(ReadOnlySpan<byte> body, ExpositionFormat format)
    {
        ParseAll(body, format, out var error);
        Assert.True(error is not null, "expected a parse error");
        return error;
    }

    /// <summary>Compares entries field by field, ignoring Type/Family on series (tests check those on purpose).</summary>
    public static void AssertEntries(IReadOnlyList<ParsedEntry> expected, IReadOnlyList<ParsedEntry> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.True(e.Kind == a.Kind, $"entry {i}: kind {a.Kind}, expected {e.Kind} ({a})");
            switch (e.Kind)
            {
                case ExpositionEntry.Series:
                    Assert.Equal(e.Series, a.Series);
                    AssertSameDouble(e.Value, a.Value);
                    Assert.Equal(e.TimestampMs, a.TimestampMs);
                    Assert.Equal(e.Labels, a.Labels);
                    Assert.Equal(e.Exemplar, a.Exemplar);
                    break;
                case ExpositionEntry.Type:
                    Assert.Equal(e.Name, a.Name);
                    Assert.Equal(e.Type, a.Type);
                    break;
                default:
                    Assert.Equal(e.Name, a.Name);
                    Assert.Equal(e.Text, a.Text);
                    break;
            }
        }
        Assert.Equal(expected.Count, actual.Count);
    }

    public static void AssertSameDouble(double expected, double actual)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"expected NaN, got {actual}");
            return;
        }
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
    }
}
