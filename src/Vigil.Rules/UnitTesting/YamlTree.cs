using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// A YAML document as a plain node tree, built from YamlDotNet's parser events. Unlike YamlDotNet's
/// representation model it keeps repeated keys, so the decoder can report them in yaml.v2's words.
/// </summary>
internal abstract class YamlTree
{
    /// <summary>The 1-based line where the node starts.</summary>
    public int Line { get; init; }

    /// <summary>The 1-based column where the node starts.</summary>
    public int Column { get; init; }

    /// <summary>The first document of <paramref name="yaml"/>, or null when there is none. Throws <see cref="YamlException"/> on bad syntax.</summary>
    public static YamlTree? Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _))
        {
            return null;
        }
        var anchors = new Dictionary<string, YamlTree>(StringComparer.Ordinal);
        return Read(parser, anchors);
    }

    private static YamlTree Read(IParser parser, Dictionary<string, YamlTree> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var target)
                ? target
                : throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}' referenced");
        }
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            var node = new YamlScalar
            {
                Line = (int)scalar.Start.Line,
                Column = (int)scalar.Start.Column,
                Value = scalar.Value,
                Plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any,
                Tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value,
            };
            Remember(anchors, scalar.Anchor, node);
            return node;
        }
        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var node = new YamlSequence { Line = (int)sequenceStart.Start.Line, Column = (int)sequenceStart.Start.Column };
            Remember(anchors, sequenceStart.Anchor, node);
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                node.Items.Add(Read(parser, anchors));
            }
            return node;
        }
        var mappingStart = parser.Consume<MappingStart>();
        var map = new YamlMap { Line = (int)mappingStart.Start.Line, Column = (int)mappingStart.Start.Column };
        Remember(anchors, mappingStart.Anchor, map);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = Read(parser, anchors);
            var value = Read(parser, anchors);
            map.Entries.Add((key, value));
        }
        return map;
    }

    private static void Remember(Dictionary<string, YamlTree> anchors, AnchorName anchor, YamlTree node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }
}

/// <summary>A scalar.</summary>
internal sealed class YamlScalar : YamlTree
{
    /// <summary>The text.</summary>
    public string Value { get; init; } = "";

    /// <summary>Written without quotes (so its type is resolved from its text).</summary>
    public bool Plain { get; init; }

    /// <summary>An explicit tag, or null.</summary>
    public string? Tag { get; init; }

    /// <summary>yaml.v2's resolved type and, for numbers, the value.</summary>
    public GoYamlScalar.Kind Resolve(out double number) => GoYamlScalar.Resolve(Value, Plain, Tag, out number);
}

/// <summary>A sequence.</summary>
internal sealed class YamlSequence : YamlTree
{
    /// <summary>The items.</summary>
    public List<YamlTree> Items { get; } = [];
}

/// <summary>A mapping, keeping every entry in order (repeated keys included).</summary>
internal sealed class YamlMap : YamlTree
{
    /// <summary>The entries.</summary>
    public List<(YamlTree Key, YamlTree Value)> Entries { get; } = [];
}
