using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Vigil.Model;
using Vigil.PromQL.Parser;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using PromValueType = Vigil.PromQL.Ast.ValueType;

namespace Vigil.Rules.Slo;

/// <summary>
/// Reads and validates an SLO spec file (format: docs/slo.md). Every problem found is reported, each naming the
/// file, line and field: unknown fields, missing ones, an objective outside (0, 100), a window other than 28d/30d,
/// PromQL that Vigil's parser rejects (with the parser's position inside the query), a latency threshold that is
/// not a bucket bound, duplicate SLO names, invalid or reserved label names.
/// </summary>
public static partial class SloSpecReader
{
    /// <summary>The <c>version</c> a spec must declare.</summary>
    public const string Version = "vigil/v1";

    /// <summary>Prometheus's (and Vigil.Instrumentation's) default histogram buckets, in seconds.</summary>
    public static IReadOnlyList<double> DefaultBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The placeholder an events query puts where the range goes: <c>rate(x[{{.window}}])</c>.</summary>
    public const string WindowPlaceholder = "{{.window}}";

    /// <summary>Labels the compiler sets itself; a spec may not set them.</summary>
    public static IReadOnlyList<string> ReservedLabels { get; } =
        [SloLabels.Id, SloLabels.Service, SloLabels.Name, SloLabels.Window, SloLabels.Severity];

