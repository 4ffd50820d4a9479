using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Vigil.Model.Exposition;

/// <summary>
/// A pull parser for Prometheus text format 0.0.4 and OpenMetrics 1.0 text, after Prometheus's
/// <c>model/textparse</c>: call <see cref="Next"/> until it returns <see cref="ExpositionEntry.Eof"/> or
/// <see cref="ExpositionEntry.Error"/>, and read the current entry through the accessors.
/// </summary>
/// <remarks>
/// <para>
/// A <c>ref struct</c>, like <see cref="System.Text.Json.Utf8JsonReader"/>: the body is a span, so it can be a
/// pooled array, a slice of a pipe buffer or stack memory without pinning or copying, the parser itself never
/// touches the heap, and the compiler stops anyone keeping the parser (or the series spans it hands out) past
/// the life of the buffer. The price is that it cannot live across an <c>await</c>; scrape bodies are read
/// whole before parsing, so nothing needs that.
/// </para>
/// <para>
/// <see cref="Next"/> validates the whole line (names, label syntax and escapes, UTF-8, duplicates, numbers)
/// but makes no strings: <see cref="Series"/>, <see cref="Value"/> and <see cref="TimestampMs"/> are free, so a
/// scrape cache keyed by the raw series bytes can skip everything else for series it has seen. Strings are
/// made only by <see cref="Labels"/>, <see cref="TryGetExemplar"/> and the <c>Get*</c> methods.
/// Lines with more than <c>24</c> labels (series plus exemplar) spill label positions into a heap array.
/// </para>
/// </remarks>
public ref partial struct ExpositionParser
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly ExpositionFormat _format;

    private int _pos;
    private ExpositionEntry _entry;
    private int _lineStart;

    // Help/Type/Unit: the family name. Series: the metric name, and the series runs from _nameStart for _seriesLength bytes.
    private int _nameStart;
    private int _nameLength;
    private int _seriesLength;

    // Help/Unit/Comment text, still escaped.
    private int _textStart;
    private int _textLength;
    private MetricType _type;

    private double _value;
    private long _timestamp;
    private bool _hasTimestamp;

    private int _labelCount;
    private int _exemplarLabelCount;
    private bool _hasExemplar;
    private double _exemplarValue;
    private long _exemplarTimestamp;
    private bool _exemplarHasTimestamp;

    // The family series are being read for: named by the last HELP/TYPE/UNIT line, or by a series that did not belong to it.
    private int _familyStart;
    private int _familyLength;
    private MetricType _familyType;

    private ExpositionError? _error;

    private LabelSpanBuffer _spans;
    private LabelSpan[]? _spill;

    /// <summary>A parser over a whole UTF-8 body in <paramref name="format"/>.</summary>
    public ExpositionParser(ReadOnlySpan<byte> body, ExpositionFormat format)
    {
        _body = body;
        _format = format;
    }

    /// <summary>A parser over a whole UTF-8 body in <paramref name="format"/>.</summary>
    public ExpositionParser(ReadOnlyMemory<byte> body, ExpositionFormat format)
        : this(body.Span, format)
    {
    }

    /// <summary>The format being parsed.</summary>
    public readonly ExpositionFormat Format => _format;

    /// <summary>The current entry: what the last <see cref="Next"/> returned.</summary>
    public readonly ExpositionEntry Entry => _entry;

    /// <summary>
    /// Help, Type, Unit: the metric family name. Series: the sample's metric name (<c>foo_bucket</c>).
    /// Valid until the body is released. Empty for other entries.
    /// </summary>
    public readonly ReadOnlySpan<byte> MetricName => IsNamed ? _body.Slice(_nameStart, _nameLength) : default;

    /// <summary>
    /// Series: the family the sample belongs to, by the rules of <see cref="Type"/> — the last HELP/TYPE/UNIT
    /// name when the sample's name is that name or that name plus a suffix the family's type allows
    /// (<c>_bucket</c>, <c>_count</c>, <c>_total</c>, ...), otherwise the sample's own name. Empty for non-series entries.
    /// </summary>
    public readonly ReadOnlySpan<byte> FamilyName => _entry == ExpositionEntry.Series ? _body.Slice(_familyStart, _familyLength) : default;

    /// <summary>Type: the declared type. Series: the type of <see cref="FamilyName"/> (<see cref="MetricType.Unknown"/> without a TYPE line).</summary>
    public readonly MetricType Type => _entry is ExpositionEntry.Type or ExpositionEntry.Series ? _type : MetricType.Unknown;

    /// <summary>
    /// Series: the raw series bytes, <c>name{labels}</c> exactly as in the body (a scrape-cache key).
    /// Valid until the body is released. Empty for other entries.
    /// </summary>
    public readonly ReadOnlySpan<byte> Series => _entry == ExpositionEntry.Series ? _body.Slice(_nameStart, _seriesLength) : default;

    /// <summary>Series: the sample value. Every NaN is Prometheus's normal NaN (never the stale marker).</summary>
    public readonly double Value => _entry == ExpositionEntry.Series ? _value : 0;

    /// <summary>Series: the timestamp in milliseconds since the epoch, when the line has one.</summary>
    public readonly long? TimestampMs => _entry == ExpositionEntry.Series && _hasTimestamp ? _timestamp : null;

    /// <summary>Series: whether the line carries an OpenMetrics exemplar.</summary>
    public readonly bool HasExemplar => _entry == ExpositionEntry.Series && _hasExemplar;

    /// <summary>Help, Unit: the text still escaped. Comment: the whole line from <c>#</c>. Type: the type keyword.</summary>
    public readonly ReadOnlySpan<byte> RawText => _entry is ExpositionEntry.Help or ExpositionEntry.Unit or ExpositionEntry.Comment or ExpositionEntry.Type
        ? _body.Slice(_textStart, _textLength)
        : default;

    /// <summary>The error when <see cref="Entry"/> is <see cref="ExpositionEntry.Error"/>, else <see langword="null"/>.</summary>
    public readonly ExpositionError? Error => _error;

    /// <summary>The byte offset where the next entry starts.</summary>
    public readonly int Position => _pos;

    private readonly bool IsNamed => _entry is ExpositionEntry.Help or ExpositionEntry.Type or ExpositionEntry.Unit or ExpositionEntry.Series;

    /// <summary>
    /// Reads the next entry. Never throws: malformed input gives <see cref="ExpositionEntry.Error"/>
    /// with <see cref="Error"/> set, and the parser stays there.
    /// </summary>
    public ExpositionEntry Next()
    {
        if (_entry is ExpositionEntry.Eof or ExpositionEntry.Error)
        {
            return _entry;
        }
        _labelCount = 0;
        _exemplarLabelCount = 0;
        _hasExemplar = false;
        _hasTimestamp = false;
        return _format == ExpositionFormat.OpenMetrics ? NextOpenMetrics() : NextText();
    }

    /// <summary>Throws <see cref="ExpositionFormatException"/> when the current entry is an error.</summary>
    public readonly void ThrowIfError()
    {
        if (_error is not null)
        {
            ThrowFormat(_error);
        }
    }

    /// <summary>Help, Type, Unit, Series: <see cref="MetricName"/> as a string.</summary>
    public readonly string GetMetricName() => Encoding.UTF8.GetString(MetricName);

    /// <summary>Series: <see cref="FamilyName"/> as a string.</summary>
    public readonly string GetFamilyName() => Encoding.UTF8.GetString(FamilyName);

    /// <summary>
    /// Help: the help text, unescaped. Text 0.0.4 knows <c>\\</c> and <c>\n</c>; OpenMetrics also <c>\"</c>;
    /// any other backslash stays as written (as Prometheus does). Empty for other entries.
    /// </summary>
    public readonly string GetHelp() => _entry == ExpositionEntry.Help
        ? Unescape(RawText, unescapeQuote: _format == ExpositionFormat.OpenMetrics)
        : "";

    /// <summary>Unit: the unit (OpenMetrics). Empty for other entries.</summary>
    public readonly string GetUnit() => _entry == ExpositionEntry.Unit ? Encoding.UTF8.GetString(RawText) : "";

    /// <summary>Comment: the whole comment line, from <c>#</c> to before the newline. Empty for other entries.</summary>
    public readonly string GetComment() => _entry == ExpositionEntry.Comment ? Encoding.UTF8.GetString(RawText) : "";

    /// <summary>
    /// Series: fills <paramref name="builder"/> (cleared first) with <c>__name__</c> and the series' labels,
    /// unescaped. Labels with empty values are left out, as in Prometheus. Makes the strings; call it only
    /// for series a cache does not know.
    /// </summary>
    public readonly void Labels(LabelsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Clear();
        if (_entry != ExpositionEntry.Series)
        {
            return;
        }
        builder.Set(Label.MetricName, Encoding.UTF8.GetString(_body.Slice(_nameStart, _nameLength)));
        for (var i = 0; i < _labelCount; i++)
        {
            var span = GetSpan(i);
            if (span.ValueLength == 0)
            {
                continue;
            }
            builder.Set(Encoding.UTF8.GetString(_body.Slice(span.NameStart, span.NameLength)), LabelValue(span));
        }
    }

    /// <summary>Series: the OpenMetrics exemplar of the line, if it has one. Makes a new object each call.</summary>
    public readonly bool TryGetExemplar([NotNullWhen(true)] out Exemplar? exemplar)
    {
        if (!HasExemplar)
        {
            exemplar = null;
            return false;
        }
        var labels = new Label[_exemplarLabelCount];
        for (var i = 0; i < labels.Length; i++)
        {
            var span = GetSpan(_labelCount + i);
            labels[i] = new Label(Encoding.UTF8.GetString(_body.Slice(span.NameStart, span.NameLength)), LabelValue(span));
        }
        exemplar = new Exemplar(global::Vigil.Model.Labels.From(labels), _exemplarValue, _exemplarHasTimestamp ? _exemplarTimestamp : null);
        return true;
    }

    [DoesNotReturn]
    private static void ThrowFormat(ExpositionError error) => throw new ExpositionFormatException(error);
}
