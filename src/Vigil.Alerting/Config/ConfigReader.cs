using System.Globalization;
using Vigil.Alerting.Matching;
using Vigil.Model;
using Vigil.Yaml;

namespace Vigil.Alerting.Config;

/// <summary>
/// Walks the YAML tree into <see cref="AlertmanagerConfig"/>, collecting every error with its line: yaml.v2's
/// strict-decoding errors (<c>field x not found in type config.plain</c>, <c>cannot unmarshal !!str `a` into []string</c>)
/// and Alertmanager 0.25's validation messages. Split by section: Routes (route tree, inhibit rules, time
/// intervals), Receivers (integrations and http_config).
/// </summary>
internal sealed partial class ConfigReader(string? file)
{
    /// <summary>yaml.v2's name for the types Alertmanager decodes through a <c>type plain</c> indirection.</summary>
    private const string Plain = "config.plain";

    public List<ConfigError> Errors { get; } = [];

    private void Error(YamlNode node, string message) => Errors.Add(new ConfigError(file, node.Line, message));

    private void Error(int line, string message) => Errors.Add(new ConfigError(file, line, message));

    private static bool IsNull(YamlNode node) => node is YamlScalar { IsNull: true };

    /// <summary>The whole file. Returns null when there is no usable configuration (errors say why).</summary>
    public AlertmanagerConfig? ReadConfig(YamlNode? root, string? directory)
    {
        if (root is null || IsNull(root))
        {
            Error(0, "no route provided in config");
            return null;
        }
        GlobalConfig? global = null;
        RouteConfig? route = null;
        YamlNode? routeNode = null;
        var inhibitRules = new List<InhibitRuleConfig>();
        var receivers = new List<ReceiverConfig>();
        var templates = new List<string>();
        var muteTimeIntervals = new List<NamedTimeInterval>();
        var timeIntervals = new List<NamedTimeInterval>();
        var receiverNodes = new List<YamlNode>();
        YamlNode? globalNode = null;
        Fields(root, Plain, (key, value) =>
        {
            switch (key)
            {
                case "global": globalNode = value; return true;
                case "route":
                    routeNode = value;
                    return true;
                case "inhibit_rules": inhibitRules = Seq(value, "[]config.InhibitRule", InhibitRule); return true;
                case "receivers":
                    receiverNodes = NodeList(value, "[]*config.Receiver", "receiver");
                    return true;
                case "templates": templates = StrList(value); return true;
                case "mute_time_intervals": muteTimeIntervals = Seq(value, "[]config.MuteTimeInterval", n => NamedInterval(n, "missing name in mute time interval")); return true;
                case "time_intervals": timeIntervals = Seq(value, "[]config.TimeInterval", n => NamedInterval(n, "missing name in time interval")); return true;
                default: return false;
            }
        });
        // Globals first: receivers take their defaults from them.
        global = globalNode is null || IsNull(globalNode) ? new GlobalConfig() : Global(globalNode, directory);
        foreach (var node in receiverNodes)
        {
            if (Receiver(node, global, directory) is { } receiver)
            {
                receivers.Add(receiver);
            }
        }
        if (routeNode is not null && !IsNull(routeNode))
        {
            route = Route(routeNode);
        }
        if (route is null)
        {
            if (routeNode is null || IsNull(routeNode))
            {
                Error(routeNode?.Line ?? 0, "no route provided in config");
            }
            return null;
        }
        ValidateTree(route, receivers, muteTimeIntervals, timeIntervals);
        for (var i = 0; i < templates.Count; i++)
        {
            if (templates[i].Length > 0 && directory is not null && !Path.IsPathRooted(templates[i]))
            {
                templates[i] = Path.Combine(directory, templates[i]);
            }
        }
        return new AlertmanagerConfig
        {
            Global = global,
            Route = route,
            InhibitRules = inhibitRules,
            Receivers = receivers,
            Templates = templates,
            MuteTimeIntervals = muteTimeIntervals,
            TimeIntervals = timeIntervals,
            Directory = directory,
        };
    }

