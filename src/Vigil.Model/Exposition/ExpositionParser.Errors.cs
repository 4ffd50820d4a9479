using System.Buffers;
using System.Text;

namespace Vigil.Model.Exposition;

// Errors are values: the parser records one, with its position, and stays on it.
public ref partial struct ExpositionParser
{
    private const int MaxSnippetBytes = 200;
    private const int MaxTokenBytes = 32;

    /// <summary>Records an error at byte <paramref name="position"/> and returns <see cref="ExpositionEntry.Error"/>.</summary>
    private ExpositionEntry Fail(int position, string message)
    {
        var body = _body;
        position = Math.Clamp(position, 0, body.Length);
        var before = body[..position];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        var column = 1;
        var rest = body[lineStart..position];
        while (!rest.IsEmpty)
        {
            Rune.DecodeFromUtf8(rest, out _, out var consumed);
            rest = rest[Math.Max(consumed, 1)..];
            column++;
        }

        // Prometheus's "while parsing" text: the entry so far, up to and including the offending byte.
        var snippetStart = Math.Min(_lineStart, position);
        var snippetEnd = Math.Min(body.Length, position + 1);
        var prefix = "";
        if (snippetEnd - snippetStart > MaxSnippetBytes)
        {
            snippetStart = snippetEnd - MaxSnippetBytes;
            prefix = "...";
        }
        var snippet = prefix + Encoding.UTF8.GetString(body[snippetStart..snippetEnd]);

        _error = new ExpositionError(line, column, position, message, snippet);
        _entry = ExpositionEntry.Error;
        return ExpositionEntry.Error;
    }

    /// <summary><c>expected {what}, got "{token}"</c> for the token at <paramref name="position"/>.</summary>
    private ExpositionEntry FailExpected(int position, string what) =>
        Fail(position, "expected " + what + ", got " + DescribeToken(position));

    /// <summary>A number that did not parse, worded like Go's strconv errors.</summary>
    private ExpositionEntry FailNumber(int position, ReadOnlySpan<byte> text, NumberStatus status, string what) => status switch
    {
        NumberStatus.UnsupportedCharacter => Fail(position, "unsupported character in " + what + " " + GoQuote.Quote(text)),
        NumberStatus.OutOfRange => Fail(position, what + " " + GoQuote.Quote(text) + " is out of range"),
        NumberStatus.NotFinite => Fail(position, "invalid " + what + " " + GoQuote.Quote(text)),
        _ => Fail(position, "invalid " + what + " " + GoQuote.Quote(text) + ": invalid syntax"),
    };

    /// <summary>The offending token, Go-quoted, or <c>EOF</c> at the end of the body.</summary>
    private readonly string DescribeToken(int position)
    {
        var body = _body;
        if (position >= body.Length)
        {
            return "EOF";
        }
        var b = body[position];
        int end;
        if (ExpositionChars.IsMetricNameChar(b))
        {
            end = ExpositionChars.ScanMetricName(body, position);
        }
        else if (s_singleByteTokens.Contains(b))
        {
            end = position + 1;
        }
        else
        {
            var rest = body[position..];
            var stop = rest[1..].IndexOfAny(s_tokenStops);
            end = stop < 0 ? body.Length : position + 1 + stop;
        }
        end = Math.Min(end, position + MaxTokenBytes);
        return GoQuote.Quote(body[position..end]);
    }

    private static readonly SearchValues<byte> s_singleByteTokens = SearchValues.Create("{}=,\"#'\n\t \0"u8);
    private static readonly SearchValues<byte> s_tokenStops = SearchValues.Create("{}=,\"#\n\t \0"u8);
}
