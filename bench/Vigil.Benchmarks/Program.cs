using BenchmarkDotNet.Running;
using Vigil.Benchmarks.Tsdb;

namespace Vigil.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen on the command line, e.g. <c>--filter *ExpositionParser* --job short</c>,
/// or a whole-process measurement: <c>head-memory [SERIES]</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "head-memory")
        {
            HeadMemory.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
