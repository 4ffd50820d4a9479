using System.Diagnostics.Metrics;

namespace Vigil.Instrumentation.Processes;

/// <summary>
/// client_golang's process collector, as observable instruments named so the translation yields exactly its
/// names (<c>process_cpu_seconds</c> in <c>s</c> → <c>process_cpu_seconds_total</c>) with its HELP texts.
/// On Linux the values come from procfs as client_golang reads them; elsewhere CPU, memory and start time
/// come from the runtime and the file-descriptor metrics are absent, as in client_golang.
/// </summary>
internal sealed class ProcessMetrics
{
    /// <summary>The meter the process instruments belong to.</summary>
    public const string MeterName = "Vigil.Instrumentation.Process";

    private readonly ProcFs _procFs;
    private readonly double _startTimeSeconds;

    public ProcessMetrics(IMeterFactory meterFactory, ProcFs procFs)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _procFs = procFs;
        using (var self = System.Diagnostics.Process.GetCurrentProcess())
        {
            _startTimeSeconds = (self.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds;
        }

        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter(
            "process_cpu_seconds", static () => Environment.CpuUsage.TotalTime.TotalSeconds, "s",
            "Total user and system CPU time spent in seconds.");
        meter.CreateObservableGauge(
            "process_resident_memory_bytes", ResidentMemory, "By", "Resident memory size in bytes.");
        meter.CreateObservableGauge(
            "process_virtual_memory_bytes", VirtualMemory, "By", "Virtual memory size in bytes.");
        meter.CreateObservableGauge(
            "process_start_time_seconds", () => _startTimeSeconds, "s", "Start time of the process since unix epoch in seconds.");
        if (procFs.Exists)
        {
            meter.CreateObservableGauge<long>("process_open_fds", OpenFds, null, "Number of open file descriptors.");
            meter.CreateObservableGauge<long>("process_max_fds", MaxFds, null, "Maximum number of open file descriptors.");
        }
    }

    private double ResidentMemory()
        => _procFs.ReadStat() is { } stat ? (double)stat.ResidentPages * Environment.SystemPageSize : Environment.WorkingSet;

    private double VirtualMemory()
    {
        if (_procFs.ReadStat() is { } stat)
        {
            return stat.VirtualBytes;
        }
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.VirtualMemorySize64;
    }

    private IEnumerable<Measurement<long>> OpenFds()
        => _procFs.CountOpenFds() is { } count ? [new Measurement<long>(count)] : [];

    private IEnumerable<Measurement<long>> MaxFds()
        => _procFs.ReadMaxFds() is { } max ? [new Measurement<long>(max)] : [];
}
