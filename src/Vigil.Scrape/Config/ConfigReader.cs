using System.Globalization;
using Vigil.Model;
using Vigil.Model.Relabel;
using Vigil.Yaml;

namespace Vigil.Scrape.Config;

/// <summary>
/// Walks the YAML tree into the configuration model, collecting errors with their lines: yaml.v2's type errors
/// (<c>cannot unmarshal !!str `x` into uint</c>, <c>field x not found in type config.ScrapeConfig</c>) and
/// Prometheus's validation messages. Split by section: Scrape, Discovery, Remote.
/// </summary>
internal sealed partial class ConfigReader(string? file)
{
    public List<ConfigError> Errors { get; } = [];

    private void Error(YamlNode node, string message) => Errors.Add(new ConfigError(file, node.Line, message));

    private void Error(int line, string message) => Errors.Add(new ConfigError(file, line, message));

    private static bool IsNull(YamlNode node) => node is YamlScalar { IsNull: true };

    /// <summary>Reads a mapping field by field; <paramref name="field"/> returns false for an unknown key. Handles <c>&lt;&lt;</c> merge keys.</summary>
    private void Fields(YamlNode node, string goType, Func<string, YamlNode, bool> field)
    {
        if (IsNull(node))
        {
            return;
        }
        if (node is not YamlMapping map)
        {
            TypeError(node, goType);
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<(YamlNode Key, YamlNode Value)>();
        foreach (var (keyNode, value) in map.Entries)
        {
            var key = keyNode is YamlScalar s ? s.Value : "";
            if (key == "<<" && keyNode is YamlScalar { Plain: true })
            {
                foreach (var source in value is YamlSequence seq ? seq.Items : [value])
                {
                    if (source is YamlMapping m)
                    {
                        merged.AddRange(m.Entries);
                    }
                    else
                    {
                        Error(source, "map merge requires map or sequence of maps as the value");
                    }
                }
                continue;
            }
            if (!seen.Add(key))
            {
                Error(keyNode, $"field {key} already set in type {goType}");
                continue;
            }
            if (!field(key, value))
            {
                Error(keyNode, $"field {key} not found in type {goType}");
            }
        }
        // Merged entries fill only what the mapping itself did not set.
        foreach (var (keyNode, value) in merged)
        {
            var key = keyNode is YamlScalar s ? s.Value : "";
            if (seen.Add(key) && !field(key, value))
            {
                Error(keyNode, $"field {key} not found in type {goType}");
            }
        }
    }

    private void TypeError(YamlNode node, string goType) => Error(node, $"cannot unmarshal {node.Describe()} into {goType}");

    private string Str(YamlNode node)
    {
        if (node is YamlScalar scalar)
        {
            // yaml.v2 puts any scalar into a string as written; null leaves it empty.
            return scalar.IsNull ? "" : scalar.Value;
        }
        TypeError(node, "string");
        return "";
    }

    private bool Bool(YamlNode node, bool fallback)
    {
        if (IsNull(node))
        {
            return fallback;
        }
        if (node is YamlScalar scalar && GoYaml.TryParseBool(scalar, out var value))
        {
            return value;
        }
        TypeError(node, "bool");
        return fallback;
    }

    private ulong UInt(YamlNode node, string goType = "uint")
    {
        if (IsNull(node))
        {
            return 0;
        }
        if (node is YamlScalar { Plain: true } scalar && GoYaml.TryParseInt(scalar.Value, out var negative, out var magnitude) && !negative
            && (goType != "uint32" || magnitude <= uint.MaxValue))
        {
            return magnitude;
        }
        // yaml.v2 also stores a float with an integral value (1e3) into an unsigned field.
        if (node is YamlScalar { Plain: true } f && f.ResolvedTag == "!!float"
            && double.TryParse(f.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d >= 0 && d < 18446744073709551615d && Math.Floor(d) == d)
        {
            return (ulong)d;
        }
        TypeError(node, goType);
        return 0;
    }

    private int Int(YamlNode node)
    {
        if (IsNull(node))
        {
            return 0;
        }
        if (node is YamlScalar { Plain: true } scalar && GoYaml.TryParseInt(scalar.Value, out var negative, out var magnitude)
            && magnitude <= (negative ? (ulong)int.MaxValue + 1 : int.MaxValue))
        {
            return negative ? (int)-(long)magnitude : (int)magnitude;
        }
        TypeError(node, "int");
        return 0;
    }

    private double Float(YamlNode node)
    {
        if (IsNull(node))
        {
            return 0;
        }
        if (node is YamlScalar { Plain: true } scalar
            && double.TryParse(scalar.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        TypeError(node, "float64");
        return 0;
    }

    /// <summary>A <c>model.Duration</c>: Prometheus's notation (<c>15s</c>, <c>1h30m</c>).</summary>
    private TimeSpan Duration(YamlNode node, TimeSpan fallback)
    {
        if (IsNull(node))
        {
            return fallback;
        }
        if (node is not YamlScalar scalar)
        {
            TypeError(node, "string");
            return fallback;
        }
        if (!PromDuration.TryParse(scalar.Value, out var duration, out var error))
        {
            Error(node, error ?? $"not a valid duration string: \"{scalar.Value}\"");
            return fallback;
        }
        return duration;
    }

    /// <summary>A <c>units.Base2Bytes</c> size (<c>10MB</c> = 10 MiB).</summary>
    private long Size(YamlNode node)
    {
        if (IsNull(node))
        {
            return 0;
        }
        var text = Str(node);
        if (!ByteSize.TryParse(text, out var bytes, out _))
        {
            var unit = text.TrimStart("0123456789".ToCharArray());
            Error(node, unit.Length == text.Length ? $"units: invalid size \"{text}\"" : $"units: unknown unit {unit} in {text}");
            return 0;
        }
        return bytes;
    }

    private List<string> StrList(YamlNode node)
    {
        var list = new List<string>();
        if (IsNull(node))
        {
            return list;
        }
        if (node is not YamlSequence seq)
        {
            TypeError(node, "[]string");
            return list;
        }
        foreach (var item in seq.Items)
        {
            list.Add(Str(item));
        }
        return list;
    }

    private Dictionary<string, string> StrMap(YamlNode node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsNull(node))
        {
            return map;
        }
        if (node is not YamlMapping mapping)
        {
            TypeError(node, "map[string]string");
            return map;
        }
        foreach (var (k, v) in mapping.Entries)
        {
            var key = Str(k);
            if (!map.TryAdd(key, Str(v)))
            {
                Error(k, $"key \"{key}\" already set in map");
            }
        }
        return map;
    }

    /// <summary>A <c>model.LabelSet</c>: names must be valid label names.</summary>
    private Labels LabelSet(YamlNode node, string goType = "model.LabelSet")
    {
        var labels = new List<Label>();
        if (IsNull(node))
        {
            return Labels.Empty;
        }
        if (node is not YamlMapping mapping)
        {
            TypeError(node, goType);
            return Labels.Empty;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in mapping.Entries)
        {
            var name = Str(k);
            if (!LabelText.IsValidLabelName(name))
            {
                Error(k, $"{LabelText.Quote(name)} is not a valid label name");
                continue;
            }
            if (!seen.Add(name))
            {
                Error(k, $"key \"{name}\" already set in map");
                continue;
            }
            labels.Add(new Label(name, Str(v)));
        }
        return Labels.From(labels);
    }

    /// <summary>A sequence whose items are read by <paramref name="item"/>; a null item is reported with <paramref name="nullItemError"/>.</summary>
    private List<T> Seq<T>(YamlNode node, string goType, string? nullItemError, Func<YamlNode, T?> item)
        where T : class
    {
        var list = new List<T>();
        if (IsNull(node))
        {
            return list;
        }
        if (node is not YamlSequence seq)
        {
            TypeError(node, goType);
            return list;
        }
        foreach (var child in seq.Items)
        {
            if (IsNull(child) && nullItemError is not null)
            {
                Error(child, nullItemError);
                continue;
            }
            if (item(child) is { } value)
            {
                list.Add(value);
            }
        }
        return list;
    }

    private List<RelabelConfig> RelabelConfigs(YamlNode node, string nullItemError) => Seq(node, "[]*relabel.Config", nullItemError, Relabel);

    /// <summary>One relabel rule, with Prometheus's defaults and validation.</summary>
    private RelabelConfig? Relabel(YamlNode node)
    {
        List<string>? sources = null;
        string separator = RelabelConfig.DefaultSeparator, target = "", replacement = RelabelConfig.DefaultReplacement;
        var regex = RelabelRegex.Default;
        ulong modulus = 0;
        var action = RelabelAction.Replace;
        var ok = true;
        Fields(node, "relabel.plain", (key, value) =>
        {
            switch (key)
            {
                case "source_labels":
                    sources = StrList(value);
                    foreach (var name in sources)
                    {
                        if (!LabelText.IsValidLabelName(name))
                        {
                            Error(value, $"{LabelText.Quote(name)} is not a valid label name");
                            ok = false;
                        }
                    }
                    return true;
                case "separator": separator = Str(value); return true;
                case "regex":
                    // A null regex is Prometheus's empty regex (matches only the empty string).
                    var text = Str(value);
                    if (RelabelRegex.TryCreate(text, out var compiled, out var error))
                    {
                        regex = compiled;
                    }
                    else
                    {
                        Error(value, error);
                        ok = false;
                    }
                    return true;
                case "modulus": modulus = UInt(value, "uint64"); return true;
                case "target_label": target = Str(value); return true;
                case "replacement": replacement = Str(value); return true;
                case "action":
                    var name2 = Str(value);
                    if (name2.Length == 0)
                    {
                        Error(value, "relabel action cannot be empty");
                        ok = false;
                    }
                    else if (!RelabelActionNames.TryParse(name2, out action, out var actionError))
                    {
                        Error(value, actionError!);
                        ok = false;
                    }
                    return true;
                default:
                    return false;
            }
        });
        var config = new RelabelConfig
        {
            SourceLabels = sources!,
            Separator = separator,
            Regex = regex,
            Modulus = modulus,
            TargetLabel = target,
            Replacement = replacement,
            Action = action,
        };
        if (ok && config.Validate() is { } invalid)
        {
            Error(node, invalid);
            return null;
        }
        return ok ? config : null;
    }
}
