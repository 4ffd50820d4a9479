using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Vigil.Yaml;

/// <summary>
/// A YAML document as a plain node tree with line numbers, built from YamlDotNet's parser events. Unlike YamlDotNet's
/// representation model it keeps repeated keys, so the reader can report them as yaml.v2 does.
/// </summary>
public abstract class YamlNode
{
    /// <summary>The 1-based line where the node starts.</summary>
    public int Line { get; init; }

    /// <summary>The first document of <paramref name="yaml"/>, or null when there is none. Throws <see cref="YamlException"/> on bad syntax.</summary>
    public static YamlNode? Parse(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        if (!parser.TryConsume<DocumentStart>(out _))
        {
            return null;
        }
        return Read(parser, new Dictionary<string, YamlNode>(StringComparer.Ordinal));
    }

    private static YamlNode Read(IParser parser, Dictionary<string, YamlNode> anchors)
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
                Value = scalar.Value,
                Plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any,
                Tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value,
            };
            Remember(anchors, scalar.Anchor, node);
            return node;
        }
        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var node = new YamlSequence { Line = (int)sequenceStart.Start.Line };
            Remember(anchors, sequenceStart.Anchor, node);
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                node.Items.Add(Read(parser, anchors));
            }
            return node;
        }
        var mappingStart = parser.Consume<MappingStart>();
        var map = new YamlMapping { Line = (int)mappingStart.Start.Line };
        Remember(anchors, mappingStart.Anchor, map);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = Read(parser, anchors);
            var value = Read(parser, anchors);
            map.Entries.Add((key, value));
        }
        return map;
    }

    private static void Remember(Dictionary<string, YamlNode> anchors, AnchorName anchor, YamlNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    /// <summary>How yaml.v2 names the node in "cannot unmarshal" errors: <c>!!map</c>, <c>!!seq</c>, <c>!!str `x`</c>.</summary>
    public abstract string Describe();
}

/// <summary>A scalar.</summary>
public sealed class YamlScalar : YamlNode
{
    /// <summary>The text.</summary>
    public string Value { get; init; } = "";

    /// <summary>Written without quotes, so its type is resolved from its text.</summary>
    public bool Plain { get; init; }

    /// <summary>An explicit tag, or null.</summary>
    public string? Tag { get; init; }

    /// <summary>Whether yaml.v2 would read this as null (<c>~</c>, <c>null</c>, empty).</summary>
    public bool IsNull => Plain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>yaml.v2's resolved tag: !!null, !!bool, !!int, !!float or !!str.</summary>
    public string ResolvedTag
    {
        get
        {
            if (!Plain || (Tag is not null && Tag.EndsWith(":str", StringComparison.Ordinal)))
            {
                return "!!str";
            }
            if (IsNull)
            {
                return "!!null";
            }
            if (GoYaml.TryParseBool(this, out _))
            {
                return "!!bool";
            }
            if (GoYaml.TryParseInt(Value, out _, out _))
            {
                return "!!int";
            }
            return GoYaml.LooksLikeFloat(Value) ? "!!float" : "!!str";
        }
    }

    /// <inheritdoc/>
    public override string Describe() => $"{ResolvedTag} `{Value}`";
}

/// <summary>A sequence.</summary>
public sealed class YamlSequence : YamlNode
{
    /// <summary>The items.</summary>
    public List<YamlNode> Items { get; } = [];

    /// <inheritdoc/>
    public override string Describe() => "!!seq";
}

/// <summary>A mapping, keeping every entry in order (repeated keys included).</summary>
public sealed class YamlMapping : YamlNode
{
    /// <summary>The entries.</summary>
    public List<(YamlNode Key, YamlNode Value)> Entries { get; } = [];

    /// <inheritdoc/>
    public override string Describe() => "!!map";
}
