using Vigil.Model;
using Vigil.Testing;
using Vigil.Tsdb.Blocks;
using Vigil.Tsdb.Index;
using static Vigil.Tsdb.Tests.Blocks.BlockTestData;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class IndexTests
{
    private static readonly Labels[] s_labels =
    [
        Labels.Of("__name__", "http_requests_total", "job", "api", "code", "200"),
        Labels.Of("__name__", "http_requests_total", "job", "api", "code", "500"),
        Labels.Of("__name__", "http_requests_total", "job", "web", "code", "200"),
        Labels.Of("__name__", "up", "job", "api"),
        Labels.Of("__name__", "up", "job", "web", "env", "prod"),
    ];

    /// <summary>Writes an index of the label sets (sorted), chunk i of series s at ref 8 + 100·(2s+i).</summary>
    private static string WriteIndex(TempDirectory tmp, IEnumerable<Labels> labelSets)
    {
        var sorted = labelSets.Order(Utf8Order.LabelSets).ToList();
        var path = tmp.File("index");
        using var writer = new IndexWriter(path, sorted.SelectMany(l => l.SelectMany(x => new[] { x.Name, x.Value })));
        for (var s = 0; s < sorted.Count; s++)
        {
            writer.AddSeries(sorted[s], ChunksOf(s));
        }
        writer.Complete();
        return path;
    }

    private static ChunkMeta[] ChunksOf(int s)
        => [new(1_000 * s, (1_000 * s) + 500, (ulong)(8 + (200 * s))), new((1_000 * s) + 501, (1_000 * s) + 999, (ulong)(108 + (200 * s)))];

    [Fact]
    public void Symbols_labels_postings_and_series_round_trip()
    {
        using var tmp = new TempDirectory();
        using var reader = IndexReader.Open(WriteIndex(tmp, s_labels));

        Assert.Equal(["", "200", "500", "__name__", "api", "code", "env", "http_requests_total", "job", "prod", "up", "web"], reader.Symbols);
        Assert.Equal(["__name__", "code", "env", "job"], reader.LabelNames());
        Assert.Equal(["api", "web"], reader.SortedLabelValues("job"));
        Assert.Empty(reader.SortedLabelValues("nope"));

        var all = reader.AllPostings();
        Assert.Equal(5, all.Length);
        var sorted = s_labels.Order(Utf8Order.LabelSets).ToArray();
        for (var i = 0; i < all.Length; i++)
        {
            var series = reader.Series(all[i]);
            Assert.Equal(sorted[i], series.Labels);
            Assert.Equal(ChunksOf(i), series.Chunks);
        }
        Assert.Equal(3, reader.Postings("job", "api").Length);
        Assert.Equal(5, reader.Postings("job", "api", "web", "nope").Length);
        Assert.Empty(reader.Postings("job", "nope"));
        Assert.Equal(5, reader.Verify());
    }

    [Fact]
    public void Series_references_are_offsets_divided_by_16()
    {
        using var tmp = new TempDirectory();
        var path = WriteIndex(tmp, s_labels);
        using var reader = IndexReader.Open(path);
        var bytes = File.ReadAllBytes(path);
        foreach (var r in reader.AllPostings())
        {
            // Each entry starts at ref*16 and is preceded by zero padding, not by the previous entry's bytes.
            Assert.True((long)r * 16 >= (long)reader.Toc.Series);
            Assert.NotEqual(0, bytes[r * 16]);
        }
    }

    public static TheoryData<string, LabelMatchType, string> MatcherCases() => new()
    {
        { "job", LabelMatchType.Equal, "api" },
        { "job", LabelMatchType.NotEqual, "api" },
        { "code", LabelMatchType.NotEqual, "200" },
        { "code", LabelMatchType.Equal, "" },
        { "code", LabelMatchType.NotEqual, "" },
        { "code", LabelMatchType.Regex, "2.." },
        { "code", LabelMatchType.Regex, ".*" },
        { "code", LabelMatchType.Regex, ".+" },
        { "code", LabelMatchType.NotRegex, "5.." },
        { "job", LabelMatchType.Regex, "api|web" },
        { "env", LabelMatchType.Regex, "prod|" },
        { "nope", LabelMatchType.Equal, "x" },
        { "nope", LabelMatchType.NotEqual, "x" },
        { "__name__", LabelMatchType.Regex, "up|nope" },
    };

    [Theory]
    [MemberData(nameof(MatcherCases))]
    public void One_matcher_selects_the_same_series_as_MemPostings(string name, LabelMatchType type, string value)
        => AssertSameSelection([M(name, type, value)]);

    [Fact]
    public void Matchers_are_intersected_as_in_MemPostings()
    {
        AssertSameSelection([M("__name__", LabelMatchType.Equal, "http_requests_total"), M("job", LabelMatchType.Equal, "api")]);
        AssertSameSelection([M("__name__", LabelMatchType.Equal, "http_requests_total"), M("job", LabelMatchType.Equal, "api"), M("code", LabelMatchType.NotEqual, "200")]);
        AssertSameSelection([M("job", LabelMatchType.Equal, "api"), M("env", LabelMatchType.Equal, "prod")]);
        AssertSameSelection([M("code", LabelMatchType.NotEqual, "200"), M("env", LabelMatchType.Equal, "")]);
        AssertSameSelection([]);
    }

    private static void AssertSameSelection(LabelMatcher[] matchers) => AssertSameSelection(s_labels, matchers);

    private static void AssertSameSelection(IReadOnlyList<Labels> labelSets, LabelMatcher[] matchers)
    {
        var mem = new MemPostings();
        for (var i = 0; i < labelSets.Count; i++)
        {
            mem.Add((ulong)i + 1, labelSets[i]);
        }
        var expected = mem.PostingsForMatchers(matchers).Select(r => labelSets[(int)r - 1]).Order(Utf8Order.LabelSets).ToList();

        using var tmp = new TempDirectory();
        using var reader = IndexReader.Open(WriteIndex(tmp, labelSets));
        var actual = reader.PostingsForMatchers(matchers).Select(r => reader.Series(r).Labels).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Random_label_sets_round_trip_and_select_like_MemPostings()
    {
        var random = new Random(17);
        string[] names = ["__name__", "a", "b", "job", "z"];
        string[] values = ["", "0", "1", "x", "xy", "é", "\uFFFD", "😀", "a b", "\"q\""];
        for (var round = 0; round < 30; round++)
        {
            var set = new HashSet<Labels>();
            var count = random.Next(0, 40);
            while (set.Count < count)
            {
                var ls = names.Where(_ => random.Next(2) == 0).Select(n => new Label(n, values[random.Next(values.Length)])).ToList();
                var labels = Labels.From(ls);
                if (labels.Count > 0)
                {
                    set.Add(labels);
                }
            }
            var labelSets = set.ToList();
            using (var tmp = new TempDirectory())
            {
                using var reader = IndexReader.Open(WriteIndex(tmp, labelSets));
                var read = reader.AllPostings().Select(r => reader.Series(r).Labels).ToList();
                Assert.Equal(labelSets.Order(Utf8Order.LabelSets), read);
                Assert.Equal(labelSets.Count, reader.Verify());
            }
            var name = names[random.Next(names.Length)];
            var value = values[random.Next(values.Length)];
            var type = (LabelMatchType)random.Next(4);
            var pattern = type is LabelMatchType.Regex or LabelMatchType.NotRegex ? System.Text.RegularExpressions.Regex.Escape(value) + "|x" : value;
            AssertSameSelection(labelSets, [M(name, type, pattern)]);
        }
    }

    [Fact]
    public void Series_and_symbols_sort_as_utf8_bytes_not_utf16()
    {
        // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8 and in Go, after it in UTF-16.
        using var tmp = new TempDirectory();
        using var reader = IndexReader.Open(WriteIndex(tmp, [Labels.Of("a", "😀"), Labels.Of("a", "\uFFFD")]));
        Assert.Equal(["\uFFFD", "😀"], reader.SortedLabelValues("a"));
        Assert.Equal([Labels.Of("a", "\uFFFD"), Labels.Of("a", "😀")], reader.AllPostings().Select(r => reader.Series(r).Labels));
        Assert.Single(reader.Postings("a", "😀"));
    }

    [Fact]
    public void Writer_refuses_out_of_order_and_duplicate_series_and_bad_chunks()
    {
        using var tmp = new TempDirectory();
        using var writer = new IndexWriter(tmp.File("index"), ["a", "1", "2"]);
        writer.AddSeries(Labels.Of("a", "2"), []);
        Assert.Throws<ArgumentException>(() => writer.AddSeries(Labels.Of("a", "1"), []));
        Assert.Throws<ArgumentException>(() => writer.AddSeries(Labels.Of("a", "2"), []));
        Assert.Throws<ArgumentException>(() => writer.AddSeries(Labels.Empty, []));
        Assert.Throws<ArgumentException>(() => writer.AddSeries(Labels.Of("a", "3"), []));  // not a symbol
        Assert.Throws<ArgumentException>(() => writer.AddSeries(Labels.Of("a", "2", "b", "1"), [new(5, 4, 8)]));
    }

    [Fact]
    public void An_empty_index_opens_with_no_series()
    {
        using var tmp = new TempDirectory();
        using var reader = IndexReader.Open(WriteIndex(tmp, []));
        Assert.Empty(reader.AllPostings());
        Assert.Empty(reader.LabelNames());
        Assert.Equal([""], reader.Symbols);
        Assert.Equal(0, reader.Verify());
    }

    // ---- corruption: every section, one flipped byte inside what its CRC covers ----

    public static TheoryData<string> Sections() => new() { "header", "TOC", "symbol table", "series", "label index", "postings", "label offset table", "postings offset table" };

    [Theory]
    [MemberData(nameof(Sections))]
    public void A_flipped_byte_in_any_section_is_a_format_error_naming_that_section(string section)
    {
        using var tmp = new TempDirectory();
        var path = WriteIndex(tmp, s_labels);
        IndexToc toc;
        using (var r = IndexReader.Open(path))
        {
            toc = r.Toc;
        }
        var bytes = File.ReadAllBytes(path);
        long at = section switch
        {
            "header" => 1,
            "TOC" => bytes.Length - 52 + 7,
            "symbol table" => (long)toc.Symbols + 9,
            "series" => Align((long)toc.Series, 16) + 2,
            "label index" => Align((long)toc.LabelIndices, 4) + 9,
            "postings" => Align((long)toc.Postings, 4) + 11,
            "label offset table" => (long)toc.LabelIndicesTable + 9,
            _ => (long)toc.PostingsTable + 9,
        };
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<BlockFormatException>(() =>
        {
            using var reader = IndexReader.Open(path);
            // What a query touches lazily: all series and postings; then the full check.
            foreach (var r in reader.AllPostings())
            {
                reader.Series(r);
            }
            reader.PostingsForMatchers([M("job", LabelMatchType.Regex, ".+")]);
            reader.Verify();
        });
        Assert.Equal(section, e.Section);
        Assert.Equal(path, e.File);
        Assert.Contains(path, e.Message);
        Assert.True(e.Offset >= 0 && e.Offset < bytes.Length, $"offset {e.Offset}");
    }

    [Fact]
    public void A_corrupt_series_entry_is_an_error_on_read_not_wrong_labels()
    {
        using var tmp = new TempDirectory();
        var path = WriteIndex(tmp, s_labels);
        ulong first;
        using (var r = IndexReader.Open(path))
        {
            first = r.AllPostings()[0];
        }
        var bytes = File.ReadAllBytes(path);
        bytes[(first * 16) + 3] ^= 0x01; // a label's symbol reference
        File.WriteAllBytes(path, bytes);

        using var reader = IndexReader.Open(path);
        var e = Assert.Throws<BlockFormatException>(() => reader.Series(first));
        Assert.Equal("series", e.Section);
        Assert.Equal((long)first * 16, e.Offset);
        Assert.Contains("CRC32C mismatch", e.Reason);
        Assert.Throws<BlockFormatException>(() => reader.Series(first + 1)); // not the start of an entry
    }

    [Fact]
    public void Truncated_index_files_fail_to_open()
    {
        using var tmp = new TempDirectory();
        var path = WriteIndex(tmp, s_labels);
        var bytes = File.ReadAllBytes(path);
        foreach (var length in new[] { 0, 3, 5, 56, bytes.Length / 2, bytes.Length - 53, bytes.Length - 1 })
        {
            File.WriteAllBytes(path, bytes[..length]);
            var e = Assert.Throws<BlockFormatException>(() => IndexReader.Open(path).Dispose());
            Assert.Equal(path, e.File);
        }
    }

    [Fact]
    public void Any_single_corrupted_byte_gives_correct_data_or_a_format_error()
    {
        using var tmp = new TempDirectory();
        var path = WriteIndex(tmp, s_labels);
        var original = File.ReadAllBytes(path);
        var expected = s_labels.Order(Utf8Order.LabelSets).ToList();
        for (var at = 0; at < original.Length; at++)
        {
            var bytes = (byte[])original.Clone();
            bytes[at] ^= 0x5A;
            File.WriteAllBytes(path, bytes);
            try
            {
                using var reader = IndexReader.Open(path);
                var read = reader.AllPostings().Select(r => (reader.Series(r).Labels, reader.Series(r).Chunks)).ToList();
                // Accepted: must be exactly what was written (the byte was padding or an unused field).
                Assert.Equal(expected, read.Select(x => x.Labels));
                for (var s = 0; s < read.Count; s++)
                {
                    Assert.Equal(ChunksOf(s), read[s].Chunks);
                }
                Assert.Equal(3, reader.PostingsForMatchers([M("job", LabelMatchType.Equal, "api")]).Length);
            }
            catch (BlockFormatException)
            {
            }
        }
    }

    private static long Align(long x, int a) => (x + a - 1) / a * a;
}
