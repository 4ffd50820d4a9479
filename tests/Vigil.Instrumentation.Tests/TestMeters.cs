using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using Vigil.Model.Exposition;

namespace Vigil.Instrumentation.Tests;

/// <summary>
/// An exporter that listens only to meters this object creates (they carry its scope), so tests running in
/// parallel, and the runtime's own meters, never show up in each other's output.
/// </summary>
internal sealed class TestMeters : IDisposable
{
    private readonly object _scope = new();
    private readonly List<Meter> _meters = [];

    public TestMeters(double[]? buckets = null, bool convertToBaseUnits = true)
    {
        Exporter = new PrometheusExporter(new PrometheusExporterSettings(
            meter => ReferenceEquals(meter.Scope, _scope),
            buckets ?? [.. VigilMetricsOptions.DefaultHistogramBuckets],
            convertToBaseUnits));
    }

    public PrometheusExporter Exporter { get; }

    public Meter CreateMeter(string name = "test")
    {
        var meter = new Meter(new MeterOptions(name) { Scope = _scope });
        _meters.Add(meter);
        return meter;
    }

    public string Scrape(ExpositionFormat format = ExpositionFormat.PrometheusText)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Exporter.WriteTo(buffer, format);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
        Exporter.Dispose();
    }
}
