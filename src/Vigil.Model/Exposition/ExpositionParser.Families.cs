namespace Vigil.Model.Exposition;

// Which family a sample belongs to, and the OpenMetrics rules that depend on it.
public ref partial struct ExpositionParser
{
    /// <summary>A HELP/TYPE/UNIT line for family <paramref name="nameStart"/>: a new name starts a new, untyped family.</summary>
    private void EnterFamily(int nameStart, int nameLength)
    {
        var body = _body;
        if (_familyLength == nameLength && body.Slice(_familyStart, _familyLength).SequenceEqual(body.Slice(nameStart, nameLength)))
        {
            return;
        }
        _familyStart = nameStart;
        _familyLength = nameLength;
        _familyType = MetricType.Unknown;
    }

    /// <summary>
    /// Places the current series in a family: the current one if its name is the family name or the family
    /// name plus a suffix the family's type allows, otherwise a new untyped family named after the series.
    /// </summary>
    /// <remarks>
    /// OpenMetrics 1.0 also says counter samples end in <c>_total</c>/<c>_created</c>, exemplars sit only on
    /// counter <c>_total</c> and histogram <c>_bucket</c> samples, and exemplar labels hold at most 128 runes.
    /// Prometheus 2.42's parser enforces none of these (the length is checked when the exemplar is stored,
    /// which drops only the exemplar), so neither do we: a scrape Prometheus accepts must not fail here.
    /// <see cref="ExemplarLabelRunes"/> lets the consumer apply the length limit the way Prometheus does.
    /// </remarks>
    private ExpositionEntry AcceptSeries()
    {
        var body = _body;
        var name = body.Slice(_nameStart, _nameLength);
        var family = body.Slice(_familyStart, _familyLength);
        var openMetrics = _format == ExpositionFormat.OpenMetrics;
        var member = false;
        var suffix = ReadOnlySpan<byte>.Empty;
        if (_familyLength > 0 && name.StartsWith(family))
        {
            suffix = name[family.Length..];
            member = suffix.IsEmpty || IsFamilySuffix(_familyType, suffix, openMetrics);
        }
        if (!member)
        {
            _familyStart = _nameStart;
            _familyLength = _nameLength;
            _familyType = MetricType.Unknown;
            suffix = default;
        }
        _type = _familyType;

        _entry = ExpositionEntry.Series;
        return ExpositionEntry.Series;
    }

    /// <summary>The sample-name suffixes a family of <paramref name="type"/> has besides its bare name.</summary>
    private static bool IsFamilySuffix(MetricType type, ReadOnlySpan<byte> suffix, bool openMetrics) => type switch
    {
        MetricType.Counter => openMetrics && (suffix.SequenceEqual("_total"u8) || suffix.SequenceEqual("_created"u8)),
        MetricType.Histogram => suffix.SequenceEqual("_bucket"u8) || suffix.SequenceEqual("_count"u8) || suffix.SequenceEqual("_sum"u8)
            || (openMetrics && suffix.SequenceEqual("_created"u8)),
        MetricType.GaugeHistogram => suffix.SequenceEqual("_bucket"u8) || suffix.SequenceEqual("_gcount"u8) || suffix.SequenceEqual("_gsum"u8),
        MetricType.Summary => suffix.SequenceEqual("_count"u8) || suffix.SequenceEqual("_sum"u8)
            || (openMetrics && suffix.SequenceEqual("_created"u8)),
        MetricType.Info => suffix.SequenceEqual("_info"u8),
        _ => false,
    };
}
