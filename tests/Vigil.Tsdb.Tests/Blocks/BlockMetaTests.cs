using Vigil.Testing;
using Vigil.Tsdb.Blocks;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class BlockMetaTests
{
    // Exactly what promtool 2.42 wrote (create-blocks-from openmetrics): tab indents, no trailing newline.
    private const string PromtoolMeta = "{\n\t\"ulid\": \"01M848DQ3BZ75HTX7T445HTV4H\",\n\t\"minTime\": 1700000000000,\n\t\"maxTime\": 1700000015001,\n\t\"stats\": {\n\t\t\"numSamples\": 4,\n\t\t\"numSeries\": 3,\n\t\t\"numChunks\": 3\n\t},\n\t\"compaction\": {\n\t\t\"level\": 1,\n\t\t\"sources\": [\n\t\t\t\"01M848DQ3BZ75HTX7T445HTV4H\"\n\t\t]\n\t},\n\t\"version\": 1\n}";

    [Fact]
    public void Parses_promtool_meta_and_writes_the_same_text()
    {
        var meta = BlockMeta.Parse(PromtoolMeta);
        Assert.Equal(Ulid.Parse("01M848DQ3BZ75HTX7T445HTV4H"), meta.Ulid);
        Assert.Equal(1700000000000, meta.MinTime);
        Assert.Equal(1700000015001, meta.MaxTime);
        Assert.Equal(4UL, meta.Stats.NumSamples);
        Assert.Equal(3UL, meta.Stats.NumSeries);
        Assert.Equal(3UL, meta.Stats.NumChunks);
        Assert.Equal(1, meta.Compaction.Level);
        Assert.Equal([meta.Ulid], meta.Compaction.Sources);
        Assert.Equal(PromtoolMeta, meta.ToJson());
    }

    [Fact]
    public void Unknown_fields_and_compaction_lineage_survive_a_round_trip()
    {
        const string json = """
            {"ulid":"01M848DQ3BZ75HTX7T445HTV4H","minTime":0,"maxTime":7200000,"stats":{"numSamples":9,"numFloatSamples":9},
             "compaction":{"level":2,"sources":["01M848DQ3BZ75HTX7T445HTV4H"],"parents":[{"ulid":"01M848DQ3BZ75HTX7T445HTV4H","minTime":0,"maxTime":5}],"hints":["from-out-of-order"],"deletable":true},
             "version":1,"thanos":{"labels":{"replica":"a"},"source":"sidecar"}}
            """;
        var meta = BlockMeta.Parse(json);
        Assert.Equal(2, meta.Compaction.Level);
        Assert.True(meta.Compaction.Deletable);
        Assert.Equal(5, meta.Compaction.Parents![0].MaxTime);
        Assert.Equal(["from-out-of-order"], meta.Compaction.Hints);
        var again = BlockMeta.Parse(meta.ToJson());
        Assert.Equal("sidecar", again.Extra!["thanos"].GetProperty("source").GetString());
        Assert.Equal(9UL, again.Stats.Extra!["numFloatSamples"].GetUInt64());
        Assert.Equal(meta.ToJson(), again.ToJson());
    }

    [Theory]
    [InlineData("{", "JSON")]
    [InlineData("null", "JSON")]
    [InlineData("{\"ulid\":\"nope\",\"version\":1}", "JSON")]
    [InlineData("{\"ulid\":\"01M848DQ3BZ75HTX7T445HTV4H\",\"version\":2}", "version")]
    public void Bad_meta_is_a_format_error(string json, string section)
    {
        var e = Assert.Throws<BlockFormatException>(() => BlockMeta.Parse(json, "/x/meta.json"));
        Assert.Equal(section, e.Section);
        Assert.Equal("/x/meta.json", e.File);
    }

    [Fact]
    public void Write_is_atomic_and_leaves_no_temp_file()
    {
        using var tmp = new TempDirectory();
        var meta = BlockMeta.Parse(PromtoolMeta);
        meta.Write(tmp.Path);
        Assert.Equal(PromtoolMeta, File.ReadAllText(tmp.File("meta.json")));
        Assert.False(File.Exists(tmp.File("meta.json.tmp")));
        Assert.Equal(meta.Ulid, BlockMeta.Read(tmp.Path).Ulid);
    }
}
