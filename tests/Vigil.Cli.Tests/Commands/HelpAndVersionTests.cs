using Vigil.Testing;

namespace Vigil.Cli.Tests.Commands;

public sealed class HelpAndVersionTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await VigilCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Root_help_lists_the_commands()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("monitoring platform", output);
        Assert.Contains("serve", output);
        Assert.Contains("version", output);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("version")]
    public async Task Every_command_has_help(string command)
    {
        var (code, output, _) = await Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains(command, output);
    }

    [Fact]
    public async Task Serve_help_shows_Prometheus_flag_names_and_defaults()
    {
        var (_, output, _) = await Run("serve", "--help");
        foreach (var flag in new[] { "--web.listen-address", "--storage.tsdb.path", "--config.file", "--storage.tsdb.retention.time", "--storage.tsdb.retention.size", "--web.enable-lifecycle", "--log.level" })
        {
            Assert.Contains(flag, output);
        }
        Assert.Contains("127.0.0.1:9090", output);
        Assert.Contains("15d", output);
    }

    [Fact]
    public async Task Version_prints_version_revision_runtime_and_platform()
    {
        var (code, output, _) = await Run("version");
        Assert.Equal(0, code);
        Assert.Matches(@"^vigil, version \d+\.\d+\.\d+ \(revision: [^)]+\)\n", output);
        Assert.Contains(".NET version:", output);
        Assert.Contains("platform:", output);
    }

    [Theory]
    [InlineData("--storage.tsdb.retention.time=15", "--storage.tsdb.retention.time: not a valid duration string: \"15\"")]
    [InlineData("--storage.tsdb.retention.size=10XB", "--storage.tsdb.retention.size: invalid size \"10XB\"")]
    [InlineData("--web.listen-address=9090", "--web.listen-address: listen address \"9090\": missing port")]
    public async Task Bad_flag_values_fail_naming_the_flag(string flag, string expected)
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("serve", flag, $"--storage.tsdb.path={dir.File("data")}");
        Assert.Equal(1, code);
        Assert.Contains("vigil: error: " + expected, error);
    }

    [Fact]
    public async Task Bad_log_level_is_rejected()
    {
        var (code, _, error) = await Run("serve", "--log.level=loud");
        Assert.NotEqual(0, code);
        Assert.Contains("loud", error);
    }

    [Fact]
    public async Task Unknown_command_is_an_error()
    {
        var (code, _, error) = await Run("serf");
        Assert.NotEqual(0, code);
        Assert.Contains("serf", error);
    }

    [Fact]
    public async Task Missing_config_file_fails_naming_it()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = await Run("serve", $"--config.file={dir.File("missing.yml")}", $"--storage.tsdb.path={dir.File("data")}");
        Assert.Equal(1, code);
        Assert.Contains("missing.yml", error);
    }
}