    /// <summary>Reads <paramref name="path"/>; false with the problems when it cannot be read or is not a valid spec.</summary>
    public static bool TryLoadFile(string path, [NotNullWhen(true)] out SloSpec? spec, out IReadOnlyList<SloSpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            spec = null;
            errors = [new SloSpecError(path, 0, "", e.Message)];
            return false;
        }
        return TryParse(text, path, out spec, out errors);
    }

    /// <summary>Parses <paramref name="yaml"/> read from <paramref name="path"/> (used in messages only).</summary>
    public static bool TryParse(string yaml, string path, [NotNullWhen(true)] out SloSpec? spec, out IReadOnlyList<SloSpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(path);
        var reader = new Reader(path);
        spec = reader.Read(yaml);
        errors = reader.Errors;
        if (reader.Errors.Count > 0)
        {
            spec = null;
            return false;
        }
        return spec is not null;
    }

    // Service and SLO names end up in rule group names and label values: keep them to a safe alphabet.
    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // Any {{ ... }} in a query; only {{.window}} (spaces allowed) is known.
    [GeneratedRegex(@"\{\{(.*?)\}\}", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex PlaceholderPattern();

    private sealed class Reader(string path)
    {
        private static readonly string[] s_fileKeys = ["version", "service", "labels", "slos"];
        private static readonly string[] s_sloKeys = ["name", "objective", "description", "sli", "window", "labels", "alerting"];
        private static readonly string[] s_sliKeys = ["events", "latency"];
        private static readonly string[] s_eventsKeys = ["error_query", "total_query"];
        private static readonly string[] s_latencyKeys = ["metric", "matchers", "threshold", "buckets"];
        private static readonly string[] s_alertingKeys = ["name", "labels", "annotations", "page_alert", "ticket_alert", "disable"];
        private static readonly string[] s_alertKeys = ["labels", "annotations", "disable"];

        private readonly List<SloSpecError> _errors = [];

        public List<SloSpecError> Errors => _errors;

        public SloSpec? Read(string yaml)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(yaml));
            }
            catch (YamlException e)
            {
                // YamlDotNet's message already says what is wrong (including duplicate keys); the mark says where.
                Error(e.Start.Line > 0 ? (int)e.Start.Line : 0, "", e.InnerException?.Message ?? e.Message);
                return null;
            }
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Error(stream.Documents.Count == 0 ? 0 : Line(stream.Documents[0].RootNode), "", "an SLO spec must be a mapping with version, service and slos");
                return null;
            }
            CheckKeys(root, "", s_fileKeys);
            var version = String(root, "version", "version", required: true);
            if (version is not null && version != SloSpecReader.Version)
            {
                Error(Line(Value(root, "version")!), "version", $"must be \"{SloSpecReader.Version}\", got \"{version}\"");
            }
            var service = String(root, "service", "service", required: true);
            if (service is not null)
            {
                CheckName(service, Value(root, "service")!, "service");
            }
            var fileLabels = LabelMap(root, "labels", "labels", annotations: false);
            var slos = new List<SloDefinition>();
            var slosNode = Value(root, "slos");
            if (slosNode is null)
            {
                Error(Line(root), "slos", "missing: a spec needs at least one SLO");
            }
            else if (slosNode is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Error(Line(slosNode), "slos", "must be a non-empty list of SLOs");
            }
            else
            {
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var slo = ReadSlo(sequence.Children[i], $"slos[{i}]", fileLabels);
                    if (slo is null)
                    {
                        continue;
                    }
                    if (seen.TryGetValue(slo.Name, out var firstLine))
                    {
                        Error(slo.Line, $"slos[{i}].name", $"duplicate SLO name \"{slo.Name}\" (first defined at line {firstLine})");
                        continue;
                    }
                    seen.Add(slo.Name, slo.Line);
                    slos.Add(slo);
                }
            }
            return _errors.Count == 0 && service is not null ? new SloSpec(path, service, slos) : null;
        }

        private SloDefinition? ReadSlo(YamlNode node, string field, SortedDictionary<string, string> fileLabels)
        {
            if (node is not YamlMappingNode map)
            {
                Error(Line(node), field, "must be a mapping (name, objective, sli, ...)");
                return null;
            }
            var errorsBefore = _errors.Count;
            CheckKeys(map, field, s_sloKeys);
            var name = String(map, "name", field + ".name", required: true);
            if (name is not null)
            {
                CheckName(name, Value(map, "name")!, field + ".name");
            }
            var objective = Objective(map, field + ".objective");
            var description = String(map, "description", field + ".description", required: false) ?? "";
            var window = Window(map, field + ".window");
            var labels = new SortedDictionary<string, string>(fileLabels, StringComparer.Ordinal);
            foreach (var (k, v) in LabelMap(map, "labels", field + ".labels", annotations: false))
            {
                labels[k] = v;
            }
            SloIndicator? indicator = null;
            var sliNode = Value(map, "sli");
            if (sliNode is null)
            {
                Error(Line(map), field + ".sli", "missing: an SLO needs an sli (events or latency)");
            }
            else
            {
                indicator = Indicator(sliNode, field + ".sli");
            }
            var alerting = Alerting(Value(map, "alerting"), map, field + ".alerting");
            if (_errors.Count > errorsBefore || name is null || objective is null || indicator is null || alerting is null)
            {
                // A broken SLO still counts for the duplicate-name check.
                return name is not null && _errors.Count > errorsBefore
                    ? new SloDefinition(name, 0, "", new EventsIndicator("", ""), 30, [], Disabled, Line(map))
                    : null;
            }
            return new SloDefinition(name, objective.Value, description, indicator, window, [.. labels], alerting, Line(map));
        }

        private static readonly SloAlerting Disabled = new("", [], [], SloAlertOptions.Default, SloAlertOptions.Default, Disable: true);

        private decimal? Objective(YamlMappingNode map, string field)
        {
            var node = Value(map, "objective");
            if (node is null)
            {
                Error(Line(map), field, "missing: the objective in percent, e.g. 99.9");
                return null;
            }
            if (node is not YamlScalarNode { Value: { } text }
                || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Error(Line(node), field, $"must be a number in percent (e.g. 99.9), got {Describe(node)}");
                return null;
            }
            if (value <= 0 || value >= 100)
            {
                Error(Line(node), field, $"must be greater than 0 and less than 100 (a percentage), got {text}");
                return null;
            }
            return value;
        }

        private int Window(YamlMappingNode map, string field)
        {
            var node = Value(map, "window");
            if (node is null)
            {
                return 30;
            }
            var text = node is YamlScalarNode scalar ? scalar.Value : null;
            switch (text)
            {
                case "30d":
                    return 30;
                case "28d":
                    return 28;
                default:
                    Error(Line(node), field, $"must be 28d or 30d, got {Describe(node)}");
                    return 30;
            }
        }

        private SloIndicator? Indicator(YamlNode node, string field)
        {
            if (node is not YamlMappingNode map)
            {
                Error(Line(node), field, "must be a mapping with events or latency");
                return null;
            }
            CheckKeys(map, field, s_sliKeys);
            var events = Value(map, "events");
            var latency = Value(map, "latency");
            if ((events is null) == (latency is null))
            {
                Error(Line(map), field, "must have exactly one of events and latency");
                return null;
            }
            return events is not null ? Events(events, field + ".events") : Latency(latency!, field + ".latency");
        }

        private EventsIndicator? Events(YamlNode node, string field)
        {
            if (node is not YamlMappingNode map)
            {
                Error(Line(node), field, "must be a mapping with error_query and total_query");
                return null;
            }
            CheckKeys(map, field, s_eventsKeys);
            var error = Query(map, "error_query", field + ".error_query");
            var total = Query(map, "total_query", field + ".total_query");
            return error is null || total is null ? null : new EventsIndicator(error, total);
        }

        private string? Query(YamlMappingNode map, string key, string field)
        {
            var text = String(map, key, field, required: true);
            if (text is null)
            {
                return null;
            }
            var node = (YamlScalarNode)Value(map, key)!;
            text = text.Trim();
            var placeholders = 0;
            foreach (Match m in PlaceholderPattern().Matches(text))
            {
                if (m.Groups[1].Value.Trim() != ".window")
                {
                    Error(QueryLine(node, text, m.Index), field, $"unknown placeholder {m.Value}: only {WindowPlaceholder} is supported");
                    return null;
                }
                placeholders++;
            }
            if (placeholders == 0)
            {
                Error(Line(node), field, $"must use the {WindowPlaceholder} placeholder as its range (e.g. rate(x[{WindowPlaceholder}])), so each window gets its own rate");
                return null;
            }
            var (rendered, offsets) = RenderForCheck(text);
            try
            {
                var expr = PromQLParser.ParseExpr(rendered);
                if (expr.Type != PromValueType.Vector)
                {
                    Error(Line(node), field, $"must be an instant vector expression, got {expr.Type.ToString().ToLowerInvariant()}");
                    return null;
                }
            }
            catch (ParseException e)
            {
                var start = MapBack(offsets, e.Position.Start);
                var end = MapBack(offsets, e.Position.End);
                var message = ParseException.Format(text, new PromQL.Ast.PositionRange(start, Math.Max(start, end)), e.Detail);
                Error(QueryLine(node, text, start), field, $"invalid PromQL (with {WindowPlaceholder} as 5m): {message}");
                return null;
            }
            return text;
        }

        private LatencyIndicator? Latency(YamlNode node, string field)
        {
            if (node is not YamlMappingNode map)
            {
                Error(Line(node), field, "must be a mapping with metric, threshold and matchers");
                return null;
            }
            CheckKeys(map, field, s_latencyKeys);
            var errorsBefore = _errors.Count;
            var metric = String(map, "metric", field + ".metric", required: true);
            if (metric is not null)
            {
                var metricNode = Value(map, "metric")!;
                if (!LabelText.IsValidMetricName(metric))
                {
                    Error(Line(metricNode), field + ".metric", $"\"{metric}\" is not a valid metric name");
                }
                else if (metric.EndsWith("_bucket", StringComparison.Ordinal) || metric.EndsWith("_count", StringComparison.Ordinal) || metric.EndsWith("_sum", StringComparison.Ordinal))
                {
                    Error(Line(metricNode), field + ".metric", $"must be the histogram's base name (e.g. http_request_duration_seconds, without _bucket/_count/_sum), got \"{metric}\"");
                }
            }
            var matchers = new List<string>();
            if (Value(map, "matchers") is { } matchersNode)
            {
                if (matchersNode is not YamlSequenceNode list)
                {
                    Error(Line(matchersNode), field + ".matchers", "must be a list of label matchers such as 'job=\"demo-api\"'");
                }
                else
                {
                    for (var i = 0; i < list.Children.Count; i++)
                    {
                        if (Matcher(list.Children[i], $"{field}.matchers[{i}]") is { } matcher)
                        {
                            matchers.Add(matcher);
                        }
                    }
                }
            }
            var buckets = Buckets(map, field + ".buckets");
            double? threshold = null;
            var thresholdNode = Value(map, "threshold");
            if (thresholdNode is null)
            {
                Error(Line(map), field + ".threshold", "missing: the latency threshold in seconds, one of the histogram's bucket bounds");
            }
            else if (thresholdNode is not YamlScalarNode { Value: { } text }
                || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0)
            {
                Error(Line(thresholdNode), field + ".threshold", $"must be a positive number of seconds, got {Describe(thresholdNode)}");
            }
            else if (buckets is not null && !buckets.Contains(value))
            {
                Error(Line(thresholdNode), field + ".threshold",
                    $"{text} is not a bucket bound of the histogram (buckets: {string.Join(", ", buckets.Select(b => b.ToString(CultureInfo.InvariantCulture)))}); the SLI reads the le=\"threshold\" bucket, so it must exist");
            }
            else
            {
                threshold = value;
            }
            if (_errors.Count > errorsBefore || metric is null || threshold is null || buckets is null)
            {
                return null;
            }
            return new LatencyIndicator(metric, matchers, threshold.Value, buckets);
        }

        private List<double>? Buckets(YamlMappingNode map, string field)
        {
            var node = Value(map, "buckets");
            if (node is null)
            {
                return [.. DefaultBuckets];
            }
            if (node is not YamlSequenceNode list || list.Children.Count == 0)
            {
                Error(Line(node), field, "must be a non-empty list of bucket upper bounds in seconds");
                return null;
            }
            var result = new List<double>();
            foreach (var item in list.Children)
            {
                if (item is not YamlScalarNode { Value: { } text }
                    || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    Error(Line(item), field, $"must hold finite numbers, got {Describe(item)}");
                    return null;
                }
                if (result.Count > 0 && value <= result[^1])
                {
                    Error(Line(item), field, "must be in increasing order");
                    return null;
                }
                result.Add(value);
            }
            return result;
        }

        private string? Matcher(YamlNode node, string field)
        {
            if (node is not YamlScalarNode { Value: { } text })
            {
                Error(Line(node), field, $"must be a label matcher such as 'job=\"demo-api\"', got {Describe(node)}");
                return null;
            }
            text = text.Trim();
            IReadOnlyList<LabelMatcher> parsed;
            try
            {
                parsed = PromQLParser.ParseMetricSelector("{" + text + "}");
            }
            catch (ParseException e)
            {
                Error(Line(node), field, $"invalid label matcher '{text}': {e.Detail}");
                return null;
            }
            if (parsed.Count != 1)
            {
                Error(Line(node), field, $"must be exactly one label matcher, got '{text}'");
                return null;
            }
            if (parsed[0].Name is "le" or "__name__")
            {
                Error(Line(node), field, $"may not match on {parsed[0].Name}: the SLI sets the metric name and the le bucket itself");
                return null;
            }
            return text;
        }

        private SloAlerting? Alerting(YamlNode? node, YamlMappingNode slo, string field)
        {
            if (node is null)
            {
                Error(Line(slo), field, "missing: give the alert a name (alerting.name), or switch alerts off with alerting.disable: true");
                return null;
            }
            if (node is not YamlMappingNode map)
            {
                Error(Line(node), field, "must be a mapping (name, labels, annotations, page_alert, ticket_alert, disable)");
                return null;
            }
            CheckKeys(map, field, s_alertingKeys);
            var disable = Bool(map, "disable", field + ".disable");
            var name = String(map, "name", field + ".name", required: !disable);
            if (name is not null && !LabelText.IsValidMetricName(name))
            {
                Error(Line(Value(map, "name")!), field + ".name", $"\"{name}\" is not a valid alert name (letters, digits, _ and :, not starting with a digit)");
            }
            var labels = LabelMap(map, "labels", field + ".labels", annotations: false, allowSeverity: true);
            var annotations = LabelMap(map, "annotations", field + ".annotations", annotations: true);
            var page = AlertOptions(Value(map, "page_alert"), field + ".page_alert");
            var ticket = AlertOptions(Value(map, "ticket_alert"), field + ".ticket_alert");
            if (page is null || ticket is null)
            {
                return null;
            }
            return new SloAlerting(name ?? "", [.. labels], [.. annotations], page, ticket, disable);
        }

        private SloAlertOptions? AlertOptions(YamlNode? node, string field)
        {
            if (node is null)
            {
                return SloAlertOptions.Default;
            }
            if (node is not YamlMappingNode map)
            {
                Error(Line(node), field, "must be a mapping (labels, annotations, disable)");
                return null;
            }
            CheckKeys(map, field, s_alertKeys);
            var labels = LabelMap(map, "labels", field + ".labels", annotations: false, allowSeverity: true);
            var annotations = LabelMap(map, "annotations", field + ".annotations", annotations: true);
            return new SloAlertOptions([.. labels], [.. annotations], Bool(map, "disable", field + ".disable"));
        }

        private SortedDictionary<string, string> LabelMap(YamlMappingNode parent, string key, string field, bool annotations, bool allowSeverity = false)
        {
            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var node = Value(parent, key);
            if (node is null || node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return result;
            }
            if (node is not YamlMappingNode map)
            {
                Error(Line(node), field, $"must be a mapping of {(annotations ? "annotation" : "label")} names to values");
                return result;
            }
            foreach (var (k, v) in map.Children)
            {
                var name = k is YamlScalarNode { Value: { } n } ? n : "";
                if (!LabelText.IsValidLabelName(name) || name.StartsWith("__", StringComparison.Ordinal))
                {
                    Error(Line(k), $"{field}.{name}", $"\"{name}\" is not a valid {(annotations ? "annotation" : "label")} name");
                    continue;
                }
                if (!annotations && ReservedLabels.Contains(name) && !(allowSeverity && name == SloLabels.Severity))
                {
                    Error(Line(k), $"{field}.{name}", $"is set by the SLO compiler and may not be given (reserved: {string.Join(", ", ReservedLabels)})");
                    continue;
                }
                if (v is not YamlScalarNode { Value: { } value })
                {
                    Error(Line(v), $"{field}.{name}", $"must be a string, got {Describe(v)}");
                    continue;
                }
                result[name] = value;
            }
            return result;
        }

        private bool Bool(YamlMappingNode map, string key, string field)
        {
            var node = Value(map, key);
            if (node is null)
            {
                return false;
            }
            if (node is YamlScalarNode { Value: "true" or "True" or "TRUE" })
            {
                return true;
            }
            if (node is YamlScalarNode { Value: "false" or "False" or "FALSE" })
            {
                return false;
            }
            Error(Line(node), field, $"must be true or false, got {Describe(node)}");
            return false;
        }

        private string? String(YamlMappingNode map, string key, string field, bool required)
        {
            var node = Value(map, key);
            if (node is null)
            {
                if (required)
                {
                    Error(Line(map), field, "missing");
                }
                return null;
            }
            if (node is not YamlScalarNode { Value: { } text } || (required && text.Trim().Length == 0))
            {
                Error(Line(node), field, required ? $"must be a non-empty string, got {Describe(node)}" : $"must be a string, got {Describe(node)}");
                return null;
            }
            return text;
        }

        private void CheckName(string name, YamlNode node, string field)
        {
            if (!NamePattern().IsMatch(name))
            {
                Error(Line(node), field, $"\"{name}\" may hold only letters, digits, '_', '.' and '-', starting and ending with a letter or digit");
            }
        }

        private void CheckKeys(YamlMappingNode map, string field, string[] allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = key is YamlScalarNode { Value: { } n } ? n : key.ToString();
                if (!allowed.Contains(name))
                {
                    var where = field.Length > 0 ? $"{field}.{name}" : name;
                    Error(Line(key), where, $"unknown field (expected one of: {string.Join(", ", allowed)})");
                }
            }
        }

        private static YamlNode? Value(YamlMappingNode map, string key)
            => map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private static int Line(YamlNode node) => (int)node.Start.Line;

        // The file line of an offset in a query: a literal block (|) starts on the line after its indicator.
        private static int QueryLine(YamlScalarNode node, string text, int offset)
        {
            var line = 0;
            for (var i = 0; i < offset && i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                }
            }
            return Line(node) + line + (node.Style == ScalarStyle.Literal ? 1 : 0);
        }

        private static string Describe(YamlNode node) => node switch
        {
            YamlScalarNode s => $"\"{s.Value}\"",
            YamlSequenceNode => "a list",
            _ => "a mapping",
        };

        private void Error(int line, string field, string message) => _errors.Add(new SloSpecError(path, line, field, message));
    }

    /// <summary>
    /// The query with every placeholder replaced by <c>5m</c>, and for each replacement where it sits in the result
    /// and in the original (so a parse error's position can be mapped back to what the user wrote).
    /// </summary>
    internal static (string Rendered, List<(int Rendered, int Original, int OriginalLength)> Offsets) RenderForCheck(string query)
    {
        var offsets = new List<(int, int, int)>();
        var builder = new System.Text.StringBuilder(query.Length);
        var last = 0;
        foreach (Match m in PlaceholderPattern().Matches(query))
        {
            builder.Append(query, last, m.Index - last);
            offsets.Add((builder.Length, m.Index, m.Length));
            builder.Append("5m");
            last = m.Index + m.Length;
        }
        builder.Append(query, last, query.Length - last);
        return (builder.ToString(), offsets);
    }

    private static int MapBack(List<(int Rendered, int Original, int OriginalLength)> offsets, int position)
    {
        var shift = 0;
        foreach (var (rendered, original, length) in offsets)
        {
            if (position < rendered)
            {
                break;
            }
            if (position < rendered + 2)
            {
                return original;
            }
            shift = original + length - (rendered + 2);
        }
        return position + shift;
    }

    /// <summary>Replaces every <c>{{.window}}</c> (spaces inside the braces allowed) with <paramref name="window"/>.</summary>
    internal static string Render(string query, string window) => PlaceholderPattern().Replace(query, window);
}
