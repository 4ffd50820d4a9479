using System.Globalization;
using System.Text.Json;
using Vigil.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Vigil.Scrape.Discovery;

/// <summary>
/// Reads the target group lists of file_sd and http_sd: <c>[{"targets": ["host:port", ...], "labels": {"name": "value"}}]</c>
/// in JSON, or the same structure in YAML (file_sd only). Throws <see cref="FormatException"/> with Prometheus's wording
/// where it has one (<c>nil target group item found (index 2)</c>, <c>"1x" is not a valid label name</c>).
/// </summary>
public static class TargetGroupFormat
{
    /// <summary>Parses a JSON array of target groups. Sources are left empty; the caller names them.</summary>
    public static IReadOnlyList<TargetGroup> ParseJson(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new FormatException(json.IsEmpty ? "unexpected end of JSON input" : e.Message, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                return [];
            }
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"json: cannot unmarshal {GoJsonKind(root.ValueKind)} into Go value of type []*targetgroup.Group");
            }
            var groups = new List<TargetGroup>();
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Null)
                {
                    throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"nil target group item found (index {index})"));
                }
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new FormatException($"json: cannot unmarshal {GoJsonKind(item.ValueKind)} into Go value of type targetgroup.Group");
                }
                var targets = new List<Labels>();
                var labels = new List<Label>();
                foreach (var property in item.EnumerateObject())
                {
                    if (property.NameEquals("targets"u8))
                    {
                        ReadJsonTargets(property.Value, targets);
                    }
                    else if (property.NameEquals("labels"u8))
                    {
                        ReadJsonLabels(property.Value, labels);
                    }
                }
                groups.Add(new TargetGroup("", targets, ToLabels(labels)));
                index++;
            }
            return groups;
        }
    }

    /// <summary>Parses a YAML sequence of target groups (strict: unknown fields are errors, as Go's UnmarshalStrict).</summary>
    public static IReadOnlyList<TargetGroup> ParseYaml(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"yaml: line {e.Start.Line}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return [];
        }
        if (stream.Documents[0].RootNode is not YamlSequenceNode sequence)
        {
            throw new FormatException(YamlTypeError(stream.Documents[0].RootNode, "[]*targetgroup.Group"));
        }
        var groups = new List<TargetGroup>();
        var index = 0;
        foreach (var item in sequence.Children)
        {
            if (IsNull(item))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"nil target group item found (index {index})"));
            }
            if (item is not YamlMappingNode mapping)
            {
                throw new FormatException(YamlTypeError(item, "targetgroup.Group"));
            }
            var targets = new List<Labels>();
            var labels = new List<Label>();
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = keyNode is YamlScalarNode k ? k.Value ?? "" : "";
                switch (key)
                {
                    case "targets":
                        if (IsNull(value))
                        {
                            break;
                        }
                        if (value is not YamlSequenceNode list)
                        {
                            throw new FormatException(YamlTypeError(value, "[]string"));
                        }
                        foreach (var target in list.Children)
                        {
                            if (target is not YamlScalarNode scalar)
                            {
                                throw new FormatException(YamlTypeError(target, "string"));
                            }
                            targets.Add(Labels.Of(TargetGroup.AddressLabel, scalar.Value ?? ""));
                        }
                        break;
                    case "labels":
                        if (IsNull(value))
                        {
                            break;
                        }
                        if (value is not YamlMappingNode map)
                        {
                            throw new FormatException(YamlTypeError(value, "model.LabelSet"));
                        }
                        foreach (var (nameNode, valueNode) in map.Children)
                        {
                            if (nameNode is not YamlScalarNode name || valueNode is not YamlScalarNode labelValue)
                            {
                                throw new FormatException(YamlTypeError(valueNode, "model.LabelValue"));
                            }
                            AddLabel(labels, name.Value ?? "", labelValue.Value ?? "");
                        }
                        break;
                    default:
                        throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                            $"yaml: unmarshal errors:\n  line {keyNode.Start.Line}: field {key} not found in type struct {{ Targets []string \"yaml:\\\"targets\\\"\"; Labels model.LabelSet \"yaml:\\\"labels\\\"\" }}"));
                }
            }
            groups.Add(new TargetGroup("", targets, ToLabels(labels)));
            index++;
        }
        return groups;
    }

    private static void ReadJsonTargets(JsonElement value, List<Labels> targets)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"json: cannot unmarshal {GoJsonKind(value.ValueKind)} into Go struct field .targets of type []string");
        }
        foreach (var target in value.EnumerateArray())
        {
            if (target.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"json: cannot unmarshal {GoJsonKind(target.ValueKind)} into Go struct field .targets of type string");
            }
            targets.Add(Labels.Of(TargetGroup.AddressLabel, target.GetString()!));
        }
    }

    private static void ReadJsonLabels(JsonElement value, List<Label> labels)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"json: cannot unmarshal {GoJsonKind(value.ValueKind)} into Go struct field .labels of type model.LabelSet");
        }
        foreach (var label in value.EnumerateObject())
        {
            if (label.Value.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"json: cannot unmarshal {GoJsonKind(label.Value.ValueKind)} into Go struct field .labels of type model.LabelValue");
            }
            AddLabel(labels, label.Name, label.Value.GetString()!);
        }
    }

    private static void AddLabel(List<Label> labels, string name, string value)
    {
        if (!LabelText.IsValidLabelName(name))
        {
            throw new FormatException($"\"{name}\" is not a valid label name");
        }
        labels.RemoveAll(l => l.Name == name);
        labels.Add(new Label(name, value));
    }

    private static Labels ToLabels(List<Label> labels) => labels.Count == 0 ? Labels.Empty : Labels.From(labels);

    private static bool IsNull(YamlNode node)
        => node is YamlScalarNode { Style: not (ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) } s
            && (s.Value is null || s.Value.Length == 0 || s.Value is "~" or "null" or "Null" or "NULL");

    private static string YamlTypeError(YamlNode node, string goType)
    {
        var kind = node switch
        {
            YamlMappingNode => "!!map",
            YamlSequenceNode => "!!seq",
            _ => "!!str",
        };
        var text = node is YamlScalarNode s ? $" `{s.Value}`" : "";
        return string.Create(CultureInfo.InvariantCulture, $"yaml: unmarshal errors:\n  line {node.Start.Line}: cannot unmarshal {kind}{text} into {goType}");
    }

    private static string GoJsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };
}
