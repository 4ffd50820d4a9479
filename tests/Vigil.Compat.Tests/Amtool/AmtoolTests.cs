using System.Net.Http.Json;
using System.Text.Json;
using Vigil.Testing;

namespace Vigil.Compat.Tests.Amtool;

/// <summary>One <c>vigil serve --alertmanager.config.file</c> process for the amtool tests.</summary>
public sealed class AmtoolVigilFixture : IAsyncLifetime
{
    public const string Config = """
        route:
          receiver: default
          group_by: [alertname]
          routes:
            - matchers: [team="a"]
              receiver: team-a
            - matchers: [team=~"b|c"]
              receiver: team-bc
              continue: true
        receivers:
          - name: default
          - name: team-a
          - name: team-bc
        inhibit_rules:
          - source_matchers: [severity="critical"]
            target_matchers: [severity="warning"]
            equal: [alertname]
        """;

    private readonly TempDirectory _dir = new();

    public VigilProcess Vigil { get; private set; } = null!;

    public string Url => Vigil.BaseAddress.ToString().TrimEnd('/');

    public string Amtool { get; } = ExternalTool.Require("amtool", "prometheus-alertmanager");

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("alertmanager.yml"), Config);
        Vigil = await VigilProcess.StartServeAsync(_dir.File("data"), $"--alertmanager.config.file={_dir.File("alertmanager.yml")}");
    }

    public async Task DisposeAsync()
    {
        await Vigil.DisposeAsync();
        _dir.Dispose();
    }

    public Task<ExternalTool.Result> RunAsync(params string[] args) => ExternalTool.RunAsync(Amtool, [$"--alertmanager.url={Url}", .. args]);
}

/// <summary>The real amtool 0.25 against Vigil's Alertmanager API v2.</summary>
public sealed class AmtoolTests(AmtoolVigilFixture fixture) : IClassFixture<AmtoolVigilFixture>
{
    private static string Lines(string text) => string.Join('\n', text.Split('\n').Select(static l => l.TrimEnd()).Where(static l => l.Length > 0 && !l.StartsWith("Warning: amtool version", StringComparison.Ordinal)));

    [Fact]
    public async Task Alert_add_then_query_shows_the_alert_and_hides_inhibited_ones_unless_asked()
    {
        var name = "AmtoolAdd" + Guid.NewGuid().ToString("N")[..8];
        var add = await fixture.RunAsync("alert", "add", $"alertname={name}", "severity=critical", "--annotation=summary=disk full");
        Assert.True(add.ExitCode == 0, add.Output);
        add = await fixture.RunAsync("alert", "add", $"alertname={name}", "severity=warning");
        Assert.True(add.ExitCode == 0, add.Output);

        var query = await fixture.RunAsync("alert", "query", $"alertname={name}");
        Assert.True(query.ExitCode == 0, query.Output);
        var lines = Lines(query.StandardOutput).Split('\n');
        Assert.Equal(2, lines.Length); // header and the critical one; the warning is inhibited
        Assert.Matches($@"^{name}\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+disk full\s+active$", lines[1]);

        // As with a real Alertmanager, --inhibited alone shows only the inhibited ones; with --active both.
        var inhibited = await fixture.RunAsync("alert", "query", "--inhibited", "-o", "json", $"alertname={name}");
        using (var only = JsonDocument.Parse(inhibited.StandardOutput))
        {
            Assert.Equal("warning", Assert.Single(only.RootElement.EnumerateArray()).GetProperty("labels").GetProperty("severity").GetString());
        }
        var all = await fixture.RunAsync("alert", "query", "--inhibited", "--active", "-o", "json", $"alertname={name}");
        using var doc = JsonDocument.Parse(all.StandardOutput);
        var states = doc.RootElement.EnumerateArray().Select(a => (a.GetProperty("labels").GetProperty("severity").GetString(), a.GetProperty("status").GetProperty("state").GetString())).OrderBy(s => s.Item1).ToList();
        Assert.Equal([("critical", "active"), ("warning", "suppressed")], states);
    }

