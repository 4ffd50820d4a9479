using System.Net;
using System.Text.Json;
using Vigil.Server.Hosting;
using Vigil.Server.Rules;
using Vigil.Server.Tests.Api;
using Vigil.Server.Tests.Hosting;
using Vigil.Testing;

namespace Vigil.Server.Tests.Slo;

/// <summary>
/// <c>vigil serve --slo.file</c>: specs compile in-process to rule groups evaluated next to <c>rule_files</c>, a
/// reload recompiles them, a broken spec keeps the running rules on reload and stops start-up with file:line.
/// </summary>
public sealed class SloFileTests
{
    private const string Spec = """
        version: vigil/v1
        service: shop
        slos:
          - name: availability
            objective: 99.9
            sli:
              events:
                error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
                total_query: sum(rate(http_requests_total[{{.window}}]))
            alerting:
              name: ShopBudgetBurn
        """;

    private static Func<TestVigil, ServerOptions> Options(string spec) => v =>
    {
        File.WriteAllText(Path.Combine(v.Dir, "rules.yml"), "groups:\n  - name: plain\n    rules:\n      - record: one\n        expr: vector(1)\n");
        File.WriteAllText(Path.Combine(v.Dir, "shop.slo.yml"), spec);
        var config = Path.Combine(v.Dir, "vigil.yml");
        File.WriteAllText(config, "global:\n  evaluation_interval: 1s\nrule_files: ['rules.yml']\n");
        return new ServerOptions
        {
            DataPath = v.DataPath,
            ConfigFile = config,
            EnableLifecycle = true,
            SloFiles = [Path.Combine(v.Dir, "*.slo.yml")],
        };
    };

    [Fact]
    public async Task Slo_groups_are_evaluated_alongside_rule_files_and_reloaded()
    {
        await using var vigil = await TestVigil.StartAsync(Options(Spec));
        var data = await WaitForAsync(vigil.Client, "/api/v1/rules", d => d.GetProperty("groups").GetArrayLength() > 1);
        // The API lists groups in the manager's order; which comes first is not the point here.
        var all = data.GetProperty("groups").EnumerateArray().ToList();
        var plain = Assert.Single(all, g => g.GetProperty("name").GetString() == "plain");
        Assert.Equal(Path.Combine(vigil.Dir, "rules.yml"), plain.GetProperty("file").GetString());
        var groups = all.Where(g => g.GetProperty("name").GetString() != "plain").ToList();
        var sloFile = Path.Combine(vigil.DataPath, SloRuleSource.FolderName, "000-shop.slo.yml");
        Assert.All(groups, g => Assert.Equal(sloFile, g.GetProperty("file").GetString()));
        Assert.All(groups, g => Assert.Equal(1, g.GetProperty("interval").GetDouble()));
        var names = groups.SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("ShopBudgetBurn", names);
        Assert.Contains("slo:sli_error:ratio_rate5m", names);

        // The compiled rules run: the SLO's objective series is recorded into the TSDB.
        await WaitForAsync(vigil.Client, "/api/v1/query?query=slo:objective:ratio", d => d.GetProperty("result").GetArrayLength() == 1);

        // A changed spec is recompiled by /-/reload.
        File.WriteAllText(Path.Combine(vigil.Dir, "shop.slo.yml"), Spec.Replace("ShopBudgetBurn", "ShopBurn", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await vigil.Client.PostAsync("/-/reload", null)).StatusCode);
        Assert.Contains("ShopBurn", RuleNames(await vigil.Client.GetDataAsync("/api/v1/rules")));

        // A broken one fails the reload with file:line and the running rules stay.
        File.WriteAllText(Path.Combine(vigil.Dir, "shop.slo.yml"), Spec.Replace("99.9", "100", StringComparison.Ordinal));
        var failed = await vigil.Client.PostAsync("/-/reload", null);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var body = await failed.Content.ReadAsStringAsync();
        Assert.Contains("previous rule set restored", body, StringComparison.Ordinal);
        Assert.Contains("shop.slo.yml:5: slos[0].objective: must be greater than 0 and less than 100", body, StringComparison.Ordinal);
        var after = RuleNames(await vigil.Client.GetDataAsync("/api/v1/rules"));
        Assert.Contains("ShopBurn", after);
        Assert.Contains("one", after);
    }

    [Fact]
    public void A_broken_spec_stops_start_up_with_file_and_line()
    {
        using var dir = new TempDirectory();
        var spec = Path.Combine(dir.Path, "bad.yml");
        File.WriteAllText(spec, Spec.Replace("99.9", "100", StringComparison.Ordinal));
        var e = Assert.Throws<StartupException>(() => SloRuleSource.ThrowIfInvalid(new ServerOptions { DataPath = dir.Path, SloFiles = [spec] }));
        Assert.Contains($"{spec}:5: slos[0].objective: must be greater than 0 and less than 100 (a percentage), got 100", e.Message, StringComparison.Ordinal);

        var missing = Path.Combine(dir.Path, "none.yml");
        e = Assert.Throws<StartupException>(() => SloRuleSource.ThrowIfInvalid(new ServerOptions { DataPath = dir.Path, SloFiles = [missing] }));
        Assert.Contains($"{missing}: SLO spec file not found (--slo.file)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_files_follow_the_specs_given_and_stale_ones_are_removed()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "a.yml"), Spec);
        File.WriteAllText(Path.Combine(dir.Path, "b.yml"), Spec.Replace("service: shop", "service: cart", StringComparison.Ordinal));
        var output = Path.Combine(dir.Path, "out");
        Assert.True(new SloRuleSource([Path.Combine(dir.Path, "*.yml")], output).TryGenerate(out var files, out var errors), string.Join("\n", errors));
        Assert.Equal([Path.Combine(output, "000-a.yml"), Path.Combine(output, "001-b.yml")], files);
        Assert.Contains("ShopBudgetBurn", File.ReadAllText(files[0]), StringComparison.Ordinal);

        Assert.True(new SloRuleSource([Path.Combine(dir.Path, "b.yml")], output).TryGenerate(out files, out _));
        Assert.Equal([Path.Combine(output, "000-b.yml")], files);
        Assert.Equal(["000-b.yml"], Directory.GetFiles(output).Select(Path.GetFileName));

        // The same SLO in two files is one error, and nothing is written.
        File.WriteAllText(Path.Combine(dir.Path, "b.yml"), Spec);
        Assert.False(new SloRuleSource([Path.Combine(dir.Path, "*.yml")], output).TryGenerate(out _, out errors));
        Assert.Contains(errors, e => e.Contains("is already defined at", StringComparison.Ordinal));
        Assert.Equal(["000-b.yml"], Directory.GetFiles(output).Select(Path.GetFileName));
    }

    private static List<string?> RuleNames(JsonElement data) =>
        data.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("name").GetString()).ToList();

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string url, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var data = await client.GetDataAsync(url);
            if (condition(data))
            {
                return data;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{url}: condition not met within 30 s; last answer: {data}");
            await Task.Delay(100);
        }
    }
}
