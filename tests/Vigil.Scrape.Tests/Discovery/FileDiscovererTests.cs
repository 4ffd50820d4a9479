using Vigil.Model;
using Vigil.Scrape.Discovery;
using Vigil.Testing;

namespace Vigil.Scrape.Tests.Discovery;

public sealed class FileDiscovererTests : IDisposable
{
    private readonly TempDirectory _dir = new("vigil-filesd");
    private readonly ManualClock _clock = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Replaces a file atomically (write aside, rename), as config management does: a plain write is seen half-done.</summary>
    private static void Replace(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static bool HasTargets(IReadOnlyDictionary<string, TargetGroup> groups, string source, params string[] addresses)
        => groups.TryGetValue(source, out var g) && g.Targets.Select(t => t.Get("__address__")).SequenceEqual(addresses);

    [Fact]
    public async Task Reads_json_and_yaml_files_matching_globs_with_filepath_label_and_path_index_sources()
    {
        File.WriteAllText(_dir.File("a.json"), """
            [{"targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": {"env": "prod"}},
             {"targets": ["10.0.0.3:9100"]}]
            """);
        File.WriteAllText(_dir.File("b.yml"), """
            - targets: ['db:9187']
              labels:
                team: data
            """);
        File.WriteAllText(_dir.File("c.yaml"), "- targets: [x:1]\n");
        File.WriteAllText(_dir.File("ignored.txt"), "[]");
        File.WriteAllText(_dir.File("b.ymlx"), "- targets: [nope:1]\n");
        var discoverer = new FileDiscoverer(new FileSdOptions([_dir.File("*.json"), _dir.File("*.yml")]), _clock);
        await using var probe = new DiscoveryProbe(discoverer);

        var groups = await probe.WaitAsync(g => g.Count == 3);

        var a0 = groups[_dir.File("a.json") + ":0"];
        Assert.Equal(["10.0.0.1:9100", "10.0.0.2:9100"], a0.Targets.Select(t => t.Get("__address__")));
        Assert.Equal(Labels.Of("__meta_filepath", _dir.File("a.json"), "env", "prod"), a0.Labels);
        Assert.Equal(Labels.Of("__meta_filepath", _dir.File("a.json")), groups[_dir.File("a.json") + ":1"].Labels);
        var b0 = groups[_dir.File("b.yml") + ":0"];
        Assert.Equal(Labels.Of("__address__", "db:9187"), b0.Targets[0]);
        Assert.Equal("data", b0.Labels.Get("team"));
        Assert.Null(discoverer.LastError);
    }

    [Fact]
    public async Task A_changed_file_is_reread_on_the_watch_notification_and_a_deleted_one_removes_its_groups()
    {
        var path = _dir.File("targets.json");
        File.WriteAllText(path, """[{"targets": ["a:1"]}, {"targets": ["b:1"]}]""");
        var discoverer = new FileDiscoverer(new FileSdOptions([_dir.File("*.json")]), _clock);
        await using var probe = new DiscoveryProbe(discoverer);
        await probe.WaitAsync(g => g.Count == 2);

        // No clock movement: only the file system watcher can notice this.
        Replace(path, """[{"targets": ["a:2"]}]""");
        await probe.WaitAsync(g => g.Count == 1 && HasTargets(g, path + ":0", "a:2"), what: "the rewritten file");

        Replace(_dir.File("new.json"), """[{"targets": ["c:1"]}]""");
        await probe.WaitAsync(g => HasTargets(g, _dir.File("new.json") + ":0", "c:1"), what: "the new file");

        File.Delete(path);
        await probe.WaitAsync(g => g.Count == 1 && !g.ContainsKey(path + ":0"), what: "the deleted file's groups to go");
    }

    [Fact]
    public async Task The_refresh_interval_rereads_files_without_a_notification()
    {
        var path = _dir.File("t.json");
        File.WriteAllText(path, """[{"targets": ["a:1"]}]""");
        var discoverer = new FileDiscoverer(new FileSdOptions([path]) { RefreshInterval = TimeSpan.FromMinutes(5) }, _clock);
        await using var probe = new DiscoveryProbe(discoverer);
        await probe.WaitAsync(g => g.Count == 1);
        var before = discoverer.Refreshes;

        _clock.Advance(TimeSpan.FromMinutes(5));
        await probe.WaitAsync(_ => discoverer.Refreshes > before, () => _clock.Advance(TimeSpan.FromMinutes(5)), "a timed refresh");
    }

    [Theory]
    [InlineData("bad.json", "[{\"targets\": [\"a:1\"]", "")]
    [InlineData("bad.json", "[{\"targets\": [\"a:1\"], \"labels\": {\"1x\": \"v\"}}]", "\"1x\" is not a valid label name")]
    [InlineData("bad.json", "[null]", "nil target group item found (index 0)")]
    [InlineData("bad.yml", "- targets: [a:1]\n  lables: {a: b}\n", "field lables not found")]
    [InlineData("bad.yml", "- targets: [a:1\n", "yaml:")]
    public async Task A_file_that_fails_to_parse_keeps_its_previous_targets_and_records_the_error(string name, string bad, string expected)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, name.EndsWith(".json") ? """[{"targets": ["old:1"]}]""" : "- targets: ['old:1']\n");
        var discoverer = new FileDiscoverer(new FileSdOptions([path]), _clock);
        await using var probe = new DiscoveryProbe(discoverer);
        await probe.WaitAsync(g => HasTargets(g, path + ":0", "old:1"));

        Replace(path, bad);
        await probe.WaitAsync(_ => discoverer.FileErrors.ContainsKey(path), () => _clock.Advance(TimeSpan.FromMinutes(5)), "the parse error");

        Assert.Contains(expected, discoverer.FileErrors[path]);
        Assert.StartsWith($"Error reading file \"{path}\"", discoverer.LastError);
        Assert.True(HasTargets(probe.Groups, path + ":0", "old:1"));

        Replace(path, name.EndsWith(".json") ? """[{"targets": ["new:1"]}]""" : "- targets: ['new:1']\n");
        await probe.WaitAsync(g => HasTargets(g, path + ":0", "new:1"), () => _clock.Advance(TimeSpan.FromMinutes(5)), "recovery");
        Assert.Null(discoverer.LastError);
    }

    [Fact]
    public void Refuses_paths_without_a_known_extension()
        => Assert.Throws<ArgumentException>(() => new FileDiscoverer(new FileSdOptions(["/etc/targets.txt"])));

    [Fact]
    public void Empty_yaml_is_no_groups_and_empty_json_is_an_error()
    {
        Assert.Empty(TargetGroupFormat.ParseYaml(""));
        Assert.Equal("unexpected end of JSON input", Assert.Throws<FormatException>(() => TargetGroupFormat.ParseJson(""u8)).Message);
        Assert.Empty(TargetGroupFormat.ParseJson("[]"u8));
    }
}
