namespace Vigil.Model.Exposition;

/// <summary>Byte classes of the exposition grammars (metric names <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, label names <c>[a-zA-Z_][a-zA-Z0-9_]*</c>).</summary>
internal static class ExpositionChars
{
    private const byte MetricStart = 1;
    private const byte MetricChar = 2;
    private const byte LabelStart = 4;
    private const byte LabelChar = 8;

    // One lookup per byte instead of four range compares; built once.
    private static readonly byte[] s_classes = BuildClasses();

    public static bool IsMetricNameStart(byte b) => (s_classes[b] & MetricStart) != 0;

    public static bool IsMetricNameChar(byte b) => (s_classes[b] & MetricChar) != 0;

    public static bool IsLabelNameStart(byte b) => (s_classes[b] & LabelStart) != 0;

    public static bool IsLabelNameChar(byte b) => (s_classes[b] & LabelChar) != 0;

    /// <summary>The end of the metric name starting at <paramref name="start"/> (whose first byte the caller checked).</summary>
    public static int ScanMetricName(ReadOnlySpan<byte> body, int start)
    {
        var p = start + 1;
        while ((uint)p < (uint)body.Length && IsMetricNameChar(body[p]))
        {
            p++;
        }
        return p;
    }

    /// <summary>The end of the label name starting at <paramref name="start"/> (whose first byte the caller checked).</summary>
    public static int ScanLabelName(ReadOnlySpan<byte> body, int start)
    {
        var p = start + 1;
        while ((uint)p < (uint)body.Length && IsLabelNameChar(body[p]))
        {
            p++;
        }
        return p;
    }

    private static byte[] BuildClasses()
    {
        var t = new byte[256];
        for (var c = 'a'; c <= 'z'; c++)
        {
            t[c] = t[c - 32] = MetricStart | MetricChar | LabelStart | LabelChar;
        }
        for (var c = '0'; c <= '9'; c++)
        {
            t[c] = MetricChar | LabelChar;
        }
        t['_'] = MetricStart | MetricChar | LabelStart | LabelChar;
        t[':'] = MetricStart | MetricChar;
        return t;
    }
}
