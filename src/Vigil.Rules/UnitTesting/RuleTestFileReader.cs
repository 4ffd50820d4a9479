using System.Globalization;
using System.Text;
using Vigil.Model;
using YamlDotNet.Core;

namespace Vigil.Rules.UnitTesting;

/// <summary>
/// Reads a rule unit-test file strictly, as promtool's <c>yaml.UnmarshalStrict</c> does: unknown keys,
/// repeated keys and values of the wrong type are errors, reported together in yaml.v2's words
/// (<c>yaml: unmarshal errors:\n  line 4: field x not found in type main.testGroup</c>); a bad duration is
/// reported alone (<c>not a valid duration string: "1x"</c>), as <c>model.Duration</c>'s unmarshaller does.
/// </summary>
public static class RuleTestFileReader
{
    /// <summary>Parses <paramref name="yaml"/>; on failure <paramref name="error"/> is the message promtool would print.</summary>
    public static bool TryRead(string yaml, out RuleTestFile file, out string? error)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        file = new RuleTestFile();
        error = null;
        YamlTree? root;
        try
        {
            root = YamlTree.Parse(yaml);
        }
        catch (YamlException e)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"yaml: line {e.Start.Line}: {FirstLine(e.InnerException?.Message ?? e.Message)}");
            return false;
        }
        if (root is null)
        {
            file.EvaluationInterval = TimeSpan.FromMinutes(1);
            return true;
        }
        var decoder = new Decoder();
        try
        {
            decoder.ReadFile(root, file);
        }
        catch (DurationException e)
        {
            error = e.Message;
            return false;
        }
        if (decoder.Errors.Count > 0)
        {
            var sb = new StringBuilder("yaml: unmarshal errors:");
            foreach (var e in decoder.Errors)
            {
                sb.Append("\n  ").Append(e);
            }
            error = sb.ToString();
            return false;
        }
        if (file.EvaluationInterval == TimeSpan.Zero)
        {
            file.EvaluationInterval = TimeSpan.FromMinutes(1);
        }
        return true;
    }

    private static string FirstLine(string message)
    {
        var i = message.IndexOf('\n', StringComparison.Ordinal);
        var line = i < 0 ? message : message[..i];
        // YamlDotNet prefixes "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; the line is already in front.
        var close = line.LastIndexOf("): ", StringComparison.Ordinal);
        line = close >= 0 && line.StartsWith("(Line", StringComparison.Ordinal) ? line[(close + 3)..] : line;
        // libyaml (behind yaml.v2) reports only the problem: "did not find expected node content",
        // where YamlDotNet says "While parsing a node, did not find expected node content."
        if (line.StartsWith("While ", StringComparison.Ordinal) && line.IndexOf(", ", StringComparison.Ordinal) is > 0 and var comma)
        {
            line = line[(comma + 2)..];
        }
        return line.TrimEnd('.');
    }

    private sealed class DurationException(string message) : Exception(message);

    /// <summary>Walks the document, filling the model and collecting yaml.v2-style type errors.</summary>
    private sealed class Decoder
    {
        public List<string> Errors { get; } = [];

        public void ReadFile(YamlTree root, RuleTestFile file)
        {
            ReadMapping(root, "main.unitTestFile", (key, value) =>
            {
                switch (key)
                {
                    case "rule_files":
                        ReadSequence(value, "[]string", item => file.RuleFiles.Add(ReadString(item, "string")));
                        return true;
                    case "evaluation_interval":
                        file.EvaluationInterval = ReadDuration(value);
                        return true;
                    case "group_eval_order":
                        ReadSequence(value, "[]string", item => file.GroupEvalOrder.Add(ReadString(item, "string")));
                        return true;
                    case "tests":
                        ReadSequence(value, "[]main.testGroup", item =>
                        {
                            var group = new RuleTestGroup();
                            ReadGroup(item, group);
                            file.Tests.Add(group);
                        });
                        return true;
                    default:
                        return false;
                }
            });
        }

        private void ReadGroup(YamlTree node, RuleTestGroup group)
        {
            ReadMapping(node, "main.testGroup", (key, value) =>
            {
                switch (key)
                {
                    case "interval":
                        group.Interval = ReadDuration(value);
                        return true;
                    case "input_series":
                        ReadSequence(value, "[]main.series", item =>
                        {
                            string series = "", values = "";
                            ReadMapping(item, "main.series", (k, v) =>
                            {
                                switch (k)
                                {
                                    case "series": series = ReadString(v, "string"); return true;
                                    case "values": values = ReadString(v, "string"); return true;
                                    default: return false;
                                }
                            });
                            group.InputSeries.Add(new InputSeries(series, values, LineOf(item)));
                        });
                        return true;
                    case "alert_rule_test":
                        ReadSequence(value, "[]main.alertTestCase", item =>
                        {
                            var test = new AlertRuleTestCase();
                            ReadAlertTest(item, test);
                            group.AlertRuleTests.Add(test);
                        });
                        return true;
                    case "promql_expr_test":
                        ReadSequence(value, "[]main.promqlTestCase", item =>
                        {
                            var test = new PromqlTestCase();
                            ReadPromqlTest(item, test);
                            group.PromqlExprTests.Add(test);
                        });
                        return true;
                    case "external_labels":
                        ReadStringMap(value, group.ExternalLabels);
                        return true;
                    case "external_url":
                        group.ExternalUrl = ReadString(value, "string");
                        return true;
                    case "name":
                        group.Name = ReadString(value, "string");
                        return true;
                    default:
                        return false;
                }
            });
        }

        private void ReadPromqlTest(YamlTree node, PromqlTestCase test)
        {
            ReadMapping(node, "main.promqlTestCase", (key, value) =>
            {
                switch (key)
                {
                    case "expr":
                        test.Expr = ReadString(value, "string");
                        return true;
                    case "eval_time":
                        test.EvalTime = ReadDuration(value);
                        return true;
                    case "exp_samples":
                        ReadSequence(value, "[]main.sample", item =>
                        {
                            string labels = "";
                            double v = 0;
                            ReadMapping(item, "main.sample", (k, x) =>
                            {
                                switch (k)
                                {
                                    case "labels": labels = ReadString(x, "string"); return true;
                                    case "value": v = ReadFloat(x); return true;
                                    default: return false;
                                }
                            });
                            test.ExpSamples.Add(new ExpectedSample(labels, v));
                        });
                        return true;
                    default:
                        return false;
                }
            });
        }

        private void ReadAlertTest(YamlTree node, AlertRuleTestCase test)
        {
            ReadMapping(node, "main.alertTestCase", (key, value) =>
            {
                switch (key)
                {
                    case "eval_time":
                        test.EvalTime = ReadDuration(value);
                        return true;
                    case "alertname":
                        test.AlertName = ReadString(value, "string");
                        return true;
                    case "exp_alerts":
                        ReadSequence(value, "[]main.alert", item =>
                        {
                            var alert = new ExpectedAlert();
                            ReadMapping(item, "main.alert", (k, v) =>
                            {
                                switch (k)
                                {
                                    case "exp_labels": ReadStringMap(v, alert.Labels); return true;
                                    case "exp_annotations": ReadStringMap(v, alert.Annotations); return true;
                                    default: return false;
                                }
                            });
                            test.ExpAlerts.Add(alert);
                        });
                        return true;
                    default:
                        return false;
                }
            });
        }

        private void ReadMapping(YamlTree node, string typeName, Func<string, YamlTree, bool> field)
        {
            if (IsNull(node))
            {
                return;
            }
            if (node is not YamlMap map)
            {
                TypeError(node, typeName);
                return;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in map.Entries)
            {
                var key = keyNode is YamlScalar s ? s.Value : "";
                if (!seen.Add(key))
                {
                    Errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {LineOf(keyNode)}: field {key} already set in type {typeName}"));
                    continue;
                }
                if (!field(key, value))
                {
                    Errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {LineOf(keyNode)}: field {key} not found in type {typeName}"));
                }
            }
        }

        private void ReadSequence(YamlTree node, string typeName, Action<YamlTree> item)
        {
            if (IsNull(node))
            {
                return;
            }
            if (node is not YamlSequence seq)
            {
                TypeError(node, typeName);
                return;
            }
            foreach (var child in seq.Items)
            {
                item(child);
            }
        }

        private void ReadStringMap(YamlTree node, Dictionary<string, string> into)
        {
            if (IsNull(node))
            {
                return;
            }
            if (node is not YamlMap map)
            {
                TypeError(node, "map[string]string");
                return;
            }
            foreach (var (k, v) in map.Entries)
            {
                var key = ReadString(k, "string");
                if (into.ContainsKey(key))
                {
                    Errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {LineOf(k)}: key \"{key}\" already set in map"));
                    continue;
                }
                into[key] = ReadString(v, "string");
            }
        }

        private string ReadString(YamlTree node, string typeName)
        {
            if (node is YamlScalar scalar)
            {
                // yaml.v2 decodes any scalar into a string field as written; null leaves it empty.
                return scalar.Resolve(out _) == GoYamlScalar.Kind.Null ? "" : scalar.Value;
            }
            TypeError(node, typeName);
            return "";
        }

        private double ReadFloat(YamlTree node)
        {
            if (node is not YamlScalar scalar)
            {
                TypeError(node, "float64");
                return 0;
            }
            var kind = scalar.Resolve(out var number);
            switch (kind)
            {
                case GoYamlScalar.Kind.Null:
                    return 0;
                case GoYamlScalar.Kind.Int or GoYamlScalar.Kind.Float:
                    return number;
                default:
                    Errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {LineOf(node)}: cannot unmarshal {GoYamlScalar.TagName(kind)} `{scalar.Value}` into float64"));
                    return 0;
            }
        }

        private TimeSpan ReadDuration(YamlTree node)
        {
            if (IsNull(node))
            {
                return TimeSpan.Zero;
            }
            var text = ReadString(node, "string");
            if (node is not YamlScalar)
            {
                return TimeSpan.Zero;
            }
            if (!PromDuration.TryParse(text, out var duration, out var error))
            {
                throw new DurationException(error ?? $"not a valid duration string: \"{text}\"");
            }
            return duration;
        }

        private void TypeError(YamlTree node, string typeName)
        {
            var what = node switch
            {
                YamlMap => "!!map",
                YamlSequence => "!!seq",
                YamlScalar s => $"{GoYamlScalar.TagName(s.Resolve(out _))} `{s.Value}`",
                _ => "!!node",
            };
            Errors.Add(string.Create(CultureInfo.InvariantCulture, $"line {LineOf(node)}: cannot unmarshal {what} into {typeName}"));
        }

        private static bool IsNull(YamlTree node) => node is YamlScalar s && s.Resolve(out _) == GoYamlScalar.Kind.Null;

        private static int LineOf(YamlTree node) => node.Line;
    }
}
