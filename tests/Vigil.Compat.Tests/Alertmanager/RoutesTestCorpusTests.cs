using System.Text;
using Vigil.Alerting.Config;
using Vigil.Alerting.Matching;
using Vigil.Alerting.Routing;
using Vigil.Cli.Commands;
using Vigil.Model;

namespace Vigil.Compat.Tests.Alertmanager;

/// <summary>
/// <c>amtool config routes test --tree</c> (0.25) and <c>vigil routes test --tree</c> print the same for every valid
/// corpus file and many label sets per file: sets built from the values the file's matchers name (and near misses),
/// with a fixed seed per file. Also <c>routes show</c> and <c>--verify.receivers</c>.
/// </summary>
public sealed class RoutesTestCorpusTests
{
    private const int LabelSetsPerFile = 12;

    public static TheoryData<string> Valid() => AlertmanagerCorpus.Names(AlertmanagerCorpus.ValidFiles());

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task Routes_test_prints_what_amtool_prints(string name)
    {
        var path = Path.Combine(AlertmanagerCorpus.Directory, name);
        var config = AlertmanagerConfigLoader.LoadFile(path);
        var labelSets = LabelSets(Route.Build(config.Route), name);
        var amtool = await AlertmanagerCorpus.RunAmtoolAsync(
            [.. labelSets.Select(args => (string[])["config", "routes", "test", "--config.file", path, "--tree", .. args])]);
        var mismatches = new StringBuilder();
        for (var i = 0; i < labelSets.Count; i++)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = RoutesCommand.Test(path, labelSets[i], tree: true, expectedReceivers: null, output, error);
            if (exit != amtool[i].ExitCode || output.ToString() != amtool[i].StandardOutput)
            {
                mismatches.Append("labels: ").AppendJoin(' ', labelSets[i]).Append("\namtool (exit ").Append(amtool[i].ExitCode).Append("):\n")
                    .Append(amtool[i].StandardOutput).Append(amtool[i].StandardError).Append("vigil (exit ").Append(exit).Append("):\n")
                    .Append(output).Append(error).Append('\n');
            }
        }
        Assert.True(mismatches.Length == 0, mismatches.ToString());
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public async Task Routes_show_and_verify_receivers_match_amtool(string name)
    {
        var path = Path.Combine(AlertmanagerCorpus.Directory, name);
        var config = AlertmanagerConfigLoader.LoadFile(path);
        var root = Route.Build(config.Route);
        var labels = LabelSets(root, name)[^1];
        var receivers = string.Join(',', root.Match(ParseLabels(labels)).Select(static r => r.Options.Receiver));
        var amtool = await AlertmanagerCorpus.RunAmtoolAsync([
            ["config", "routes", "show", "--config.file", path],
            ["config", "routes", "test", "--config.file", path, "--verify.receivers=" + receivers, .. labels],
            ["config", "routes", "test", "--config.file", path, "--verify.receivers=" + receivers + ",nope", .. labels],
        ]);

        using var show = new StringWriter();
        Assert.Equal(0, RoutesCommand.Show(path, show, TextWriter.Null));
        Assert.Equal(0, amtool[0].ExitCode);
        Assert.Equal(amtool[0].StandardOutput, show.ToString());

        foreach (var (expected, result) in new[] { (receivers, amtool[1]), (receivers + ",nope", amtool[2]) })
        {
            using var output = new StringWriter();
            var exit = RoutesCommand.Test(path, labels, tree: false, expected, output, TextWriter.Null);
            Assert.Equal(result.ExitCode, exit);
            Assert.Equal(result.StandardOutput, output.ToString());
        }
    }

