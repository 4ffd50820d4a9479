using System.Globalization;

namespace Vigil.Instrumentation.Tests;

/// <summary>Just enough reading of an exposition for assertions: sample values by their exact series text.</summary>
internal static class MetricsText
{
    /// <summary>The value of the sample whose series is written exactly as <paramref name="series"/>, or null.</summary>
    public static double? Value(string exposition, string series)
    {
        foreach (var line in Lines(exposition))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                var value = line[(series.Length + 1)..].Split(' ')[0];
                return value switch
                {
                    "+Inf" => double.PositiveInfinity,
                    "-Inf" => double.NegativeInfinity,
                    "NaN" => double.NaN,
                    _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
                };
            }
        }
        return null;
    }

    /// <summary>The value of <paramref name="series"/>, failing the test with the exposition when absent.</summary>
    public static double Require(string exposition, string series)
        => Value(exposition, series) ?? throw new Xunit.Sdk.XunitException($"no sample {series} in:\n{exposition}");

    /// <summary>Every sample line of metric <paramref name="name"/> (exactly that name, with or without labels).</summary>
    public static List<string> Samples(string exposition, string name)
        => [.. Lines(exposition).Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))];

    public static string[] Lines(string exposition) => exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
