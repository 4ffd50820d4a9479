using System.Net;
using Vigil.Server.Hosting;
using Vigil.Testing;

namespace Vigil.Server.Tests.Hosting;

public sealed class VigilHostTests
{
    [Fact]
    public async Task Creates_the_data_directory_with_the_tsdb_in_it()
    {
        await using var vigil = await TestVigil.StartAsync();
        Assert.True(Directory.Exists(vigil.DataPath));
        var entries = Directory.EnumerateFileSystemEntries(vigil.DataPath).Select(p => Path.GetFileName(p)!).Order().ToArray();
        Assert.Equal(["alertmanager", "lock", "wal"], entries); // the alerting state dir; and the write probe is cleaned up
    }

    [Fact]
    public async Task A_data_directory_in_use_by_another_server_is_a_startup_error()
    {
        await using var first = await TestVigil.StartAsync();
        var e = Assert.Throws<StartupException>(() => VigilHost.Build(new ServerOptions { DataPath = first.DataPath }));
        Assert.Contains("opening storage failed", e.Message);
        Assert.Contains("locked by another process", e.Message);
    }

    [Fact]
    public async Task Samples_appended_before_a_restart_are_there_after_it()
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(dir.Path, "data");
        var labels = Vigil.Model.Labels.Of("__name__", "up", "job", "x");
        await using (var first = await TestVigil.StartAsync(_ => new ServerOptions { DataPath = data }))
        {
            var db = (Vigil.Tsdb.TimeSeriesDb)first.App.Services.GetService(typeof(Vigil.Tsdb.TimeSeriesDb))!;
            var app = db.Appender();
            var r = Vigil.Storage.SeriesRef.None;
            app.Append(ref r, labels, 1000, 1);
            app.Commit();
        }
        await using var second = await TestVigil.StartAsync(_ => new ServerOptions { DataPath = data });
        var reopened = (Vigil.Tsdb.TimeSeriesDb)second.App.Services.GetService(typeof(Vigil.Tsdb.TimeSeriesDb))!;
        Assert.Equal(1, reopened.LastReplay.Samples);
        var metrics = await second.Client.GetStringAsync("/metrics");
        Assert.Contains("prometheus_tsdb_head_series 1", metrics);
    }

    [Fact]
    public void An_unusable_data_directory_is_a_startup_error_naming_the_flag()
    {
        using var dir = new TempDirectory();
        var file = dir.File("not-a-dir");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<StartupException>(() => VigilHost.Build(new ServerOptions { DataPath = file }));
        Assert.Contains("--storage.tsdb.path", e.Message);
        Assert.Contains("not-a-dir", e.Message);
    }

    [Fact]
    public void A_missing_config_file_is_a_startup_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<StartupException>(() => VigilHost.Build(new ServerOptions { DataPath = dir.File("data"), ConfigFile = dir.File("nope.yml") }));
        Assert.Contains("nope.yml", e.Message);
        Assert.Contains("--config.file", e.Message);
    }

    [Fact]
    public async Task Serves_its_own_metrics_in_text_format()
    {
        await using var vigil = await TestVigil.StartAsync();
        await vigil.Client.GetAsync("/-/healthy");
        var response = await vigil.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE vigil_build_info gauge", body);
        Assert.Contains($"version=\"{BuildInfo.Version}\"", body);
        Assert.Contains("http_requests_total{", body);
        Assert.Contains("route=\"/-/healthy\"", body);
        Assert.Contains("process_start_time_seconds", body);
        Assert.Contains("# TYPE prometheus_tsdb_head_samples_appended_total counter", body);
        Assert.Contains("prometheus_tsdb_wal_corruptions_total 0", body);
    }

    [Fact]
    public async Task Serves_OpenMetrics_when_asked()
    {
        await using var vigil = await TestVigil.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", Vigil.Model.Exposition.ExpositionContentType.ScrapeAccept);
        var response = await vigil.Client.SendAsync(request);
        Assert.StartsWith("application/openmetrics-text", response.Content.Headers.ContentType!.ToString());
        Assert.EndsWith("# EOF\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Landing_page_links_the_endpoints()
    {
        await using var vigil = await TestVigil.StartAsync();
        var body = await vigil.Client.GetStringAsync("/");
        Assert.Contains("href=\"/metrics\"", body);
    }
}
