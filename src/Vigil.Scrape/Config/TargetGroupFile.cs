using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Vigil.Model;
using YamlDotNet.Core;
using Vigil.Yaml;

namespace Vigil.Scrape.Config;

/// <summary>
/// A file_sd file: a list of target groups (<c>targets</c>, <c>labels</c>) in JSON (<c>.json</c>) or YAML (<c>.yml</c>,
/// <c>.yaml</c>), read as Prometheus reads them (JSON field names case-insensitive and unknown ones ignored; YAML strict).
/// </summary>
public static class TargetGroupFile
{
    /// <summary>Parses <paramref name="content"/>; the extension of <paramref name="fileName"/> picks the format.</summary>
    public static bool TryParse(string content, string fileName, [NotNullWhen(true)] out IReadOnlyList<StaticConfig>? groups, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        groups = null;
        var ext = Path.GetExtension(fileName);
        switch (ext.ToLowerInvariant())
        {
            case ".json":
                return TryParseJson(content, out groups, out error);
            case ".yml" or ".yaml":
                return TryParseYaml(content, out groups, out error);
            default:
                error = $"invalid file extension: \"{ext}\"";
                return false;
        }
    }

    private static bool TryParseYaml(string content, [NotNullWhen(true)] out IReadOnlyList<StaticConfig>? groups, [NotNullWhen(false)] out string? error)
    {
        groups = null;
        YamlNode? root;
        try
        {
            root = YamlNode.Parse(content);
        }
        catch (YamlException e)
        {
            error = $"yaml: line {e.Start.Line}: {(e.InnerException?.Message ?? e.Message).Split('\n')[0]}";
            return false;
        }
        var list = new List<StaticConfig>();
        var reader = new ConfigReader(null);
        if (root is YamlSequence seq)
        {
            for (var i = 0; i < seq.Items.Count; i++)
            {
                if (seq.Items[i] is YamlScalar { IsNull: true })
                {
                    error = $"nil target group item found (index {i})";
                    return false;
                }
                if (reader.TargetGroup(seq.Items[i]) is { } group)
                {
                    list.Add(group);
                }
            }
        }
        else if (root is not null and not YamlScalar { IsNull: true })
        {
            reader.Errors.Add(new ConfigError(null, root.Line, $"cannot unmarshal {root.Describe()} into []*targetgroup.Group"));
        }
        if (reader.Errors.Count > 0)
        {
            error = "yaml: unmarshal errors:\n  " + string.Join("\n  ", reader.Errors);
            return false;
        }
        groups = list;
        error = null;
        return true;
    }

    private static bool TryParseJson(string content, [NotNullWhen(true)] out IReadOnlyList<StaticConfig>? groups, [NotNullWhen(false)] out string? error)
    {
        groups = null;
        try
        {
            using var doc = JsonDocument.Parse(content);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                error = $"json: cannot unmarshal {doc.RootElement.ValueKind.ToString().ToLowerInvariant()} into Go value of type []*targetgroup.Group";
                return false;
            }
            var list = new List<StaticConfig>();
            var index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Null)
                {
                    error = $"nil target group item found (index {index})";
                    return false;
                }
                if (item.ValueKind != JsonValueKind.Object)
                {
                    error = "json: cannot unmarshal into Go value of type targetgroup.Group";
                    return false;
                }
                var group = new StaticConfig();
                foreach (var property in item.EnumerateObject())
                {
                    if (property.NameEquals("targets") || string.Equals(property.Name, "targets", StringComparison.OrdinalIgnoreCase))
                    {
                        group.Targets = property.Value.ValueKind == JsonValueKind.Null ? [] : [.. property.Value.EnumerateArray().Select(t => t.GetString() ?? "")];
                    }
                    else if (string.Equals(property.Name, "labels", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
                    {
                        var labels = new List<Label>();
                        foreach (var l in property.Value.EnumerateObject())
                        {
                            if (!LabelText.IsValidLabelName(l.Name))
                            {
                                error = $"{LabelText.Quote(l.Name)} is not a valid label name";
                                return false;
                            }
                            labels.Add(new Label(l.Name, l.Value.GetString() ?? ""));
                        }
                        group.Labels = Labels.From(labels);
                    }
                }
                list.Add(group);
                index++;
            }
            groups = list;
            error = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            error = e.Message;
            return false;
        }
    }
}