    [Fact]
    public async Task Silence_add_query_expire_round_trip()
    {
        var name = "AmtoolSilence" + Guid.NewGuid().ToString("N")[..8];
        var add = await fixture.RunAsync("silence", "add", $"alertname={name}", "instance=~\"web.*\"", "-c", "maintenance window", "-a", "ops", "-d", "2h");
        Assert.True(add.ExitCode == 0, add.Output);
        var id = add.StandardOutput.Trim();
        Assert.True(Guid.TryParse(id, out _), add.Output);

        var query = await fixture.RunAsync("silence", "query", $"alertname={name}");
        var lines = Lines(query.StandardOutput).Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^{id}\s+alertname=""{name}"" instance=~""web\.\*""\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+ops\s+maintenance window$", lines[1]);

        var quiet = await fixture.RunAsync("silence", "query", "-q", $"alertname={name}");
        Assert.Equal(id, quiet.StandardOutput.Trim());

        var expire = await fixture.RunAsync("silence", "expire", id);
        Assert.True(expire.ExitCode == 0, expire.Output);
        Assert.Equal("", Lines((await fixture.RunAsync("silence", "query", "-q", $"alertname={name}")).StandardOutput));
        Assert.Equal(id, (await fixture.RunAsync("silence", "query", "-q", "--expired", $"alertname={name}")).StandardOutput.Trim());

        var again = await fixture.RunAsync("silence", "expire", id);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("already expired", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silence_import_creates_the_silences_of_a_query_export()
    {
        using var dir = new TempDirectory();
        var name = "AmtoolImport" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var export = $$"""
            [{"matchers":[{"name":"alertname","value":"{{name}}","isRegex":false,"isEqual":true}],"startsAt":"{{now:yyyy-MM-ddTHH:mm:ssZ}}","endsAt":"{{now.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}","createdBy":"import","comment":"one"},
             {"matchers":[{"name":"alertname","value":"{{name}}","isRegex":false,"isEqual":true},{"name":"job","value":"{{name}}","isRegex":false,"isEqual":false}],"startsAt":"{{now:yyyy-MM-ddTHH:mm:ssZ}}","endsAt":"{{now.AddHours(1):yyyy-MM-ddTHH:mm:ssZ}}","createdBy":"import","comment":"two"}]
            """;
        await File.WriteAllTextAsync(dir.File("silences.json"), export);
        var import = await fixture.RunAsync("silence", "import", dir.File("silences.json"));
        Assert.True(import.ExitCode == 0, import.Output);

        var json = await fixture.RunAsync("silence", "query", "-o", "json", $"alertname={name}");
        using var doc = JsonDocument.Parse(json.StandardOutput);
        var two = Assert.Single(doc.RootElement.EnumerateArray(), s => s.GetProperty("comment").GetString() == "two");
        var matcher = Assert.Single(two.GetProperty("matchers").EnumerateArray(), m => m.GetProperty("name").GetString() == "job");
        Assert.False(matcher.GetProperty("isEqual").GetBoolean());
        Assert.Equal(2, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Config_show_prints_the_configuration_and_config_routes_draws_the_tree()
    {
        var show = await fixture.RunAsync("config", "show");
        Assert.True(show.ExitCode == 0, show.Output);
        Assert.Contains("receiver: team-bc", show.StandardOutput, StringComparison.Ordinal);

        var routes = await fixture.RunAsync("config", "routes");
        Assert.True(routes.ExitCode == 0, routes.Output);
        Assert.Equal("""
            Routing tree:
            .
            └── default-route  receiver: default
                ├── {team="a"}  receiver: team-a
                └── {team=~"b|c"}  continue: true  receiver: team-bc
            """.ReplaceLineEndings("\n"), Lines(routes.StandardOutput));
    }

    [Fact]
    public async Task Bad_input_gets_Alertmanagers_errors()
    {
        using var http = new HttpClient { BaseAddress = fixture.Vigil.BaseAddress };
        var response = await http.PostAsJsonAsync("/api/v2/alerts", new object[] { new { labels = new Dictionary<string, string> { ["bad-name"] = "x", ["alertname"] = "A" } }, new { labels = new Dictionary<string, string>() } });
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("\"invalid label set: invalid name \\\"bad-name\\\"; at least one label pair required\"", (await response.Content.ReadAsStringAsync()).Trim());

        response = await http.PostAsync("/api/v2/alerts", new StringContent("[{\"annotations\":{}}]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("{\"code\":602,\"message\":\"0.labels in body is required\"}", (await response.Content.ReadAsStringAsync()).Trim());

        response = await http.GetAsync("/api/v2/silence/nope");
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Equal("{\"code\":601,\"message\":\"silenceID in path must be of type uuid: \\\"nope\\\"\"}", (await response.Content.ReadAsStringAsync()).Trim());

        var silence = new { matchers = new[] { new { name = "a", value = "", isRegex = false } }, startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddHours(1), createdBy = "x", comment = "c" };
        response = await http.PostAsJsonAsync("/api/v2/silences", silence);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("\"silence invalid: at least one matcher must not match the empty string\"", (await response.Content.ReadAsStringAsync()).Trim());

        response = await http.GetAsync("/api/v2/alerts?receiver=(");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("\"failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`\"", (await response.Content.ReadAsStringAsync()).Trim());
    }
}
