using Vigil.Model;

namespace Vigil.Model.Tests.Labels;

public sealed class LabelsTests
{
    [Fact]
    public void From_sorts_by_name_and_drops_empty_values()
    {
        var labels = Model.Labels.Of("job", "node", "__name__", "up", "empty", "", "instance", "a:9100");
        Assert.Equal(["__name__", "instance", "job"], labels.Select(l => l.Name));
        Assert.Equal("up", labels.MetricName);
        Assert.Equal("", labels.Get("empty"));
        Assert.False(labels.Has("empty"));
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Model.Labels.Of("a", "1", "a", "2"));
        Assert.Contains("duplicate label name \"a\"", e.Message);
    }

    [Fact]
    public void Equal_sets_are_equal_and_hash_alike_regardless_of_input_order()
    {
        var a = Model.Labels.Of("a", "1", "b", "2");
        var b = Model.Labels.Of("b", "2", "a", "1");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void The_hash_is_stable_across_processes()
    {
        // xxHash64 (seed 0) of "a\xff1\xff": pinned so persisted hashes never silently change.
        var expected = System.IO.Hashing.XxHash64.HashToUInt64(new byte[] { (byte)'a', 0xff, (byte)'1', 0xff });
        Assert.Equal(0x6577cd4df75e4415UL, expected);
        Assert.Equal(expected, Model.Labels.Of("a", "1").Hash);
        Assert.Equal(System.IO.Hashing.XxHash64.HashToUInt64([]), Model.Labels.Empty.Hash);
    }

    [Fact]
    public void Separator_byte_prevents_ambiguous_concatenations()
    {
        Assert.NotEqual(Model.Labels.Of("a", "bc").Hash, Model.Labels.Of("ab", "c").Hash);
        Assert.NotEqual(Model.Labels.Of("a", "b", "c", "d"), Model.Labels.Of("a", "bc", "d", ""));
    }

    [Fact]
    public void Different_values_are_not_equal()
    {
        Assert.NotEqual(Model.Labels.Of("a", "1"), Model.Labels.Of("a", "2"));
        Assert.False(Model.Labels.Of("a", "1").Equals(null));
    }

    [Fact]
    public void ToString_uses_Prometheus_notation_with_Go_quoting()
    {
        var labels = Model.Labels.Of("__name__", "up", "path", "a\"b\\c\nd");
        Assert.Equal("{__name__=\"up\", path=\"a\\\"b\\\\c\\nd\"}", labels.ToString());
        Assert.Equal("{}", Model.Labels.Empty.ToString());
    }

    [Fact]
    public void Compare_orders_like_Prometheus_labels_Compare()
    {
        var sets = new[]
        {
            Model.Labels.Of("a", "2"),
            Model.Labels.Of("a", "1", "b", "1"),
            Model.Labels.Of("a", "1"),
            Model.Labels.Of("b", "0"),
        };
        var sorted = sets.Order().ToArray();
        Assert.Equal(Model.Labels.Of("a", "1"), sorted[0]);
        Assert.Equal(Model.Labels.Of("a", "1", "b", "1"), sorted[1]);
        Assert.Equal(Model.Labels.Of("a", "2"), sorted[2]);
        Assert.Equal(Model.Labels.Of("b", "0"), sorted[3]);
    }

    [Fact]
    public void HashForLabels_hashes_only_the_named_labels()
    {
        var a = Model.Labels.Of("__name__", "x", "job", "j", "instance", "i1");
        var b = Model.Labels.Of("__name__", "y", "job", "j", "instance", "i2");
        Assert.Equal(a.HashForLabels(["job"]), b.HashForLabels(["job"]));
        Assert.NotEqual(a.HashForLabels(["instance", "job"]), b.HashForLabels(["instance", "job"]));
        Assert.Equal(Model.Labels.Of("job", "j").Hash, a.HashForLabels(["job"]));
    }

    [Fact]
    public void WithoutMetricName_drops_only_the_name()
    {
        var labels = Model.Labels.Of("__name__", "up", "job", "x");
        Assert.Equal(Model.Labels.Of("job", "x"), labels.WithoutMetricName());
        var nameless = Model.Labels.Of("job", "x");
        Assert.Same(nameless, nameless.WithoutMetricName());
    }

    [Fact]
    public void Builder_sets_replaces_and_removes_keeping_order()
    {
        var builder = new LabelsBuilder(Model.Labels.Of("b", "2", "d", "4"));
        builder.Set("c", "3").Set("a", "1").Set("b", "22").Set("d", "").Remove("missing");
        Assert.Equal(Model.Labels.Of("a", "1", "b", "22", "c", "3"), builder.ToLabels());
        Assert.Equal("22", builder.Get("b"));
        builder.RemoveWhere(l => l.Name.StartsWith('a'));
        Assert.Equal(Model.Labels.Of("b", "22", "c", "3"), builder.ToLabels());
        Assert.Same(Model.Labels.Empty, builder.Clear().ToLabels());
    }

    [Fact]
    public void A_built_snapshot_does_not_change_when_the_builder_does()
    {
        var builder = new LabelsBuilder().Set("a", "1");
        var snapshot = builder.ToLabels();
        builder.Set("a", "2");
        Assert.Equal("1", snapshot.Get("a"));
    }

    [Theory]
    [InlineData("up", true)]
    [InlineData("http_requests_total", true)]
    [InlineData("job:rate5m", true)]
    [InlineData("_x", true)]
    [InlineData("1x", false)]
    [InlineData("a-b", false)]
    [InlineData("a.b", false)]
    [InlineData("", false)]
    public void Metric_name_charset(string name, bool valid) => Assert.Equal(valid, LabelText.IsValidMetricName(name));

    [Theory]
    [InlineData("job", true)]
    [InlineData("__name__", true)]
    [InlineData("a:b", false)]
    [InlineData("0a", false)]
    [InlineData("", false)]
    public void Label_name_charset(string name, bool valid) => Assert.Equal(valid, LabelText.IsValidLabelName(name));

    [Fact]
    public void Stale_marker_is_a_specific_NaN()
    {
        Assert.True(double.IsNaN(StaleMarker.Value));
        Assert.True(StaleMarker.IsStale(StaleMarker.Value));
        Assert.False(StaleMarker.IsStale(double.NaN));
        Assert.Equal(0x7ff0000000000002UL, BitConverter.DoubleToUInt64Bits(StaleMarker.Value));
    }
}

public sealed class Utf8OrderTests
{
    [Fact]
    public void Label_sets_sort_by_UTF8_bytes_like_Prometheus()
    {
        // U+1F600 (a surrogate pair in UTF-16) is F0 9F 98 80 in UTF-8, after U+FF5E (EF BD 9E);
        // UTF-16 ordinal order would put it first.
        var emoji = Model.Labels.Of("a", "\U0001F600");
        var fullwidth = Model.Labels.Of("a", "\uFF5E");
        Assert.True(string.CompareOrdinal("\U0001F600", "\uFF5E") < 0);
        Assert.True(fullwidth.CompareTo(emoji) < 0);
        Assert.True(LabelText.CompareUtf8("\uFF5E", "\U0001F600") < 0);
        Assert.Equal(0, LabelText.CompareUtf8("x", "x"));
        Assert.True(LabelText.CompareUtf8("a", "ab") < 0);
    }
}