    // Alertmanager's Config.UnmarshalYAML checks after decoding: unique receivers, the root route, that every
    // receiver and time interval a route names exists, unique time interval names.
    private void ValidateTree(RouteConfig root, List<ReceiverConfig> receivers, List<NamedTimeInterval> mute, List<NamedTimeInterval> active)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in receivers)
        {
            if (!names.Add(r.Name))
            {
                Error(r.Line, $"notification config name {GoQuote(r.Name)} is not unique");
            }
        }
        if (root.Continue)
        {
            Error(root.Line, "cannot have continue in root route");
        }
        if (root.Receiver.Length == 0)
        {
            Error(root.Line, "root route must specify a default receiver");
        }
        if (root.Match.Count > 0 || root.MatchRe.Count > 0 || root.Matchers.Count > 0)
        {
            Error(root.Line, "root route must not have any matchers");
        }
        if (root.MuteTimeIntervals.Count > 0)
        {
            Error(root.Line, "root route must not have any mute time intervals");
        }
        if (root.ActiveTimeIntervals.Count > 0)
        {
            Error(root.Line, "root route must not have any active time intervals");
        }
        CheckReceivers(root, names);
        var intervalNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ti in mute)
        {
            if (!intervalNames.Add(ti.Name))
            {
                Error(ti.Line, $"mute time interval {GoQuote(ti.Name)} is not unique");
            }
        }
        foreach (var ti in active)
        {
            if (!intervalNames.Add(ti.Name))
            {
                Error(ti.Line, $"time interval {GoQuote(ti.Name)} is not unique");
            }
        }
        CheckTimeIntervals(root, intervalNames);
    }

    private void CheckReceivers(RouteConfig route, HashSet<string> receivers)
    {
        foreach (var child in route.Routes)
        {
            CheckReceivers(child, receivers);
        }
        if (route.Receiver.Length > 0 && !receivers.Contains(route.Receiver))
        {
            Error(route.Line, $"undefined receiver {GoQuote(route.Receiver)} used in route");
        }
    }

    private void CheckTimeIntervals(RouteConfig route, HashSet<string> intervals)
    {
        foreach (var child in route.Routes)
        {
            CheckTimeIntervals(child, intervals);
        }
        foreach (var name in route.ActiveTimeIntervals.Concat(route.MuteTimeIntervals))
        {
            if (!intervals.Contains(name))
            {
                Error(route.Line, $"undefined time interval {GoQuote(name)} used in route");
            }
        }
    }

    /// <summary>Go's <c>%q</c> for the names and values that appear in messages.</summary>
    internal static string GoQuote(string s) => LabelText.Quote(s);

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

    private ulong UInt64(YamlNode node)
    {
        if (IsNull(node))
        {
            return 0;
        }
        if (node is YamlScalar { Plain: true } scalar && GoYaml.TryParseInt(scalar.Value, out var negative, out var magnitude) && !negative)
        {
            return magnitude;
        }
        if (node is YamlScalar { Plain: true } f && f.ResolvedTag == "!!float"
            && double.TryParse(f.Value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d >= 0 && d < 18446744073709551615d && Math.Floor(d) == d)
        {
            return (ulong)d;
        }
        TypeError(node, "uint64");
        return 0;
    }

    /// <summary>A <c>model.Duration</c> (<c>30s</c>, <c>1h30m</c>, <c>1d</c>), or null when absent.</summary>
    private TimeSpan? Duration(YamlNode node)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is not YamlScalar scalar)
        {
            TypeError(node, "string");
            return null;
        }
        if (!PromDuration.TryParse(scalar.Value, out var duration, out var error))
        {
            Error(node, error ?? $"not a valid duration string: {GoQuote(scalar.Value)}");
            return null;
        }
        return duration;
    }

    private List<string> StrList(YamlNode node, string goType = "[]string")
    {
        var list = new List<string>();
        if (IsNull(node))
        {
            return list;
        }
        if (node is not YamlSequence seq)
        {
            TypeError(node, goType);
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
                Error(k, $"key {GoQuote(key)} already set in map");
            }
        }
        return map;
    }

    /// <summary>A sequence whose items are read by <paramref name="item"/>; items it returns null for are dropped.</summary>
    private List<T> Seq<T>(YamlNode node, string goType, Func<YamlNode, T?> item)
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
            if (item(child) is { } value)
            {
                list.Add(value);
            }
        }
        return list;
    }

    // Receivers are read after the globals; this only checks the list's shape and keeps the nodes.
    private List<YamlNode> NodeList(YamlNode node, string goType, string what)
    {
        var list = new List<YamlNode>();
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
            if (IsNull(child))
            {
                // Alertmanager 0.25 crashes on a null list item; say what it is instead.
                Error(child, $"null {what} in list");
                continue;
            }
            list.Add(child);
        }
        return list;
    }

    /// <summary>Label names in <c>match</c>/<c>source_match</c>: Prometheus's <c>model.LabelNameRE</c>.</summary>
    private Dictionary<string, string> MatchMap(YamlNode node)
    {
        var map = StrMap(node);
        foreach (var (name, _) in map)
        {
            if (!LabelText.IsValidLabelName(name))
            {
                Error(node, $"invalid label name {GoQuote(name)}");
            }
        }
        return map;
    }

    /// <summary><c>match_re</c>/<c>source_match_re</c>: valid label names, each value a valid RE2 expression.</summary>
    private Dictionary<string, string> MatchReMap(YamlNode node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsNull(node))
        {
            return result;
        }
        if (node is not YamlMapping mapping)
        {
            TypeError(node, "config.plain");
            return result;
        }
        foreach (var (k, v) in mapping.Entries)
        {
            var name = Str(k);
            if (v is not YamlScalar && !IsNull(v))
            {
                TypeError(v, "string");
                continue;
            }
            if (IsNull(v))
            {
                Error(v, $"invalid regexp value for {GoQuote(name)}");
                continue;
            }
            var value = Str(v);
            if (!Matcher.TryCompile("^(?:" + value + ")$", out var error))
            {
                Error(v, error);
                continue;
            }
            if (!LabelText.IsValidLabelName(name))
            {
                Error(k, $"invalid label name {GoQuote(name)}");
                continue;
            }
            if (!result.TryAdd(name, value))
            {
                Error(k, $"key {GoQuote(name)} already set in map");
            }
        }
        return result;
    }

    /// <summary><c>matchers</c>: a list of strings, each holding one or more comma-separated matchers; the result sorted.</summary>
    private Matchers MatcherList(YamlNode node)
    {
        if (IsNull(node))
        {
            return Matchers.Empty;
        }
        if (node is not YamlSequence seq)
        {
            TypeError(node, "[]string");
            return Matchers.Empty;
        }
        var all = new List<Matcher>();
        foreach (var item in seq.Items)
        {
            var text = Str(item);
            if (MatcherParser.TryParseMatchers(text, out var parsed, out var error))
            {
                all.AddRange(parsed);
            }
            else
            {
                Error(item, error);
            }
        }
        return Matchers.From(all);
    }
}
