using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Model;
using Vigil.Remote.Prompb;
using Vigil.Scrape.Config;
using Vigil.Server.Hosting;
using Vigil.Server.Remote;
using Vigil.Storage;
using Vigil.Testing;
using Vigil.Tsdb;

namespace Vigil.Server.Tests.Remote;

/// <summary><see cref="RemoteWriteService"/> over a real TSDB and a loopback receiver: the config mapped, reloads applied, metrics named as Prometheus names them.</summary>
public sealed class RemoteWriteServiceTests
{
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Lock _lock = new();
        private readonly Task _loop;

        public Receiver()
        {
            Port = FreePort.Next();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public int Port { get; }

        public List<(string Auth, string Tenant, string Series, double Value)> Samples { get; } = [];

        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return Samples.Count;
                }
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var request = WriteRequest.Parser.ParseFrom(IronSnappy.Snappy.Decode(body.ToArray()));
                lock (_lock)
                {
                    foreach (var ts in request.Timeseries)
                    {
                        var series = string.Join(",", ts.Labels.Select(l => l.Name + "=" + l.Value));
                        foreach (var s in ts.Samples)
                        {
                            Samples.Add((context.Request.Headers["Authorization"] ?? "", context.Request.Headers["X-Scope-OrgID"] ?? "", series, s.Value));
                        }
                    }
                }
                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }

    private static PrometheusConfig Load(string path)
    {
        Assert.True(ConfigLoader.TryLoadFile(path, out var config, out var errors), ConfigLoader.Describe(errors));
        return config;
    }

    private static string Config(int port, string extra = "", string more = "") => $"""
        global:
          external_labels:
            env: test
        remote_write:
          - url: http://127.0.0.1:{port}/api/v1/write
            name: primary
            headers:
              X-Scope-OrgID: tenant-a
            basic_auth:
              username: vigil
              password: s3cret
            queue_config:
              batch_send_deadline: 50ms
              min_backoff: 5ms
              max_backoff: 50ms
        {extra}
        {more}
        """;

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for: " + what);
            await Task.Delay(20);
        }
    }

    private static void Append(TimeSeriesDb db, string name, double value)
    {
        var appender = db.Appender();
        var reference = default(SeriesRef);
        appender.Append(ref reference, Labels.Of("__name__", name, "job", "j"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), value);
        appender.Commit();
    }

    [Fact]
    public async Task Sends_appended_samples_with_auth_headers_and_external_labels_and_follows_reloads()
    {
        using var receiver = new Receiver();
        using var dir = new TempDirectory();
        var configFile = dir.File("prometheus.yml");
        await File.WriteAllTextAsync(configFile, Config(receiver.Port));
        var options = new ServerOptions { ConfigFile = configFile, DataPath = dir.File("data") };
        using var db = TimeSeriesDb.Open(options.DataPath);
        var reloader = new ConfigReloader(options);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        await using var service = new RemoteWriteService(Load(configFile), options, db, reloader, TimeProvider.System, meters, NullLogger<RemoteWriteService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var queue = Assert.Single(service.Queues);
        Assert.Equal("primary", queue.Name);
        await queue.Started;

        Append(db, "first", 1);
        await WaitUntilAsync(() => receiver.Count == 1, "the first sample");
        var sample = receiver.Samples[0];
        Assert.Equal("Basic " + Convert.ToBase64String("vigil:s3cret"u8), sample.Auth);
        Assert.Equal("tenant-a", sample.Tenant);
        Assert.Equal("__name__=first,env=test,job=j", sample.Series);

        // Metrics: Prometheus's names, remote_name and url labels.
        var measured = Collect(meters);
        Assert.Equal(1, measured[("prometheus_remote_storage_samples_total", $"primary|http://127.0.0.1:{receiver.Port}/api/v1/write")]);
        Assert.Equal(1, measured[("prometheus_remote_storage_shards", $"primary|http://127.0.0.1:{receiver.Port}/api/v1/write")]);
        Assert.True(measured.ContainsKey(("prometheus_wal_watcher_current_segment", "primary")));

        // An unchanged reload keeps the queue; a changed entry replaces it and resumes where it stopped; a new entry adds one.
        await reloader.ReloadAsync(CancellationToken.None);
        Assert.Same(queue, Assert.Single(service.Queues));
        await File.WriteAllTextAsync(configFile, Config(receiver.Port, extra: "    remote_timeout: 5s", more: $"""
              - url: http://127.0.0.1:{receiver.Port}/second
                queue_config:
                  batch_send_deadline: 50ms
            """));
        await reloader.ReloadAsync(CancellationToken.None);
        Assert.Equal(2, service.Queues.Count);
        Assert.DoesNotContain(queue, service.Queues);
        Assert.Contains(service.Queues, q => q.Name == "primary");
        var unnamed = Assert.Single(service.Queues, q => q.Name != "primary");
        Assert.Matches("^[0-9a-f]{6}$", unnamed.Name);
        foreach (var q in service.Queues)
        {
            await q.Started;
        }
        Append(db, "second", 2);
        // The new primary queue resumes from its marker (nothing resent); the new queue starts at the end: one sample each.
        await WaitUntilAsync(() => receiver.Count == 3, "the second sample through both queues");
        Assert.Single(receiver.Samples, s => s.Series.StartsWith("__name__=first", StringComparison.Ordinal));

        await File.WriteAllTextAsync(configFile, "global: {}\n");
        await reloader.ReloadAsync(CancellationToken.None);
        Assert.Empty(service.Queues);
    }

    private static Dictionary<(string Name, string Labels), double> Collect(IMeterFactory meters)
    {
        var values = new Dictionary<(string, string), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RemoteWriteMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new List<string>();
            foreach (var tag in tags)
            {
                labels.Add(tag.Value?.ToString() ?? "");
            }
            values[(instrument.Name, string.Join("|", labels))] = value;
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        listener.RecordObservableInstruments();
        _ = meters;
        return values;
    }
}