    [Theory]
    [InlineData("team!=a")]
    [InlineData("team=~a")]
    [InlineData("team")]
    [InlineData("{team=\"a\"}")]
    [InlineData("a=\"b")]
    [InlineData("1a=b")]
    public async Task Bad_label_arguments_fail_like_amtool(string label)
    {
        var path = Path.Combine(AlertmanagerCorpus.Directory, "simple.yml");
        var amtool = (await AlertmanagerCorpus.RunAmtoolAsync([["config", "routes", "test", "--config.file", path, label]]))[0];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = RoutesCommand.Test(path, [label], tree: false, expectedReceivers: null, output, error);
        Assert.Equal(amtool.ExitCode, exit);
        Assert.Equal(amtool.StandardOutput, output.ToString());
        var message = amtool.StandardError.Split('\n').Single(static l => l.StartsWith("amtool: error: ", StringComparison.Ordinal))["amtool: error: ".Length..];
        Assert.Contains("vigil: error: " + message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_parses_like_amtools()
    {
        var path = Path.Combine(AlertmanagerCorpus.Directory, "simple.yml");
        string[][] cases =
        [
            ["routes", "--config.file", path],
            ["routes", "show", "--config.file", path],
            ["routes", "--config.file", path, "test", "--tree", "service=database", "owner=team-X"],
            ["routes", "test", "--config.file=" + path, "--verify.receivers=team-X-pager,team-DB-pager", "service=database", "owner=team-X"],
        ];
        var amtool = await AlertmanagerCorpus.RunAmtoolAsync([.. cases.Select(static c => (string[])["config", .. c])]);
        for (var i = 0; i < cases.Length; i++)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var root = Vigil.Cli.VigilCommand.Create(output, error);
            var exit = await root.Parse(cases[i]).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
            Assert.True(amtool[i].ExitCode == exit, string.Join(' ', cases[i]) + "\n" + amtool[i].Output + error);
            Assert.Equal(amtool[i].StandardOutput, output.ToString());
        }
    }

    // Label sets from the tree's own matchers: their names, their values (regex alternatives split out), and
    // near misses, so most sets reach some route and many exercise continue and fall-back.
    private static List<string[]> LabelSets(Route root, string seedName)
    {
        var values = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        root.Walk(route =>
        {
            foreach (var m in route.Matchers)
            {
                if (!values.TryGetValue(m.Name, out var set))
                {
                    values[m.Name] = set = new SortedSet<string>(StringComparer.Ordinal) { "", "zz" };
                }
                foreach (var candidate in Candidates(m))
                {
                    set.Add(candidate);
                }
            }
        });
        values.TryAdd("alertname", new SortedSet<string>(StringComparer.Ordinal) { "Down", "" });
        var names = values.Keys.ToArray();
        var random = new Random(seedName.Aggregate(17, static (h, c) => (h * 31) + c));
        var sets = new List<string[]> { Array.Empty<string>() };
        while (sets.Count < LabelSetsPerFile)
        {
            var count = random.Next(1, Math.Min(names.Length, 5) + 1);
            var picked = names.OrderBy(_ => random.Next()).Take(count);
            sets.Add([.. picked.Select(n =>
            {
                var pool = values[n].ToArray();
                return Matcher.Create(LabelMatchType.Equal, n, pool[random.Next(pool.Length)]).ToString();
            })]);
        }
        return sets;
    }

    private static IEnumerable<string> Candidates(Matcher m)
    {
        var v = m.Value;
        if (m.Type is LabelMatchType.Equal or LabelMatchType.NotEqual)
        {
            return [v, v + "x"];
        }
        if (v.StartsWith("^(?:", StringComparison.Ordinal) && v.EndsWith(")$", StringComparison.Ordinal))
        {
            v = v[4..^2];
        }
        var list = new List<string>();
        foreach (var part in v.Trim('^', '$', '(', ')').Split('|'))
        {
            var literal = new string([.. part.Where(static c => char.IsLetterOrDigit(c) || c is '-' or '_' or '/' or ' ')]);
            list.Add(literal);
            list.Add(literal + "suffix");
            list.Add("prefix" + literal);
        }
        return list;
    }

    private static Labels ParseLabels(string[] args)
    {
        var labels = new List<Label>();
        foreach (var arg in args)
        {
            Assert.True(MatcherParser.TryParseMatcher(arg, out var m, out _));
            labels.RemoveAll(l => l.Name == m.Name);
            labels.Add(new Label(m.Name, m.Value));
        }
        return Labels.From(labels);
    }
}
