using Vigil.Server.Hosting;
using Vigil.Testing;

namespace Vigil.Server.Tests.Rules;

/// <summary>A rule file that does not load stops start-up with file:line, as it stops Prometheus; nothing is opened.</summary>
public sealed class RuleStartupTests
{
    [Fact]
    public void A_rule_file_with_errors_stops_start_up_with_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("good.yml"), "groups:\n  - name: fine\n    rules:\n      - record: one\n        expr: vector(1)\n");
        File.WriteAllText(dir.File("bad.yml"), "groups:\n  - name: broken\n    rules:\n      - record: two\n        expr: sum(\n");
        var config = dir.File("vigil.yaml"); // .yaml: the rule_files glob must not match the config itself
        File.WriteAllText(config, "rule_files: ['*.yml']\nscrape_configs: []\n");

        var e = Assert.Throws<StartupException>(() => VigilHost.Build(new ServerOptions { DataPath = dir.File("data"), ConfigFile = config }));

        Assert.Contains("--config.file", e.Message, StringComparison.Ordinal);
        Assert.Contains("bad.yml", e.Message, StringComparison.Ordinal);
        Assert.Contains("5:", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("good.yml", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("data")), "start-up stopped before the data directory was created");
    }

    [Fact]
    public void Rule_files_that_load_let_start_up_continue()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("good.yml"), "groups:\n  - name: fine\n    rules:\n      - record: one\n        expr: vector(1)\n");
        var config = dir.File("vigil.yaml");
        File.WriteAllText(config, "rule_files: ['*.yml']\nscrape_configs: []\n");
        var options = new ServerOptions { DataPath = dir.File("data"), ConfigFile = config };

        var thrown = Record.Exception(() => Vigil.Server.Rules.RuleService.ThrowIfRuleFilesInvalid(Vigil.Server.Scrape.ScrapeService.LoadInitial(options), options));

        Assert.Null(thrown);
    }
}
