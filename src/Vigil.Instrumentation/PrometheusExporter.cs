using System.Buffers;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Instrumentation.Bridge;
using Vigil.Model;
using Vigil.Model.Exposition;

namespace Vigil.Instrumentation;

/// <summary>
/// Bridges System.Diagnostics.Metrics to the Prometheus exposition formats: a <see cref="MeterListener"/>
/// aggregates every measurement of the instruments it exports (cumulatively, as Prometheus expects) and
/// <see cref="WriteTo"/> writes them as text 0.0.4 or OpenMetrics. <c>AddVigilMetrics</c> registers one
/// per application; resolve it to write the exposition somewhere other than the scrape endpoint.
/// </summary>
/// <remarks>
/// Instruments map to families as the OpenTelemetry "Prometheus and OpenMetrics Compatibility" specification
/// says: Counter and ObservableCounter → counter; UpDownCounter, ObservableUpDownCounter, Gauge and
/// ObservableGauge → gauge; Histogram → histogram with cumulative <c>le</c> buckets. Families are written
/// sorted by name; series in the order they were first seen.
/// </remarks>
public sealed partial class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener;
    private readonly PrometheusExporterSettings _settings;
    private readonly ILogger _logger;
    private readonly CollectionEpoch _epoch = new();
    private readonly Lock _familiesGate = new();
    private readonly Lock _scrapeGate = new();
    private readonly Dictionary<string, FamilyState> _families = new(StringComparer.Ordinal);
    private FamilyState[] _sorted = [];

    internal PrometheusExporter(PrometheusExporterSettings settings, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _logger = logger ?? NullLogger.Instance;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentState)state!).Record((double)value, tags));

        // Starting a listener is also what makes .NET create its built-in "System.Runtime" meter.
        _listener.Start();
    }

    /// <summary>
    /// Collects the observable instruments, then writes every family with at least one series to
    /// <paramref name="output"/> in <paramref name="format"/> (ending with <c># EOF</c> in OpenMetrics).
    /// Concurrent calls are serialized. Measurements are not blocked while this runs.
    /// </summary>
    public void WriteTo(IBufferWriter<byte> output, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (_scrapeGate)
        {
            var epoch = _epoch.Advance();
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (AggregateException ex)
            {
                // The listener runs every callback and then throws what they threw: the other instruments'
                // observations are in, so the scrape goes on without the failed ones.
                LogObservableCallbackFailed(_logger, ex);
            }
            var writer = new ExpositionWriter(output, format);
            foreach (var family in Volatile.Read(ref _sorted))
            {
                family.Write(writer, epoch);
            }
            writer.WriteEof();
        }
    }

    /// <summary>Stops listening; the instruments' series are dropped.</summary>
    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_settings.ShouldExport(instrument.Meter) || Classify(instrument) is not { } kind)
        {
            return;
        }
        var name = PrometheusNames.Metric(instrument.Name, instrument.Unit, kind.Type, kind.IsGauge, _settings.ConvertToBaseUnits);
        var bounds = kind.Aggregation == Aggregation.Histogram ? Bounds(instrument, name.Scale) : [];
        var help = string.IsNullOrWhiteSpace(instrument.Description)
            ? $"{instrument.Name} (meter {instrument.Meter.Name})."
            : instrument.Description;

        InstrumentState state;
        lock (_familiesGate)
        {
            if (_families.TryGetValue(name.Name, out var family))
            {
                if (!family.IsCompatible(kind.Type, kind.Aggregation, instrument.IsObservable, bounds))
                {
                    // Spec, Metric Metadata: "Exporters MUST drop entire metrics to prevent conflicting TYPE comments".
                    LogConflictingInstrument(_logger, instrument.Name, instrument.Meter.Name, name.Name);
                    return;
                }
            }
            else
            {
                family = new FamilyState(name, kind.Type, kind.Aggregation, instrument.IsObservable, help, bounds);
                _families.Add(name.Name, family);
                PublishSorted();
            }
            state = new InstrumentState(instrument, family, _epoch, name.Scale, kind.Monotonic);
            family.AddInstrument(state);
        }
        listener.EnableMeasurementEvents(instrument, state);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not InstrumentState instrumentState)
        {
            return;
        }
        lock (_familiesGate)
        {
            var family = instrumentState.Family;
            family.RemoveInstrument(instrumentState);
            if (family.IsEmpty && _families.TryGetValue(family.Name.Name, out var current) && ReferenceEquals(current, family))
            {
                _families.Remove(family.Name.Name);
                PublishSorted();
            }
        }
    }

    private void PublishSorted()
    {
        var sorted = _families.Values.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name.Name, b.Name.Name));
        Volatile.Write(ref _sorted, sorted);
    }

    private readonly record struct InstrumentKind(MetricType Type, Aggregation Aggregation, bool Monotonic, bool IsGauge);

    private static InstrumentKind? Classify(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }
        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return new(MetricType.Counter, Aggregation.Sum, Monotonic: true, IsGauge: false);
        }
        if (definition == typeof(UpDownCounter<>))
        {
            return new(MetricType.Gauge, Aggregation.Sum, Monotonic: false, IsGauge: false);
        }
        if (definition == typeof(Histogram<>))
        {
            return new(MetricType.Histogram, Aggregation.Histogram, Monotonic: false, IsGauge: false);
        }
        if (definition == typeof(Gauge<>) || definition == typeof(ObservableGauge<>))
        {
            return new(MetricType.Gauge, Aggregation.LastValue, Monotonic: false, IsGauge: true);
        }
        if (definition == typeof(ObservableCounter<>))
        {
            return new(MetricType.Counter, Aggregation.LastValue, Monotonic: true, IsGauge: false);
        }
        if (definition == typeof(ObservableUpDownCounter<>))
        {
            return new(MetricType.Gauge, Aggregation.LastValue, Monotonic: false, IsGauge: false);
        }
        return null;
    }

    /// <summary>
    /// The instrument's advised bucket boundaries (in the exported unit) when it gives valid ones, else the
    /// configured default. Valid: finite and strictly ascending.
    /// </summary>
    private double[] Bounds(Instrument instrument, double scale)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => b),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b),
            _ => null,
        };
        if (advised is not null)
        {
            var bounds = advised.Select(b => b * scale).ToArray();
            if (IsValidBounds(bounds))
            {
                return bounds;
            }
        }
        return _settings.DefaultBuckets;
    }

    internal static bool IsValidBounds(IReadOnlyList<double> bounds)
    {
        for (var i = 0; i < bounds.Count; i++)
        {
            if (!double.IsFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                return false;
            }
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Instrument {Instrument} of meter {Meter} is not exported: it translates to {Name}, which another instrument of a different type, aggregation or buckets already exports")]
    private static partial void LogConflictingInstrument(ILogger logger, string instrument, string meter, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An observable instrument's callback failed while collecting metrics")]
    private static partial void LogObservableCallbackFailed(ILogger logger, Exception exception);
}

/// <summary>What a <see cref="PrometheusExporter"/> exports and how.</summary>
/// <param name="ShouldExport">Which meters to listen to.</param>
/// <param name="DefaultBuckets">Histogram upper bounds for histograms that advise none, ascending, without <c>+Inf</c>.</param>
/// <param name="ConvertToBaseUnits">Whether to export time in seconds and sizes in bytes whatever the instrument's unit.</param>
internal sealed record PrometheusExporterSettings(Func<Meter, bool> ShouldExport, double[] DefaultBuckets, bool ConvertToBaseUnits);
