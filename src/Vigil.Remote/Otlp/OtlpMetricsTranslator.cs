using System.Buffers;
using Google.Protobuf.Collections;
using Vigil.Model;
using Vigil.Remote.Otlp.Proto.Collector;
using Vigil.Remote.Otlp.Proto.Common;
using Vigil.Remote.Otlp.Proto.Metrics;
using Vigil.Remote.Otlp.Proto.Resource;

namespace Vigil.Remote.Otlp;

/// <summary>
/// OTLP metrics → Prometheus samples, after the OpenTelemetry specification "Prometheus and OpenMetrics
/// Compatibility" (section "OTLP Metric points to Prometheus") and Prometheus's own translator
/// (<c>storage/remote/otlptranslator/prometheusremotewrite</c>, which its OTLP receiver runs):
/// <list type="bullet">
/// <item>monotonic cumulative sums become counters (<c>_total</c>); non-monotonic sums and gauges become gauges;</item>
/// <item>explicit-bucket histograms become cumulative <c>_bucket{le}</c> series ending in <c>le="+Inf"</c> (the
/// count), <c>_sum</c> (when set) and <c>_count</c>; summaries become <c>{quantile}</c> series, <c>_sum</c> and
/// <c>_count</c>; <c>le</c> and <c>quantile</c> are written like Go's <c>FormatFloat(v, 'f', -1, 64)</c>;</item>
/// <item>names and units follow <see cref="OtlpNames"/> (Vigil.Instrumentation's rules: <c>s</c> → <c>_seconds</c>,
/// <c>By</c> → <c>_bytes</c>, gauge unit <c>1</c> → <c>_ratio</c>); attribute keys are sanitized, and attributes that
/// sanitize to the same name have their values joined with <c>;</c> in key order;</item>
/// <item>resource <c>service.name</c> (prefixed <c>service.namespace/</c> when set) becomes <c>job</c> and
/// <c>service.instance.id</c> becomes <c>instance</c>, overriding point attributes of those names; every other
/// resource attribute goes into one <c>target_info</c> sample (value 1, at the resource's newest point);</item>
/// <item>a point flagged <c>FLAG_NO_RECORDED_VALUE</c> becomes a stale marker in every series it feeds.</item>
/// </list>
/// Rejected, counted and explained (the receiver answers with <c>partial_success</c>): delta (and unspecified)
/// temporality, which Prometheus cannot store as a counter; exponential histograms (no native histograms in
/// Prometheus 2.42); points without a timestamp or value; histograms whose bucket counts do not match their bounds;
/// metrics without a name or data. Exemplars and the instrumentation scope are not kept.
/// </summary>
public static class OtlpMetricsTranslator
{
    /// <summary>The metric carrying a resource's other attributes.</summary>
    public const string TargetInfoName = "target_info";

    private const uint NoRecordedValue = (uint)DataPointFlags.NoRecordedValueMask;

