namespace Vigil.Model.Exposition;

/// <summary>Reads a whole exposition body into <see cref="MetricFamily"/> objects. Allocates freely; for tests and tools.</summary>
public static class ExpositionReader
{
    /// <summary>
    /// Parses <paramref name="body"/> into families in order. HELP, TYPE and UNIT lines start a family (or
    /// describe the current one while it has no samples); a sample joins the current family when its name is
    /// the family's name or that name plus a suffix the type allows, and otherwise starts an untyped family of its own.
    /// </summary>
    /// <exception cref="ExpositionFormatException">The body is malformed.</exception>
    public static IReadOnlyList<MetricFamily> ReadFamilies(ReadOnlySpan<byte> body, ExpositionFormat format)
    {
        var families = new List<MetricFamily>();
        var parser = new ExpositionParser(body, format);
        var builder = new LabelsBuilder();
        Pending? current = null;
        while (true)
        {
            switch (parser.Next())
            {
                case ExpositionEntry.Eof:
                    Flush(families, current);
                    return families;
                case ExpositionEntry.Error:
                    parser.ThrowIfError();
                    break;
                case ExpositionEntry.Help:
                case ExpositionEntry.Type:
                case ExpositionEntry.Unit:
                    var name = parser.GetMetricName();
                    if (current is null || current.Name != name || current.Samples.Count > 0)
                    {
                        Flush(families, current);
                        current = new Pending(name);
                    }
                    switch (parser.Entry)
                    {
                        case ExpositionEntry.Help:
                            current.Help = parser.GetHelp();
                            break;
                        case ExpositionEntry.Type:
                            current.Type = parser.Type;
                            break;
                        default:
                            current.Unit = parser.GetUnit();
                            break;
                    }
                    break;
                case ExpositionEntry.Series:
                    var family = parser.GetFamilyName();
                    if (current is null || current.Name != family)
                    {
                        Flush(families, current);
                        current = new Pending(family) { Type = parser.Type };
                    }
                    parser.Labels(builder);
                    parser.TryGetExemplar(out var exemplar);
                    current.Samples.Add(new MetricSample(builder.ToLabels(), parser.Value, parser.TimestampMs, exemplar));
                    break;
                default:
                    break;
            }
        }
    }

    private static void Flush(List<MetricFamily> families, Pending? pending)
    {
        if (pending is not null)
        {
            families.Add(new MetricFamily(pending.Name, pending.Type, pending.Samples, pending.Help, pending.Unit));
        }
    }

    private sealed class Pending(string name)
    {
        public string Name { get; } = name;

        public MetricType Type { get; set; }

        public string? Help { get; set; }

        public string? Unit { get; set; }

        public List<MetricSample> Samples { get; } = [];
    }
}
