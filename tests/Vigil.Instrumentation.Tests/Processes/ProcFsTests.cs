using Vigil.Instrumentation.Processes;
using Vigil.Testing;

namespace Vigil.Instrumentation.Tests.Processes;

public sealed class ProcFsTests
{
    // proc(5) stat with a command name holding spaces and parentheses; vsize (field 23) = 1234567680, rss (24) = 2500.
    private const string Stat =
        "4242 (my (odd) app) S 1 4242 4242 0 -1 4194560 12000 0 3 0 150 40 0 0 20 0 21 0 987654 1234567680 2500 18446744073709551615 1 1 0 0 0 0 0 4096 17630 0 0 0 17 3 0 0 0 0 0\n";

    private const string Limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max file size             unlimited            unlimited            bytes
        Max open files            1024                 524288               files
        Max locked memory         8388608              8388608              bytes

        """;

    [Fact]
    public void Stat_fields_are_counted_from_the_last_parenthesis()
    {
        using var dir = new TempDirectory("procfs");
        File.WriteAllText(dir.File("stat"), Stat);

        Assert.Equal((1234567680L, 2500L), new ProcFs(dir.Path).ReadStat());
    }

    [Fact]
    public void Max_fds_is_the_soft_limit()
    {
        using var dir = new TempDirectory("procfs");
        File.WriteAllText(dir.File("limits"), Limits);

        Assert.Equal(1024, new ProcFs(dir.Path).ReadMaxFds());
    }

    [Fact]
    public void An_unlimited_max_fds_is_absent()
    {
        using var dir = new TempDirectory("procfs");
        File.WriteAllText(dir.File("limits"), Limits.Replace("1024                 524288", "unlimited            unlimited", StringComparison.Ordinal));

        Assert.Null(new ProcFs(dir.Path).ReadMaxFds());
    }

    [Fact]
    public void Open_fds_counts_the_fd_directory()
    {
        using var dir = new TempDirectory("procfs");
        Directory.CreateDirectory(Path.Combine(dir.Path, "fd"));
        foreach (var fd in new[] { "0", "1", "2", "7" })
        {
            File.WriteAllText(Path.Combine(dir.Path, "fd", fd), "");
        }

        Assert.Equal(4, new ProcFs(dir.Path).CountOpenFds());
    }

    [Fact]
    public void Missing_or_truncated_files_read_as_absent()
    {
        using var dir = new TempDirectory("procfs");
        var procFs = new ProcFs(dir.Path);
        Assert.False(procFs.Exists);
        Assert.Null(procFs.ReadStat());
        Assert.Null(procFs.ReadMaxFds());
        Assert.Null(procFs.CountOpenFds());

        File.WriteAllText(dir.File("stat"), "4242 (app) S 1 2 3\n");
        Assert.Null(procFs.ReadStat());
    }
}
