using Vigil.Model.Relabel;

namespace Vigil.Model.Tests.Relabel;

public sealed class RelabelerTests
{
    [Theory]
    [InlineData("10.0.0.1:9100", 8UL, 5UL)] // observed on Prometheus 2.42 (relabel-golden.json)
    [InlineData("node-exporter", ulong.MaxValue, 4930490463194856648UL)]
    [InlineData("", 1000UL, 958UL)]
    [InlineData("ünïcødé", 97UL, 53UL)]
    public void HashMod_is_Prometheus_sum64_of_md5(string value, ulong modulus, ulong expected)
        => Assert.Equal(expected, Relabeler.HashMod(value, modulus));

    [Fact]
    public void No_rules_returns_the_same_instance()
    {
        var labels = Model.Labels.Of("a", "1");
        Assert.Same(labels, Relabeler.Process(labels, []));
    }

    [Fact]
    public void A_dropping_rule_stops_the_chain()
    {
        var rules = new[]
        {
            new RelabelConfig { Action = RelabelAction.Drop, SourceLabels = ["a"], Regex = RelabelRegex.Create("1") },
            new RelabelConfig { Action = RelabelAction.HashMod, SourceLabels = ["a"], TargetLabel = "h", Modulus = 0 },
        };
        // The second rule would throw (modulus 0) if it ran.
        Assert.Null(Relabeler.Process(Model.Labels.Of("a", "1"), rules));
    }

    [Fact]
    public void Builder_is_relabeled_in_place()
    {
        var builder = new LabelsBuilder(Model.Labels.Of("__meta_x", "1", "a", "2"));
        Assert.True(Relabeler.Process(builder, [new RelabelConfig { Action = RelabelAction.LabelMap, Regex = RelabelRegex.Create("__meta_(.*)") }]));
        Assert.Equal("{__meta_x=\"1\", a=\"2\", x=\"1\"}", builder.ToLabels().ToString());
    }

    [Fact]
    public void Common_rules_do_not_allocate_per_series()
    {
        var rules = new[]
        {
            new RelabelConfig { Action = RelabelAction.Keep, SourceLabels = ["__name__"], Regex = RelabelRegex.Create("http_.*|up") },
            new RelabelConfig { SourceLabels = ["pod"], TargetLabel = "instance" },
            new RelabelConfig { Action = RelabelAction.LabelDrop, Regex = RelabelRegex.Create("pod") },
            new RelabelConfig { Action = RelabelAction.DropEqual, SourceLabels = ["instance"], TargetLabel = "job" },
        };
        var input = Model.Labels.Of("__name__", "http_requests_total", "pod", "web-1", "job", "api", "code", "200");
        var builder = new LabelsBuilder();
        for (var i = 0; i < 100; i++)
        {
            builder.Reset(input);
            Relabeler.Process(builder, rules);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            builder.Reset(input);
            Assert.True(Relabeler.Process(builder, rules));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("{__name__=\"http_requests_total\", code=\"200\", instance=\"web-1\", job=\"api\"}", builder.ToLabels().ToString());
    }
}
