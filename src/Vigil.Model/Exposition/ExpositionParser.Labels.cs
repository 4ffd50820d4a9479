using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Vigil.Model.Exposition;

// Label sets: scanning `name="value"` pairs, remembering where they are, and unescaping on demand.
public ref partial struct ExpositionParser
{
    // OpenMetrics 1.0, "Exemplars": names and values together at most 128 UTF-8 code points.
    private const int MaxExemplarRunes = 128;

    private readonly LabelSpan GetSpan(int index) =>
        index < LabelSpanBuffer.Capacity ? _spans[index] : _spill![index - LabelSpanBuffer.Capacity];

    private void AddSpan(in LabelSpan span)
    {
        var index = _labelCount + _exemplarLabelCount;
        if (index < LabelSpanBuffer.Capacity)
        {
            _spans[index] = span;
            return;
        }
        var spill = index - LabelSpanBuffer.Capacity;
        if (_spill is null || spill >= _spill.Length)
        {
            Array.Resize(ref _spill, Math.Max(16, spill * 2));
        }
        _spill[spill] = span;
    }

    // What ends a run of plain bytes inside a quoted value; the first non-ASCII byte also stops the scan once,
    // so the UTF-8 check runs only for values that need it.
    private static readonly SearchValues<byte> s_quotedStopsText = SearchValues.Create(QuotedStops(newline: false));
    private static readonly SearchValues<byte> s_quotedStopsOpenMetrics = SearchValues.Create(QuotedStops(newline: true));
    private static readonly SearchValues<byte> s_quotedStopsTextAscii = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> s_quotedStopsOpenMetricsAscii = SearchValues.Create("\"\\\n"u8);

    private static byte[] QuotedStops(bool newline)
    {
        var stops = new List<byte> { (byte)'"', (byte)'\\' };
        if (newline)
        {
            stops.Add((byte)'\n');
        }
        for (var b = 0x80; b <= 0xFF; b++)
        {
            stops.Add((byte)b);
        }
        return [.. stops];
    }

    /// <summary>
    /// Scans one quoted label value whose opening quote is at <paramref name="quote"/>: returns the index of the
    /// closing quote, or -1 when the string does not end. Both formats allow <c>\</c> before any byte but a newline
    /// (the lexers' <c>\\.</c>); text 0.0.4 allows raw newlines inside values, OpenMetrics does not.
    /// </summary>
    private readonly int ScanQuoted(int quote, out bool hasEscape, out bool nonAscii)
    {
        hasEscape = false;
        nonAscii = false;
        var body = _body;
        var p = quote + 1;
        var openMetrics = _format == ExpositionFormat.OpenMetrics;
        var stops = openMetrics ? s_quotedStopsOpenMetrics : s_quotedStopsText;
        while (true)
        {
            if ((uint)p >= (uint)body.Length)
            {
                return -1;
            }
            var i = body[p..].IndexOfAny(stops);
            if (i < 0)
            {
                return -1;
            }
            p += i;
            var b = body[p];
            if (b == (byte)'"')
            {
                return p;
            }
            if (b >= 0x80)
            {
                nonAscii = true;
                stops = openMetrics ? s_quotedStopsOpenMetricsAscii : s_quotedStopsTextAscii;
                p++;
                continue;
            }
            if (b == (byte)'\n')
            {
                return -1;
            }
            if (p + 1 >= body.Length || body[p + 1] == (byte)'\n')
            {
                return -1;
            }
            hasEscape = true;
            p += 2;
        }
    }

    /// <summary>
    /// After a label name at <paramref name="nameStart"/>..<paramref name="nameEnd"/> and its quoted value, records it;
    /// fails on invalid UTF-8 and on a name already in this set (the series' own name counts as <c>__name__</c>).
    /// </summary>
    private bool AddLabel(int nameStart, int nameEnd, int quote, int close, bool hasEscape, bool nonAscii, bool exemplar)
    {
        var body = _body;
        if (nonAscii && !Utf8.IsValid(body.Slice(quote + 1, close - quote - 1)))
        {
            Fail(quote, "invalid UTF-8 label value: " + GoQuote.Quote(body.Slice(quote, close - quote + 1)));
            return false;
        }
        var name = body[nameStart..nameEnd];
        var first = exemplar ? _labelCount : 0;
        var count = exemplar ? _exemplarLabelCount : _labelCount;
        var duplicate = !exemplar && name.SequenceEqual("__name__"u8);
        for (var i = 0; !duplicate && i < count; i++)
        {
            var other = GetSpan(first + i);
            duplicate = other.NameLength == name.Length && body.Slice(other.NameStart, other.NameLength).SequenceEqual(name);
        }
        if (duplicate)
        {
            Fail(nameStart, "label name " + GoQuote.Quote(name) + " is duplicated");
            return false;
        }
        AddSpan(new LabelSpan(nameStart, nameEnd - nameStart, quote + 1, close - quote - 1, hasEscape));
        if (exemplar)
        {
            _exemplarLabelCount++;
        }
        else
        {
            _labelCount++;
        }
        return true;
    }

    /// <summary>
    /// Code points in the current exemplar's label names and (unescaped) values: Prometheus stores an
    /// exemplar only when this is at most 128 (<c>ErrExemplarLabelLength</c> otherwise).
    /// </summary>
    public readonly int ExemplarLabelRunes => _hasExemplar ? ExemplarRuneCount() : 0;

    private readonly int ExemplarRuneCount()
    {
        var runes = 0;
        for (var i = 0; i < _exemplarLabelCount; i++)
        {
            var span = GetSpan(_labelCount + i);
            runes += span.NameLength; // label names are ASCII
            var value = _body.Slice(span.ValueStart, span.ValueLength);
            for (var j = 0; j < value.Length; j++)
            {
                var b = value[j];
                if ((b & 0xC0) != 0x80)
                {
                    runes++;
                }
                if (b == (byte)'\\' && j + 1 < value.Length && value[j + 1] is (byte)'\\' or (byte)'"' or (byte)'n')
                {
                    j++;
                }
            }
        }
        return runes;
    }

    private readonly string LabelValue(in LabelSpan span)
    {
        var raw = _body.Slice(span.ValueStart, span.ValueLength);
        return span.ValueHasEscape ? Unescape(raw, unescapeQuote: true) : Encoding.UTF8.GetString(raw);
    }

    /// <summary>
    /// Prometheus's <c>lvalReplacer</c> (<c>\\</c>, <c>\"</c>, <c>\n</c>) or, without <paramref name="unescapeQuote"/>,
    /// its <c>helpReplacer</c> (<c>\\</c>, <c>\n</c>). Other backslashes are kept with the byte after them.
    /// </summary>
    private static string Unescape(ReadOnlySpan<byte> raw, bool unescapeQuote)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(raw);
        }
        byte[]? rented = null;
        var buffer = raw.Length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            var n = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b == (byte)'\\' && i + 1 < raw.Length)
                {
                    var next = raw[i + 1];
                    if (next == (byte)'\\' || (next == (byte)'"' && unescapeQuote))
                    {
                        buffer[n++] = next;
                        i++;
                        continue;
                    }
                    if (next == (byte)'n')
                    {
                        buffer[n++] = (byte)'\n';
                        i++;
                        continue;
                    }
                }
                buffer[n++] = b;
            }
            return Encoding.UTF8.GetString(buffer[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
