using System.Globalization;
using Vigil.Model;
using Vigil.PromQL.Ast;
using Vigil.PromQL.Parser;
using Vigil.Rules.Alerts;
using Vigil.Rules.UnitTesting;
using YamlDotNet.Core;

namespace Vigil.Rules.Loading;

/// <summary>
/// Reads rule files as Prometheus 2.42 does (<c>rulefmt.Parse</c>): a strict YAML decode (unknown fields and type
/// mismatches reported as yaml.v3 words them, <c>line N: ...</c>), then <c>Validate</c> (group names, one of
/// <c>record</c>/<c>alert</c>, the expression parsed as PromQL, recording-rule restrictions, label and annotation
/// names, templates of alerting rules parsed). Each error is prefixed with the file, and most carry the
/// <c>line:column</c> of the offending node, as promtool prints them.
/// </summary>
public static class RuleFileParser
{
    /// <summary>Reads and parses <paramref name="path"/>; errors are returned, never thrown.</summary>
    public static bool TryParseFile(string path, out RuleFile? file, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            file = null;
            errors = [$"{path}: open {path}: no such file or directory"];
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file = null;
            errors = [$"{path}: open {path}: {e.Message}"];
            return false;
        }
        return TryParse(text, path, out file, out errors);
    }

    /// <summary>Parses <paramref name="content"/>; <paramref name="path"/> prefixes every error.</summary>
    public static bool TryParse(string content, string path, out RuleFile? file, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(path);
        var list = new List<string>();
        file = null;
        YamlTree? root;
        try
        {
            root = YamlTree.Parse(content);
        }
        catch (YamlException e)
        {
            // yaml.v3 reports syntax errors once for each of rulefmt's two decodes.
            var message = $"{path}: yaml: line {e.Start.Line}: {SyntaxMessage(e)}";
            errors = [message, message];
            return false;
        }
        var decoder = new Decoder(path);
        var groups = decoder.Decode(root);
        if (decoder.Fatal is { } fatal)
        {
            errors = [fatal];
            return false;
        }
        if (decoder.UnmarshalErrors.Count > 0)
        {
            list.Add($"{path}: yaml: unmarshal errors:\n  " + string.Join("\n  ", decoder.UnmarshalErrors));
            list.AddRange(decoder.SecondDecodeErrors);
            errors = list;
            return false;
        }
        var result = Validate(path, groups, list);
        errors = list;
        if (list.Count > 0)
        {
            return false;
        }
        file = new RuleFile(path, result);
        return true;
    }

    private static string SyntaxMessage(YamlException e)
    {
        var m = e.Message;
        var i = m.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && m.StartsWith('(') ? m[(i + 3)..] : m;
    }

    // rulefmt's RuleGroups.Validate and Rule.Validate, in their order.
    private static List<RuleGroupDefinition> Validate(string path, List<RawGroup> groups, List<string> errors)
    {
        var result = new List<RuleGroupDefinition>(groups.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            if (g.Name.Length == 0)
            {
                errors.Add(Inv($"{path}: {g.Line}:{g.Column}: Groupname must not be empty"));
            }
            if (!names.Add(g.Name))
            {
                errors.Add(Inv($"{path}: {g.Line}:{g.Column}: groupname: \"{g.Name}\" is repeated in the same file"));
            }
            var rules = new List<RuleDefinition>(g.Rules.Count);
            for (var i = 0; i < g.Rules.Count; i++)
            {
                var r = g.Rules[i];
                var prefix = Inv($"group \"{g.Name}\", rule {i + 1}, {GoQuote(r.Alert.Value.Length > 0 ? r.Alert.Value : r.Record.Value)}");
                var ruleErrors = new List<(Pos? Node, Pos? Alt, string Message)>();
                var expr = ValidateRule(r, ruleErrors);
                foreach (var (node, alt, message) in ruleErrors)
                {
                    var where = alt is { } a ? Inv($"{node!.Value.Line}:{node.Value.Column}: {a.Line}:{a.Column}: ")
                        : node is { } n ? Inv($"{n.Line}:{n.Column}: ") : "";
                    errors.Add($"{path}: {where}{prefix}: {message}");
                }
                if (ruleErrors.Count == 0)
                {
                    rules.Add(new RuleDefinition
                    {
                        Record = r.Record.Value,
                        Alert = r.Alert.Value,
                        ExprText = r.Expr.Value,
                        Expr = expr!,
                        For = r.For,
                        KeepFiringFor = r.KeepFiringFor,
                        Labels = ToLabels(r.Labels),
                        Annotations = ToLabels(r.Annotations),
                        Line = r.Line,
                    });
                }
            }
            result.Add(new RuleGroupDefinition(g.Name, g.Interval, g.Limit, rules, g.Line));
        }
        return result;
    }

    private static Expr? ValidateRule(RawRule r, List<(Pos? Node, Pos? Alt, string Message)> errors)
    {
        var record = r.Record.Value;
        var alert = r.Alert.Value;
        if (record.Length > 0 && alert.Length > 0)
        {
            errors.Add((r.Record.Pos, r.Alert.Pos, "only one of 'record' and 'alert' must be set"));
        }
        if (record.Length == 0 && alert.Length == 0)
        {
            errors.Add((r.Record.Pos, null, "one of 'record' or 'alert' must be set"));
        }
        Expr? expr = null;
        if (r.Expr.Value.Length == 0)
        {
            errors.Add((r.Expr.Pos, null, "field 'expr' must be set in rule"));
        }
        else
        {
            try
            {
                expr = PromQLParser.ParseExpr(r.Expr.Value);
            }
            catch (ParseException e)
            {
                errors.Add((r.Expr.Pos, null, $"could not parse expression: {e.Message}"));
            }
        }
        if (record.Length > 0)
        {
            if (r.Annotations.Count > 0)
            {
                errors.Add((r.Record.Pos, null, "invalid field 'annotations' in recording rule"));
            }
            if (r.For != TimeSpan.Zero)
            {
                errors.Add((r.Record.Pos, null, "invalid field 'for' in recording rule"));
            }
            if (r.KeepFiringFor != TimeSpan.Zero)
            {
                errors.Add((r.Record.Pos, null, "invalid field 'keep_firing_for' in recording rule"));
            }
            if (!LabelText.IsValidMetricName(record))
            {
                errors.Add((r.Record.Pos, null, $"invalid recording rule name: {record}"));
            }
        }
        // Go iterates maps in random order; sorted here so the output is stable.
        foreach (var (k, _) in Sorted(r.Labels))
        {
            if (!LabelText.IsValidLabelName(k) || k == Label.MetricName)
            {
                errors.Add((null, null, $"invalid label name: {k}"));
            }
        }
        foreach (var (k, _) in Sorted(r.Annotations))
        {
            if (!LabelText.IsValidLabelName(k))
            {
                errors.Add((null, null, $"invalid annotation name: {k}"));
            }
        }
        if (alert.Length > 0)
        {
            foreach (var (k, v) in Sorted(r.Labels))
            {
                if (AlertTemplates.ParseTest(alert, v) is { } templateError)
                {
                    errors.Add((null, null, $"label {GoQuote(k)}: {templateError}"));
                }
            }
            foreach (var (k, v) in Sorted(r.Annotations))
            {
                if (AlertTemplates.ParseTest(alert, v) is { } templateError)
                {
                    errors.Add((null, null, $"annotation {GoQuote(k)}: {templateError}"));
                }
            }
        }
        return errors.Count == 0 ? expr : null;
    }

    private static List<KeyValuePair<string, string>> Sorted(List<KeyValuePair<string, string>> map)
    {
        var copy = new List<KeyValuePair<string, string>>(map);
        copy.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return copy;
    }

    private static Labels ToLabels(List<KeyValuePair<string, string>> map)
    {
        var b = new LabelsBuilder();
        foreach (var (k, v) in map)
        {
            b.Set(k, v);
        }
        return b.ToLabels();
    }

    /// <summary>Go's <c>%q</c> of a string.</summary>
    internal static string GoQuote(string s) => LabelText.Quote(s);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Pos(int Line, int Column);

    private sealed class NodeValue
    {
        public string Value { get; set; } = "";

        // yaml.v3's zero Node (line 0, column 0) when the key is absent.
        public Pos Pos { get; set; }
    }

    private sealed class RawGroup
    {
        public string Name { get; set; } = "";

        public TimeSpan Interval { get; set; }

        public int Limit { get; set; }

        public List<RawRule> Rules { get; } = [];

        public int Line { get; init; }

        public int Column { get; init; }
    }

    private sealed class RawRule
    {
        public NodeValue Record { get; } = new();

        public NodeValue Alert { get; } = new();

        public NodeValue Expr { get; } = new();

        public TimeSpan For { get; set; }

        public TimeSpan KeepFiringFor { get; set; }

        public List<KeyValuePair<string, string>> Labels { get; } = [];

        public List<KeyValuePair<string, string>> Annotations { get; } = [];

        public int Line { get; init; }
    }

    // A strict decode into rulefmt's types with yaml.v3's error texts.
    private sealed class Decoder(string path)
    {
        public List<string> UnmarshalErrors { get; } = [];

        public List<string> SecondDecodeErrors { get; } = [];

        // A custom unmarshaler's error (model.Duration) aborts the decode with just that error.
        public string? Fatal { get; private set; }

        public List<RawGroup> Decode(YamlTree? root)
        {
            var groups = new List<RawGroup>();
            if (root is null || IsNull(root))
            {
                return groups;
            }
            if (root is not YamlMap map)
            {
                UnmarshalErrors.Add(Inv($"line {root.Line}: cannot unmarshal {Tag(root)} into rulefmt.RuleGroups"));
                SecondDecodeErrors.Add(Inv($"{path}: yaml: unmarshal errors:\n  line {root.Line}: cannot unmarshal {Tag(root)} into rulefmt.ruleGroups"));
                return groups;
            }
            foreach (var (key, value) in map.Entries)
            {
                var name = KeyName(key);
                if (name != "groups")
                {
                    UnmarshalErrors.Add(Inv($"line {key.Line}: field {name} not found in type rulefmt.RuleGroups"));
                    continue;
                }
                groups.Clear();
                if (IsNull(value))
                {
                    continue;
                }
                if (value is not YamlSequence seq)
                {
                    UnmarshalErrors.Add(Inv($"line {value.Line}: cannot unmarshal {Tag(value)} into []rulefmt.RuleGroup"));
                    SecondDecodeErrors.Add(Inv($"{path}: yaml: unmarshal errors:\n  line {value.Line}: cannot unmarshal {Tag(value)} into []yaml.Node"));
                    continue;
                }
                foreach (var item in seq.Items)
                {
                    if (DecodeGroup(item) is { } g)
                    {
                        groups.Add(g);
                    }
                    if (Fatal is not null)
                    {
                        return groups;
                    }
                }
            }
            return groups;
        }

        private RawGroup? DecodeGroup(YamlTree node)
        {
            var group = new RawGroup { Line = node.Line, Column = node.Column };
            if (IsNull(node))
            {
                return group;
            }
            if (node is not YamlMap map)
            {
                UnmarshalErrors.Add(Inv($"line {node.Line}: cannot unmarshal {Tag(node)} into rulefmt.RuleGroup"));
                return null;
            }
            foreach (var (key, value) in map.Entries)
            {
                switch (KeyName(key))
                {
                    case "name":
                        group.Name = String(value);
                        break;
                    case "interval":
                        group.Interval = Duration(value);
                        break;
                    case "limit":
                        group.Limit = Int(value);
                        break;
                    case "rules":
                        group.Rules.Clear();
                        if (IsNull(value))
                        {
                            break;
                        }
                        if (value is not YamlSequence seq)
                        {
                            UnmarshalErrors.Add(Inv($"line {value.Line}: cannot unmarshal {Tag(value)} into []rulefmt.RuleNode"));
                            break;
                        }
                        foreach (var item in seq.Items)
                        {
                            if (DecodeRule(item) is { } r)
                            {
                                group.Rules.Add(r);
                            }
                        }
                        break;
                    default:
                        UnmarshalErrors.Add(Inv($"line {key.Line}: field {KeyName(key)} not found in type rulefmt.RuleGroup"));
                        break;
                }
                if (Fatal is not null)
                {
                    return null;
                }
            }
            return group;
        }

        private RawRule? DecodeRule(YamlTree node)
        {
            var rule = new RawRule { Line = node.Line };
            if (IsNull(node))
            {
                return rule;
            }
            if (node is not YamlMap map)
            {
                UnmarshalErrors.Add(Inv($"line {node.Line}: cannot unmarshal {Tag(node)} into rulefmt.RuleNode"));
                return null;
            }
            foreach (var (key, value) in map.Entries)
            {
                switch (KeyName(key))
                {
                    case "record":
                        SetNode(rule.Record, value);
                        break;
                    case "alert":
                        SetNode(rule.Alert, value);
                        break;
                    case "expr":
                        SetNode(rule.Expr, value);
                        break;
                    case "for":
                        rule.For = Duration(value);
                        break;
                    case "keep_firing_for":
                        rule.KeepFiringFor = Duration(value);
                        break;
                    case "labels":
                        StringMap(value, rule.Labels);
                        break;
                    case "annotations":
                        StringMap(value, rule.Annotations);
                        break;
                    default:
                        UnmarshalErrors.Add(Inv($"line {key.Line}: field {KeyName(key)} not found in type rulefmt.RuleNode"));
                        break;
                }
                if (Fatal is not null)
                {
                    return null;
                }
            }
            return rule;
        }

        // record/alert/expr are yaml.Nodes in rulefmt.RuleNode: any node is accepted, a scalar's text is its value.
        private static void SetNode(NodeValue target, YamlTree value)
        {
            target.Pos = new Pos(value.Line, value.Column);
            target.Value = value is YamlScalar s && !IsNull(s) ? s.Value : "";
        }

        private string String(YamlTree value)
        {
            if (value is YamlScalar s)
            {
                return IsNull(s) ? "" : s.Value;
            }
            UnmarshalErrors.Add(Inv($"line {value.Line}: cannot unmarshal {Tag(value)} into string"));
            return "";
        }

        private int Int(YamlTree value)
        {
            if (value is YamlScalar s)
            {
                if (IsNull(s))
                {
                    return 0;
                }
                if (s.Resolve(out var number) == GoYamlScalar.Kind.Int && number is >= int.MinValue and <= int.MaxValue)
                {
                    return (int)number;
                }
            }
            UnmarshalErrors.Add(Inv($"line {value.Line}: cannot unmarshal {Tag(value)} into int"));
            return 0;
        }

        private TimeSpan Duration(YamlTree value)
        {
            var text = String(value);
            if (value is YamlScalar s && IsNull(s))
            {
                return TimeSpan.Zero;
            }
            if (value is not YamlScalar)
            {
                return TimeSpan.Zero;
            }
            if (!PromDuration.TryParse(text, out var d, out _) || d < TimeSpan.Zero)
            {
                Fatal ??= $"{path}: not a valid duration string: {GoQuote(text)}";
                return TimeSpan.Zero;
            }
            return d;
        }

        private void StringMap(YamlTree value, List<KeyValuePair<string, string>> into)
        {
            if (IsNull(value))
            {
                return;
            }
            if (value is not YamlMap map)
            {
                UnmarshalErrors.Add(Inv($"line {value.Line}: cannot unmarshal {Tag(value)} into map[string]string"));
                return;
            }
            foreach (var (k, v) in map.Entries)
            {
                var key = KeyName(k);
                var val = String(v);
                var existing = into.FindIndex(p => p.Key == key);
                if (existing >= 0)
                {
                    into[existing] = new(key, val);
                }
                else
                {
                    into.Add(new(key, val));
                }
            }
        }

        private static string KeyName(YamlTree key) => key is YamlScalar s ? s.Value : "";

        private static bool IsNull(YamlTree node) => node is YamlScalar s && s.Plain && s.Tag is null && s.Value is "" or "~" or "null" or "Null" or "NULL";

        private static string Tag(YamlTree node) => node switch
        {
            YamlScalar s => $"{GoYamlScalar.TagName(s.Resolve(out _))} `{s.Value}`",
            YamlSequence => "!!seq",
            _ => "!!map",
        };
    }
}
