using Vigil.Remote.Otlp.Proto.Collector;
using Vigil.Remote.Otlp.Proto.Common;
using Vigil.Remote.Otlp.Proto.Metrics;
using Vigil.Remote.Otlp.Proto.Resource;

namespace Vigil.Remote.Tests.Otlp;

/// <summary>Hand-built OTLP requests for the translator and receiver tests.</summary>
internal static class OtlpRequests
{
    /// <summary>2026-01-01T00:00:00Z in milliseconds: the base of every timestamp here.</summary>
    public const long BaseMs = 1_767_225_600_000;

    /// <summary>Milliseconds as OTLP nanoseconds.</summary>
    public static ulong Nanos(long ms) => (ulong)ms * 1_000_000;

    public static KeyValue Attr(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static ExportMetricsServiceRequest Request(Resource? resource, params Metric[] metrics)
    {
        var scope = new ScopeMetrics { Scope = new InstrumentationScope { Name = "test.meter", Version = "1.0" } };
        scope.Metrics.AddRange(metrics);
        var rm = new ResourceMetrics { Resource = resource };
        rm.ScopeMetrics.Add(scope);
        var request = new ExportMetricsServiceRequest();
        request.ResourceMetrics.Add(rm);
        return request;
    }

    public static Resource Service(string name, string? instance = null, params KeyValue[] others)
    {
        var resource = new Resource();
        resource.Attributes.Add(Attr("service.name", name));
        if (instance is not null)
        {
            resource.Attributes.Add(Attr("service.instance.id", instance));
        }
        resource.Attributes.AddRange(others);
        return resource;
    }

    public static NumberDataPoint Point(long ms, double value, params KeyValue[] attributes)
    {
        var point = new NumberDataPoint { TimeUnixNano = Nanos(ms), StartTimeUnixNano = Nanos(BaseMs - 60_000), AsDouble = value };
        point.Attributes.AddRange(attributes);
        return point;
    }

    public static NumberDataPoint IntPoint(long ms, long value, params KeyValue[] attributes)
    {
        var point = new NumberDataPoint { TimeUnixNano = Nanos(ms), StartTimeUnixNano = Nanos(BaseMs - 60_000), AsInt = value };
        point.Attributes.AddRange(attributes);
        return point;
    }

    public static Metric Sum(string name, string unit, bool monotonic, AggregationTemporality temporality, params NumberDataPoint[] points)
    {
        var sum = new Sum { IsMonotonic = monotonic, AggregationTemporality = temporality };
        sum.DataPoints.AddRange(points);
        return new Metric { Name = name, Unit = unit, Sum = sum };
    }

    public static Metric Counter(string name, string unit, params NumberDataPoint[] points)
        => Sum(name, unit, monotonic: true, AggregationTemporality.Cumulative, points);

    public static Metric Gauge(string name, string unit, params NumberDataPoint[] points)
    {
        var gauge = new Gauge();
        gauge.DataPoints.AddRange(points);
        return new Metric { Name = name, Unit = unit, Gauge = gauge };
    }

    public static HistogramDataPoint HistogramPoint(long ms, double[] bounds, ulong[] counts, double? sum, params KeyValue[] attributes)
    {
        var point = new HistogramDataPoint { TimeUnixNano = Nanos(ms), StartTimeUnixNano = Nanos(BaseMs - 60_000) };
        point.ExplicitBounds.AddRange(bounds);
        point.BucketCounts.AddRange(counts);
        ulong count = 0;
        foreach (var c in counts)
        {
            count += c;
        }
        point.Count = count;
        if (sum is { } s)
        {
            point.Sum = s;
        }
        point.Attributes.AddRange(attributes);
        return point;
    }

    public static Metric Histogram(string name, string unit, AggregationTemporality temporality, params HistogramDataPoint[] points)
    {
        var histogram = new Histogram { AggregationTemporality = temporality };
        histogram.DataPoints.AddRange(points);
        return new Metric { Name = name, Unit = unit, Histogram = histogram };
    }
}
