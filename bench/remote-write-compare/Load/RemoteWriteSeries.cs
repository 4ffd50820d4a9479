using System.Globalization;
using Google.Protobuf;

namespace Vigil.RemoteWriteCompare.Load;

/// <summary>
/// The remote-write benchmark's series: <c>count</c> label sets shaped like what a Prometheus agent forwards (HTTP
/// request counters and latency histograms by handler/method/code, node CPU and filesystem metrics, process gauges,
/// queue depths), each with <c>job</c> and <c>instance</c>, labels sorted by name. Every series' labels are
/// protobuf-encoded once (the repeated <c>TimeSeries.labels</c> field), so a request only adds the sample.
/// Counters rise at a per-series rate, gauges do a bounded random walk; <see cref="NextValue"/> moves one series on.
/// </summary>
public sealed class RemoteWriteSeries
{
    private static readonly string[] Handlers = ["/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels", "/metrics", "/-/ready", "/api/orders", "/api/users"];
    private static readonly string[] Methods = ["GET", "POST"];
    private static readonly string[] Codes = ["200", "400", "404", "500"];
    private static readonly string[] Buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"];
    private static readonly string[] Modes = ["idle", "user", "system", "iowait", "irq", "softirq", "steal", "nice"];
    private static readonly string[] Devices = ["/dev/sda1", "/dev/sdb1", "tmpfs", "/dev/nvme0n1p2"];
    private static readonly string[] Gauges = ["process_resident_memory_bytes", "process_open_fds", "go_goroutines", "queue_depth", "node_load1", "node_memory_MemAvailable_bytes"];

    private readonly byte[][] _labels;
    private readonly double[] _values;
    private readonly double[] _rates;
    private readonly bool[] _counter;

    /// <summary><paramref name="count"/> series for <c>job="<paramref name="job"/>"</c>; <paramref name="seed"/> fixes the values.</summary>
    public RemoteWriteSeries(int count, string job = "rw-bench", ulong seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        _labels = new byte[count][];
        _values = new double[count];
        _rates = new double[count];
        _counter = new bool[count];
        var random = seed | 1;
        var i = 0;
        for (var instance = 0; i < count; instance++)
        {
            var host = string.Create(CultureInfo.InvariantCulture, $"host-{instance}:9100");
            foreach (var labels in InstanceSeries(job, host))
            {
                if (i == count)
                {
                    break;
                }
                var name = labels[0].Value;
                _counter[i] = name.EndsWith("_total", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal) || name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal);
                _rates[i] = _counter[i] ? 0.01 + (NextDouble(ref random) * 50) : 1 + (NextDouble(ref random) * 1000);
                _values[i] = _counter[i] ? Math.Floor(NextDouble(ref random) * 1000) : _rates[i] * 10;
                _labels[i] = Encode(labels);
                i++;
            }
        }
    }

    /// <summary>How many series there are.</summary>
    public int Count { get; }

    /// <summary>Series <paramref name="index"/>'s labels as encoded <c>TimeSeries.labels</c> fields (tag, length, Label).</summary>
    public ReadOnlySpan<byte> EncodedLabels(int index) => _labels[index];

    /// <summary>Series <paramref name="index"/>'s labels, decoded back (for reports and tests).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels(int index)
    {
        var result = new List<KeyValuePair<string, string>>();
        var input = new CodedInputStream(_labels[index]);
        while (!input.IsAtEnd)
        {
            input.ReadTag();
            var label = Vigil.Remote.Prompb.Label.Parser.ParseFrom(input.ReadBytes());
            result.Add(new(label.Name, label.Value));
        }
        return result;
    }

    /// <summary>
    /// Moves series <paramref name="index"/> on by one sample and returns its new value; <paramref name="random"/> is the
    /// caller's own xorshift state (one per writer: writers own disjoint series, so they never share a slot).
    /// </summary>
    public double NextValue(int index, ref ulong random)
    {
        var v = _values[index];
        if (_counter[index])
        {
            v += Math.Round(_rates[index] * (0.5 + NextDouble(ref random)));
        }
        else
        {
            v += _rates[index] * (NextDouble(ref random) - 0.5) * 0.1;
            v = Math.Clamp(v, 0, _rates[index] * 20);
            v = Math.Round(v, 2);
        }
        _values[index] = v;
        return v;
    }

    private static IEnumerable<KeyValuePair<string, string>[]> InstanceSeries(string job, string instance)
    {
        foreach (var handler in Handlers)
        {
            foreach (var method in Methods)
            {
                foreach (var code in Codes)
                {
                    yield return [new("__name__", "http_requests_total"), new("code", code), new("handler", handler), new("instance", instance), new("job", job), new("method", method)];
                }
            }
            foreach (var le in Buckets)
            {
                yield return [new("__name__", "http_request_duration_seconds_bucket"), new("handler", handler), new("instance", instance), new("job", job), new("le", le)];
            }
            yield return [new("__name__", "http_request_duration_seconds_count"), new("handler", handler), new("instance", instance), new("job", job)];
            yield return [new("__name__", "http_request_duration_seconds_sum"), new("handler", handler), new("instance", instance), new("job", job)];
        }
        for (var cpu = 0; cpu < 4; cpu++)
        {
            foreach (var mode in Modes)
            {
                yield return [new("__name__", "node_cpu_seconds_total"), new("cpu", cpu.ToString(CultureInfo.InvariantCulture)), new("instance", instance), new("job", job), new("mode", mode)];
            }
        }
        foreach (var device in Devices)
        {
            yield return [new("__name__", "node_filesystem_avail_bytes"), new("device", device), new("fstype", device == "tmpfs" ? "tmpfs" : "ext4"), new("instance", instance), new("job", job), new("mountpoint", device == "tmpfs" ? "/run" : "/data" + device[^2..])];
        }
        foreach (var gauge in Gauges)
        {
            yield return [new("__name__", gauge), new("instance", instance), new("job", job)];
        }
    }

    private static byte[] Encode(KeyValuePair<string, string>[] labels)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var (name, value) in labels)
        {
            var size = 1 + CodedOutputStream.ComputeStringSize(name) + 1 + CodedOutputStream.ComputeStringSize(value);
            output.WriteTag(1, WireFormat.WireType.LengthDelimited); // TimeSeries.labels = 1
            output.WriteLength(size);
            output.WriteTag(1, WireFormat.WireType.LengthDelimited); // Label.name = 1
            output.WriteString(name);
            output.WriteTag(2, WireFormat.WireType.LengthDelimited); // Label.value = 2
            output.WriteString(value);
        }
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>xorshift64*: deterministic and cheap; <paramref name="state"/> must not be 0.</summary>
    public static double NextDouble(ref ulong state)
    {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return ((state * 2685821657736338717UL) >> 11) * (1.0 / (1UL << 53));
    }
}