    /// <summary>Translates <paramref name="request"/> into <paramref name="sink"/>, stopping when the sink says so.</summary>
    public static OtlpTranslation Translate<TSink>(ExportMetricsServiceRequest request, OtlpNames names, ref TSink sink)
        where TSink : IOtlpSampleSink
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(names);
        var result = new OtlpTranslation();
        var builder = new LabelsBuilder();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var resource = ResourceLabels.From(resourceMetrics.Resource);
            ulong newest = 0;
            foreach (var scope in resourceMetrics.ScopeMetrics)
            {
                foreach (var metric in scope.Metrics)
                {
                    newest = Math.Max(newest, NewestTimestamp(metric));
                    if (!TranslateMetric(metric, resource, names, builder, result, ref sink))
                    {
                        result.Stopped = true;
                        return result;
                    }
                }
            }
            if (newest > 0 && resource.HasOtherAttributes)
            {
                builder.Clear();
                AddAttributes(resourceMetrics.Resource.Attributes, names, builder, skipIdentifying: true);
                resource.ApplyTo(builder);
                builder.Set(Label.MetricName, TargetInfoName);
                if (!Emit(ref sink, builder.ToLabels(), Milliseconds(newest), 1, result))
                {
                    result.Stopped = true;
                    return result;
                }
            }
        }
        return result;
    }

    private static bool TranslateMetric<TSink>(Metric metric, in ResourceLabels resource, OtlpNames names, LabelsBuilder builder, OtlpTranslation result, ref TSink sink)
        where TSink : IOtlpSampleSink
    {
        if (metric.Name.Length == 0)
        {
            result.Reject(PointCount(metric), "metric with an empty name");
            return true;
        }
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                return Numbers(metric, metric.Gauge.DataPoints, names.Metric(metric.Name, metric.Unit, OtlpMetricKind.Gauge), resource, names, builder, result, ref sink);
            case Metric.DataOneofCase.Sum:
                if (metric.Sum.AggregationTemporality != AggregationTemporality.Cumulative)
                {
                    result.Reject(metric.Sum.DataPoints.Count, InvalidTemporality(metric));
                    return true;
                }
                var kind = metric.Sum.IsMonotonic ? OtlpMetricKind.Counter : OtlpMetricKind.UpDownSum;
                return Numbers(metric, metric.Sum.DataPoints, names.Metric(metric.Name, metric.Unit, kind), resource, names, builder, result, ref sink);
            case Metric.DataOneofCase.Histogram:
                if (metric.Histogram.AggregationTemporality != AggregationTemporality.Cumulative)
                {
                    result.Reject(metric.Histogram.DataPoints.Count, InvalidTemporality(metric));
                    return true;
                }
                return Histograms(metric, names.Metric(metric.Name, metric.Unit, OtlpMetricKind.Histogram), resource, names, builder, result, ref sink);
            case Metric.DataOneofCase.Summary:
                return Summaries(metric, names.Metric(metric.Name, metric.Unit, OtlpMetricKind.Summary), resource, names, builder, result, ref sink);
            case Metric.DataOneofCase.ExponentialHistogram:
                result.Reject(metric.ExponentialHistogram.DataPoints.Count,
                    $"exponential histogram \"{metric.Name}\" not supported (Prometheus 2.42 has no native histograms; configure an explicit-bucket histogram view)");
                return true;
            default:
                result.Reject(0, $"unsupported metric type for metric \"{metric.Name}\"");
                return true;
        }
    }

    // Prometheus's wording (otlptranslator: isValidAggregationTemporality).
    private static string InvalidTemporality(Metric metric) => $"invalid temporality and type combination for metric \"{metric.Name}\"";

    private static bool Numbers<TSink>(Metric metric, RepeatedField<NumberDataPoint> points, string name, in ResourceLabels resource, OtlpNames names, LabelsBuilder builder, OtlpTranslation result, ref TSink sink)
        where TSink : IOtlpSampleSink
    {
        foreach (var point in points)
        {
            if (point.TimeUnixNano == 0)
            {
                result.Reject(1, MissingTimestamp(metric));
                continue;
            }
            double value;
            if ((point.Flags & NoRecordedValue) != 0)
            {
                value = StaleMarker.Value;
            }
            else if (point.ValueCase == NumberDataPoint.ValueOneofCase.AsDouble)
            {
                value = point.AsDouble;
            }
            else if (point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt)
            {
                value = point.AsInt;
            }
            else
            {
                result.Reject(1, $"data point without a value in metric \"{metric.Name}\"");
                continue;
            }
            StartSeries(builder, point.Attributes, resource, names);
            builder.Set(Label.MetricName, name);
            if (!Emit(ref sink, builder.ToLabels(), Milliseconds(point.TimeUnixNano), value, result))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Histograms<TSink>(Metric metric, string name, in ResourceLabels resource, OtlpNames names, LabelsBuilder builder, OtlpTranslation result, ref TSink sink)
        where TSink : IOtlpSampleSink
    {
        var bucketName = name + "_bucket";
        foreach (var point in metric.Histogram.DataPoints)
        {
            if (point.TimeUnixNano == 0)
            {
                result.Reject(1, MissingTimestamp(metric));
                continue;
            }
            var bounds = point.ExplicitBounds;
            var counts = point.BucketCounts;
            if (counts.Count != 0 && counts.Count != bounds.Count + 1)
            {
                result.Reject(1, $"histogram data point of metric \"{metric.Name}\" has {counts.Count} bucket counts for {bounds.Count} bounds (want {bounds.Count + 1})");
                continue;
            }
            var t = Milliseconds(point.TimeUnixNano);
            var stale = (point.Flags & NoRecordedValue) != 0;
            StartSeries(builder, point.Attributes, resource, names);

            // Buckets are per-bucket counts in OTLP and cumulative in Prometheus.
            builder.Set(Label.MetricName, bucketName);
            ulong cumulative = 0;
            for (var i = 0; i < bounds.Count && i < counts.Count; i++)
            {
                cumulative += counts[i];
                builder.Set("le", names.Bound(bounds[i]));
                if (!Emit(ref sink, builder.ToLabels(), t, stale ? StaleMarker.Value : cumulative, result))
                {
                    return false;
                }
            }
            builder.Set("le", "+Inf");
            if (!Emit(ref sink, builder.ToLabels(), t, stale ? StaleMarker.Value : point.Count, result))
            {
                return false;
            }
            builder.Remove("le");

            if (point.HasSum)
            {
                builder.Set(Label.MetricName, name + "_sum");
                if (!Emit(ref sink, builder.ToLabels(), t, stale ? StaleMarker.Value : point.Sum, result))
                {
                    return false;
                }
            }
            builder.Set(Label.MetricName, name + "_count");
            if (!Emit(ref sink, builder.ToLabels(), t, stale ? StaleMarker.Value : point.Count, result))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Summaries<TSink>(Metric metric, string name, in ResourceLabels resource, OtlpNames names, LabelsBuilder builder, OtlpTranslation result, ref TSink sink)
        where TSink : IOtlpSampleSink
    {
        foreach (var point in metric.Summary.DataPoints)
        {
            if (point.TimeUnixNano == 0)
            {
                result.Reject(1, MissingTimestamp(metric));
                continue;
            }
            var t = Milliseconds(point.TimeUnixNano);
            var stale = (point.Flags & NoRecordedValue) != 0;
            StartSeries(builder, point.Attributes, resource, names);

            builder.Set(Label.MetricName, name);
            foreach (var quantile in point.QuantileValues)
            {
                builder.Set("quantile", names.Bound(quantile.Quantile));
                if (!Emit(ref sink, builder.ToLabels(), t, stale ? StaleMarker.Value : quantile.Value, result))
                {
                    return false;
                }
            }
            builder.Remove("quantile");
            builder.Set(Label.MetricName, name + "_sum");
            if (!Emit(ref sink, builder.ToLabels(), t, stale ? StaleMarker.Value : point.Sum, result))
            {
                return false;
            }
            builder.Set(Label.MetricName, name + "_count");
            if (!Emit(ref sink, builder.ToLabels(), t, stale ? StaleMarker.Value : point.Count, result))
            {
                return false;
            }
        }
        return true;
    }

    private static string MissingTimestamp(Metric metric) => $"data point without a timestamp (time_unix_nano) in metric \"{metric.Name}\"";

    private static bool Emit<TSink>(ref TSink sink, Labels labels, long timestampMs, double value, OtlpTranslation result)
        where TSink : IOtlpSampleSink
    {
        if (!sink.Append(labels, timestampMs, value))
        {
            return false;
        }
        result.Samples++;
        return true;
    }

    /// <summary>The point's attributes, then the resource's <c>job</c>/<c>instance</c> over them.</summary>
    private static void StartSeries(LabelsBuilder builder, RepeatedField<KeyValue> attributes, in ResourceLabels resource, OtlpNames names)
    {
        builder.Clear();
        AddAttributes(attributes, names, builder, skipIdentifying: false);
        resource.ApplyTo(builder);
    }

    /// <summary>
    /// Sanitized attributes in key order; keys that sanitize alike have their values joined with <c>;</c>
    /// (Prometheus's createAttributes). <paramref name="skipIdentifying"/> leaves out the resource attributes that
    /// became <c>job</c> and <c>instance</c>.
    /// </summary>
    private static void AddAttributes(RepeatedField<KeyValue> attributes, OtlpNames names, LabelsBuilder builder, bool skipIdentifying)
    {
        var count = attributes.Count;
        if (count == 0)
        {
            return;
        }
        var sorted = true;
        for (var i = 1; i < count && sorted; i++)
        {
            sorted = string.CompareOrdinal(attributes[i - 1].Key, attributes[i].Key) <= 0;
        }
        if (sorted)
        {
            for (var i = 0; i < count; i++)
            {
                Add(attributes[i], names, builder, skipIdentifying);
            }
            return;
        }
        var scratch = ArrayPool<KeyValue>.Shared.Rent(count);
        try
        {
            attributes.CopyTo(scratch, 0);
            Array.Sort(scratch, 0, count, KeyOrder.Instance);
            for (var i = 0; i < count; i++)
            {
                Add(scratch[i], names, builder, skipIdentifying);
            }
        }
        finally
        {
            Array.Clear(scratch, 0, count);
            ArrayPool<KeyValue>.Shared.Return(scratch);
        }

        static void Add(KeyValue attribute, OtlpNames names, LabelsBuilder builder, bool skipIdentifying)
        {
            if (skipIdentifying && ResourceLabels.IsIdentifying(attribute.Key))
            {
                return;
            }
            var name = names.Label(attribute.Key);
            var value = OtlpAttributeValue.AsString(attribute.Value);
            var existing = builder.Get(name);
            builder.Set(name, existing.Length > 0 ? existing + ";" + value : value);
        }
    }

    private static ulong NewestTimestamp(Metric metric)
    {
        ulong newest = 0;
        switch (metric.DataCase)
        {
            case Metric.DataOneofCase.Gauge:
                foreach (var p in metric.Gauge.DataPoints)
                {
                    newest = Math.Max(newest, p.TimeUnixNano);
                }
                break;
            case Metric.DataOneofCase.Sum:
                foreach (var p in metric.Sum.DataPoints)
                {
                    newest = Math.Max(newest, p.TimeUnixNano);
                }
                break;
            case Metric.DataOneofCase.Histogram:
                foreach (var p in metric.Histogram.DataPoints)
                {
                    newest = Math.Max(newest, p.TimeUnixNano);
                }
                break;
            case Metric.DataOneofCase.ExponentialHistogram:
                foreach (var p in metric.ExponentialHistogram.DataPoints)
                {
                    newest = Math.Max(newest, p.TimeUnixNano);
                }
                break;
            case Metric.DataOneofCase.Summary:
                foreach (var p in metric.Summary.DataPoints)
                {
                    newest = Math.Max(newest, p.TimeUnixNano);
                }
                break;
        }
        return newest;
    }

    private static int PointCount(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    /// <summary>Nanoseconds to Prometheus's milliseconds (truncating, as Prometheus does).</summary>
    private static long Milliseconds(ulong unixNano) => (long)(unixNano / 1_000_000);

    private sealed class KeyOrder : IComparer<KeyValue>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(KeyValue? x, KeyValue? y) => string.CompareOrdinal(x?.Key, y?.Key);
    }

    /// <summary>What a resource contributes to every series: <c>job</c> and <c>instance</c>.</summary>
    private readonly struct ResourceLabels
    {
        private const string ServiceName = "service.name";
        private const string ServiceNamespace = "service.namespace";
        private const string ServiceInstanceId = "service.instance.id";

        private readonly string? _job;
        private readonly string? _instance;

        private ResourceLabels(string? job, string? instance, bool hasOtherAttributes)
        {
            _job = job;
            _instance = instance;
            HasOtherAttributes = hasOtherAttributes;
        }

        /// <summary>Whether the resource has attributes besides the identifying ones (then it gets a target_info).</summary>
        public bool HasOtherAttributes { get; }

        public static bool IsIdentifying(string key) => key is ServiceName or ServiceNamespace or ServiceInstanceId;

        public static ResourceLabels From(Resource? resource)
        {
            if (resource is null)
            {
                return default;
            }
            string? name = null, space = null, instance = null;
            var others = false;
            foreach (var attribute in resource.Attributes)
            {
                switch (attribute.Key)
                {
                    case ServiceName:
                        name = OtlpAttributeValue.AsString(attribute.Value);
                        break;
                    case ServiceNamespace:
                        space = OtlpAttributeValue.AsString(attribute.Value);
                        break;
                    case ServiceInstanceId:
                        instance = OtlpAttributeValue.AsString(attribute.Value);
                        break;
                    default:
                        others = true;
                        break;
                }
            }
            var job = name is null ? null : space is { Length: > 0 } ? space + "/" + name : name;
            return new ResourceLabels(job, instance, others);
        }

        public void ApplyTo(LabelsBuilder builder)
        {
            if (_job is not null)
            {
                builder.Set("job", _job);
            }
            if (_instance is not null)
            {
                builder.Set("instance", _instance);
            }
        }
    }
}
