namespace Vigil.Model.Exposition;

// OpenMetrics 1.0 text (OpenMetrics.md, "Text format"; prometheus/model/textparse/openmetricslex.l):
// single spaces between tokens, every line ends in '\n', no blank lines or free comments,
// and the body ends with "# EOF" (its newline optional) and nothing after it.
public ref partial struct ExpositionParser
{
    private ExpositionEntry NextOpenMetrics()
    {
        var body = _body;
        var p = _pos;
        _lineStart = p;
        if (p >= body.Length)
        {
            return Fail(p, "data does not end with # EOF");
        }
        var c = body[p];
        if (ExpositionChars.IsMetricNameStart(c))
        {
            return OpenMetricsSeries(p);
        }
        if (c == (byte)'#')
        {
            return OpenMetricsDescriptor(p);
        }
        return FailExpected(p, "a valid start token");
    }

    private ExpositionEntry OpenMetricsDescriptor(int start)
    {
        var body = _body;
        var rest = body[start..];
        if (rest.StartsWith("# EOF"u8))
        {
            var p = start + 5;
            if (p < body.Length && body[p] == (byte)'\n')
            {
                p++;
            }
            if (p < body.Length)
            {
                return Fail(p, "unexpected data after # EOF");
            }
            _pos = p;
            _entry = ExpositionEntry.Eof;
            return ExpositionEntry.Eof;
        }

        ExpositionEntry keyword;
        string what;
        if (rest.StartsWith("# HELP "u8))
        {
            (keyword, what) = (ExpositionEntry.Help, "HELP");
        }
        else if (rest.StartsWith("# TYPE "u8))
        {
            (keyword, what) = (ExpositionEntry.Type, "TYPE");
        }
        else if (rest.StartsWith("# UNIT "u8))
        {
            (keyword, what) = (ExpositionEntry.Unit, "UNIT");
        }
        else
        {
            return FailExpected(start, "a valid start token");
        }

        var nameStart = start + 7;
        if (nameStart >= body.Length || !ExpositionChars.IsMetricNameStart(body[nameStart]))
        {
            return FailExpected(nameStart, "metric name after " + what);
        }
        var nameEnd = ExpositionChars.ScanMetricName(body, nameStart);
        _nameStart = nameStart;
        _nameLength = nameEnd - nameStart;
        if (nameEnd >= body.Length)
        {
            return Fail(nameEnd, "data does not end with # EOF");
        }
        if (body[nameEnd] != (byte)' ')
        {
            return FailExpected(nameEnd, "text in " + what);
        }
        var textStart = nameEnd + 1;
        var end = LineEnd(textStart);
        if (end >= body.Length)
        {
            return Fail(end, "data does not end with # EOF");
        }
        _textStart = textStart;
        _textLength = end - textStart;
        var text = body.Slice(textStart, _textLength);
        var name = body.Slice(nameStart, _nameLength);

        switch (keyword)
        {
            case ExpositionEntry.Help:
                if (!System.Text.Unicode.Utf8.IsValid(text))
                {
                    return Fail(textStart, "help text " + GoQuote.Quote(text) + " is not a valid utf8 string");
                }
                break;
            case ExpositionEntry.Type:
                if (!TryOpenMetricsType(text, out _type))
                {
                    return Fail(textStart, "invalid metric type " + GoQuote.Quote(text));
                }
                break;
            default:
                // OpenMetrics 1.0, "Unit": the family name ends in _<unit>.
                if (!text.IsEmpty && (!name.EndsWith(text) || name.Length < text.Length + 1 || name[^(text.Length + 1)] != (byte)'_'))
                {
                    return Fail(textStart, "unit " + GoQuote.Quote(text) + " not a suffix of metric " + GoQuote.Quote(name));
                }
                break;
        }

        EnterFamily(nameStart, _nameLength);
        if (keyword == ExpositionEntry.Type)
        {
            _familyType = _type;
        }
        _pos = end + 1;
        _entry = keyword;
        return keyword;
    }

    private static bool TryOpenMetricsType(ReadOnlySpan<byte> text, out MetricType type)
    {
        if (text.SequenceEqual("counter"u8))
        {
            type = MetricType.Counter;
        }
        else if (text.SequenceEqual("gauge"u8))
        {
            type = MetricType.Gauge;
        }
        else if (text.SequenceEqual("histogram"u8))
        {
            type = MetricType.Histogram;
        }
        else if (text.SequenceEqual("gaugehistogram"u8))
        {
            type = MetricType.GaugeHistogram;
        }
        else if (text.SequenceEqual("summary"u8))
        {
            type = MetricType.Summary;
        }
        else if (text.SequenceEqual("info"u8))
        {
            type = MetricType.Info;
        }
        else if (text.SequenceEqual("stateset"u8))
        {
            type = MetricType.StateSet;
        }
        else if (text.SequenceEqual("unknown"u8))
        {
            type = MetricType.Unknown;
        }
        else
        {
            type = MetricType.Unknown;
            return false;
        }
        return true;
    }

    private ExpositionEntry OpenMetricsSeries(int start)
    {
        var body = _body;
        var nameEnd = ExpositionChars.ScanMetricName(body, start);
        _nameStart = start;
        _nameLength = nameEnd - start;
        var p = nameEnd;
        if (p < body.Length && body[p] == (byte)'{')
        {
            p = OpenMetricsLabels(p + 1, exemplar: false);
            if (p < 0)
            {
                return ExpositionEntry.Error;
            }
        }
        _seriesLength = p - start;

        // " value"
        if (p >= body.Length || body[p] != (byte)' ')
        {
            return FailExpected(p, "value after metric");
        }
        p = ScanOpenMetricsToken(p + 1, out var valueText);
        if (valueText.IsEmpty)
        {
            return FailExpected(p, "value after metric");
        }
        var status = ExpositionNumber.TryParseFloat(valueText, out _value);
        if (status != NumberStatus.Ok)
        {
            return FailNumber(p - valueText.Length, valueText, status, "value");
        }

        // [" " timestamp] [" # {exemplar}"] "\n"
        if (p < body.Length && body[p] == (byte)' ' && !IsExemplarStart(p))
        {
            var tsStart = p + 1;
            p = ScanOpenMetricsToken(tsStart, out var tsText);
            if (tsText.IsEmpty)
            {
                return FailExpected(tsStart, "timestamp or exemplar");
            }
            status = ExpositionNumber.TryParseOpenMetricsTimestamp(tsText, out _timestamp);
            if (status != NumberStatus.Ok)
            {
                return FailNumber(tsStart, tsText, status, "timestamp");
            }
            _hasTimestamp = true;
        }
        if (p < body.Length && body[p] == (byte)' ')
        {
            if (!IsExemplarStart(p))
            {
                return FailExpected(p, _hasTimestamp ? "next entry after timestamp" : "timestamp or exemplar");
            }
            p = OpenMetricsExemplar(p + 4);
            if (p < 0)
            {
                return ExpositionEntry.Error;
            }
        }
        if (p >= body.Length)
        {
            return Fail(p, "data does not end with # EOF");
        }
        if (body[p] != (byte)'\n')
        {
            return FailExpected(p, _hasExemplar ? "next entry after exemplar" : _hasTimestamp ? "next entry after timestamp" : "timestamp or exemplar");
        }
        _pos = p + 1;
        return AcceptSeries();
    }

    /// <summary>After <c> # {</c>: exemplar labels, <c>}</c>, a value and an optional timestamp. Returns the index after them, or -1.</summary>
    private int OpenMetricsExemplar(int p)
    {
        var body = _body;
        p = OpenMetricsLabels(p, exemplar: true);
        if (p < 0)
        {
            return -1;
        }
        if (p >= body.Length || body[p] != (byte)' ')
        {
            FailExpected(p, "value after exemplar labels");
            return -1;
        }
        p = ScanOpenMetricsToken(p + 1, out var valueText);
        if (valueText.IsEmpty)
        {
            FailExpected(p, "value after exemplar labels");
            return -1;
        }
        var status = ExpositionNumber.TryParseFloat(valueText, out _exemplarValue);
        if (status != NumberStatus.Ok)
        {
            FailNumber(p - valueText.Length, valueText, status, "exemplar value");
            return -1;
        }
        _exemplarHasTimestamp = false;
        if (p < body.Length && body[p] == (byte)' ')
        {
            var tsStart = p + 1;
            p = ScanOpenMetricsToken(tsStart, out var tsText);
            if (tsText.IsEmpty)
            {
                FailExpected(tsStart, "exemplar timestamp");
                return -1;
            }
            status = ExpositionNumber.TryParseOpenMetricsTimestamp(tsText, out _exemplarTimestamp);
            if (status != NumberStatus.Ok)
            {
                FailNumber(tsStart, tsText, status, "exemplar timestamp");
                return -1;
            }
            _exemplarHasTimestamp = true;
        }
        _hasExemplar = true;
        return p;
    }

    /// <summary>Label pairs after <c>{</c>, OpenMetrics style (no blanks, optional trailing comma). Returns the index after <c>}</c>, or -1.</summary>
    private int OpenMetricsLabels(int p, bool exemplar)
    {
        var body = _body;
        while (true)
        {
            if (p >= body.Length || !ExpositionChars.IsLabelNameStart(body[p]))
            {
                if (p < body.Length && body[p] == (byte)'}')
                {
                    return p + 1;
                }
                FailExpected(p, "label name");
                return -1;
            }
            var nameStart = p;
            var nameEnd = ExpositionChars.ScanLabelName(body, p);
            p = nameEnd;
            if (p >= body.Length || body[p] != (byte)'=')
            {
                FailExpected(p, "equal");
                return -1;
            }
            p++;
            if (p >= body.Length || body[p] != (byte)'"')
            {
                FailExpected(p, "label value");
                return -1;
            }
            var close = ScanQuoted(p, out var hasEscape, out var nonAscii);
            if (close < 0)
            {
                FailExpected(p, "label value");
                return -1;
            }
            if (!AddLabel(nameStart, nameEnd, p, close, hasEscape, nonAscii, exemplar))
            {
                return -1;
            }
            p = close + 1;
            if (p < body.Length && body[p] == (byte)',')
            {
                p++;
            }
            else if (p >= body.Length || body[p] != (byte)'}')
            {
                FailExpected(p, "comma or brace close");
                return -1;
            }
        }
    }

    /// <summary>A token <c>[^ \n]+</c> (NUL ends it too) from <paramref name="p"/>; returns the index after it.</summary>
    private readonly int ScanOpenMetricsToken(int p, out ReadOnlySpan<byte> token)
    {
        var body = _body;
        var start = p;
        while (p < body.Length && body[p] is not ((byte)' ' or (byte)'\n' or 0))
        {
            p++;
        }
        token = body[start..p];
        return p;
    }

    /// <summary>Whether <c> # {</c> starts at <paramref name="p"/>.</summary>
    private readonly bool IsExemplarStart(int p) => _body[p..].StartsWith(" # {"u8);
}
