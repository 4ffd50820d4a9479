namespace Vigil.Model.Exposition;

// Prometheus text format 0.0.4 (docs/instrumenting/exposition_formats.md; prometheus/model/textparse/promlex.l):
// blanks (space, tab) may separate any tokens; blank lines are skipped; a missing final newline is fine.
public ref partial struct ExpositionParser
{
    private ExpositionEntry NextText()
    {
        var body = _body;
        while (true)
        {
            var p = SkipBlanks(_pos);
            if (p >= body.Length)
            {
                _pos = p;
                _entry = ExpositionEntry.Eof;
                return ExpositionEntry.Eof;
            }
            var c = body[p];
            if (c == (byte)'\n')
            {
                _pos = p + 1;
                continue;
            }
            _lineStart = p;
            if (ExpositionChars.IsMetricNameStart(c))
            {
                return TextSeries(p);
            }
            if (c == (byte)'#')
            {
                return TextComment(p);
            }
            // Prometheus ends the body silently at a NUL here; a body that stops making sense is an error to us.
            return FailExpected(p, "a valid start token");
        }
    }

    private ExpositionEntry TextSeries(int start)
    {
        var body = _body;
        var nameEnd = ExpositionChars.ScanMetricName(body, start);
        _nameStart = start;
        _nameLength = nameEnd - start;
        _seriesLength = _nameLength;

        var p = SkipBlanks(nameEnd);
        if (p < body.Length && body[p] == (byte)'{')
        {
            p = TextLabels(p + 1);
            if (p < 0)
            {
                return ExpositionEntry.Error;
            }
            _seriesLength = p - start;
            p = SkipBlanks(p);
        }

        // Value: [^{ \t\n]+ (NUL ends it too).
        var valueStart = p;
        while (p < body.Length && body[p] is not ((byte)'{' or (byte)' ' or (byte)'\t' or (byte)'\n' or 0))
        {
            p++;
        }
        if (p == valueStart)
        {
            return FailExpected(p, "value after metric");
        }
        var valueText = body[valueStart..p];
        var status = ExpositionNumber.TryParseFloat(valueText, out _value);
        if (status != NumberStatus.Ok)
        {
            return FailNumber(valueStart, valueText, status, "value");
        }

        p = SkipBlanks(p);
        if (p < body.Length && body[p] != (byte)'\n')
        {
            // Timestamp: [0-9]+ milliseconds (no sign, as Prometheus's lexer has it).
            var tsStart = p;
            while (p < body.Length && (uint)(body[p] - '0') <= 9)
            {
                p++;
            }
            if (p == tsStart)
            {
                return FailExpected(p, "timestamp or new record");
            }
            var tsText = body[tsStart..p];
            status = ExpositionNumber.TryParseDigits(tsText, out _timestamp);
            if (status != NumberStatus.Ok)
            {
                return FailNumber(tsStart, tsText, status, "timestamp");
            }
            _hasTimestamp = true;
            p = SkipBlanks(p);
            if (p < body.Length && body[p] != (byte)'\n')
            {
                return FailExpected(p, "next entry after timestamp");
            }
        }
        _pos = Math.Min(p + 1, body.Length);
        return AcceptSeries();
    }

    /// <summary>Label pairs after <c>{</c>; returns the index after <c>}</c>, or -1 after recording an error.</summary>
    private int TextLabels(int p)
    {
        var body = _body;
        while (true)
        {
            p = SkipBlanks(p);
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
            p = SkipBlanks(nameEnd);
            if (p >= body.Length || body[p] != (byte)'=')
            {
                FailExpected(p, "equal");
                return -1;
            }
            p = SkipBlanks(p + 1);
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
            if (!AddLabel(nameStart, nameEnd, p, close, hasEscape, nonAscii, exemplar: false))
            {
                return -1;
            }
            // A comma is optional here: Prometheus's text parser takes `a="1" b="2"` (see promparse_test.go).
            p = SkipBlanks(close + 1);
            if (p < body.Length && body[p] == (byte)',')
            {
                p++;
            }
        }
    }

    private ExpositionEntry TextComment(int start)
    {
        var body = _body;
        var p = start + 1;
        if (p < body.Length && body[p] is (byte)' ' or (byte)'\t')
        {
            var q = SkipBlanks(p);
            var rest = body[q..];
            var keyword = ExpositionEntry.None;
            if (rest.StartsWith("HELP"u8))
            {
                keyword = ExpositionEntry.Help;
            }
            else if (rest.StartsWith("TYPE"u8))
            {
                keyword = ExpositionEntry.Type;
            }
            if (keyword != ExpositionEntry.None && rest.Length > 4 && rest[4] is (byte)' ' or (byte)'\t')
            {
                return TextMetadata(keyword, SkipBlanks(q + 4));
            }
        }

        // Any other line starting with '#' is a comment (text 0.0.4 only).
        var end = LineEnd(start);
        _textStart = start;
        _textLength = end - start;
        _pos = Math.Min(end + 1, body.Length);
        _entry = ExpositionEntry.Comment;
        return ExpositionEntry.Comment;
    }

    private ExpositionEntry TextMetadata(ExpositionEntry keyword, int p)
    {
        var body = _body;
        var what = keyword == ExpositionEntry.Help ? "HELP" : "TYPE";
        if (p >= body.Length || !ExpositionChars.IsMetricNameStart(body[p]))
        {
            return FailExpected(p, "metric name after " + what);
        }
        var nameEnd = ExpositionChars.ScanMetricName(body, p);
        _nameStart = p;
        _nameLength = nameEnd - p;

        // The text is the rest of the line after one blank; "# HELP name" alone has empty help.
        var end = LineEnd(nameEnd);
        int textStart;
        if (nameEnd == end)
        {
            textStart = end;
        }
        else if (body[nameEnd] is (byte)' ' or (byte)'\t')
        {
            textStart = nameEnd + 1;
        }
        else
        {
            // Prometheus would split "# HELP foo.bar x" into name "foo" and help "bar x"; we refuse.
            return FailExpected(nameEnd, "blank after metric name in " + what);
        }
        _textStart = textStart;
        _textLength = end - textStart;
        var text = body.Slice(_textStart, _textLength);

        if (keyword == ExpositionEntry.Help)
        {
            if (!System.Text.Unicode.Utf8.IsValid(text))
            {
                return Fail(textStart, "help text " + GoQuote.Quote(text) + " is not a valid utf8 string");
            }
        }
        else
        {
            MetricType type;
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
            else if (text.SequenceEqual("summary"u8))
            {
                type = MetricType.Summary;
            }
            else if (text.SequenceEqual("untyped"u8))
            {
                type = MetricType.Unknown;
            }
            else
            {
                return Fail(textStart, "invalid metric type " + GoQuote.Quote(text));
            }
            _type = type;
        }

        EnterFamily(_nameStart, _nameLength);
        if (keyword == ExpositionEntry.Type)
        {
            _familyType = _type;
        }
        _pos = Math.Min(end + 1, body.Length);
        _entry = keyword;
        return keyword;
    }

    private readonly int SkipBlanks(int p)
    {
        var body = _body;
        while (p < body.Length && body[p] is (byte)' ' or (byte)'\t')
        {
            p++;
        }
        return p;
    }

    /// <summary>The index of the newline ending the line that contains <paramref name="p"/>, or the body length.</summary>
    private readonly int LineEnd(int p)
    {
        var i = _body[p..].IndexOf((byte)'\n');
        return i < 0 ? _body.Length : p + i;
    }
}
