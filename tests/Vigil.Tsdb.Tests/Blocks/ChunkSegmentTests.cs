using Vigil.Testing;
using Vigil.Tsdb.Blocks;

namespace Vigil.Tsdb.Tests.Blocks;

public sealed class ChunkSegmentTests
{
    private static List<(byte Encoding, byte[] Data)> SomeChunks(int count, int seed = 5)
    {
        var random = new Random(seed);
        var chunks = new List<(byte, byte[])>();
        for (var i = 0; i < count; i++)
        {
            var data = new byte[random.Next(2, 300)];
            random.NextBytes(data);
            chunks.Add(((byte)random.Next(1, 4), data));
        }
        return chunks;
    }

    private static List<ulong> WriteAll(string dir, List<(byte Encoding, byte[] Data)> chunks, long maxSegmentSize = ChunkSegments.DefaultMaxSegmentSize)
    {
        using var writer = new ChunkSegmentWriter(dir, maxSegmentSize: maxSegmentSize);
        var refs = new List<ulong>();
        foreach (var (e, d) in chunks)
        {
            refs.Add(writer.Append(e, d));
        }
        writer.Complete();
        return refs;
    }

    [Fact]
    public void Chunks_read_back_by_reference_with_their_encoding()
    {
        using var tmp = new TempDirectory();
        var chunks = SomeChunks(50);
        var refs = WriteAll(tmp.Path, chunks);

        Assert.Equal(8UL, refs[0]); // right after the 8-byte segment header
        using var reader = ChunkSegmentReader.Open(tmp.Path);
        Assert.Equal(1, reader.SegmentCount);
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = reader.Read(refs[i]);
            Assert.Equal(chunks[i].Encoding, chunk.Encoding);
            Assert.Equal(chunks[i].Data, chunk.Data.ToArray());
        }
    }

    [Fact]
    public void Segment_layout_is_header_then_len_encoding_data_crc()
    {
        using var tmp = new TempDirectory();
        // The first chunk of the promtool block in UlidTests' comment: 2 samples of http_requests_total.
        var data = Convert.FromHexString("000280a0abfef9623ff00000000000009875c25fff");
        var refs = WriteAll(tmp.Path, [(1, data)]);
        var bytes = File.ReadAllBytes(Path.Combine(tmp.Path, "000001"));
        // As promtool wrote it: magic, version 1, padding; len 0x15, encoding 1, data, CRC32C 0570dc0e.
        Assert.Equal("85BD40DD01000000" + "15" + "01" + Convert.ToHexString(data) + "0570DC0E", Convert.ToHexString(bytes));
        Assert.Equal([8UL], refs);
    }

    [Fact]
    public void A_full_segment_is_cut_and_references_carry_the_segment_index()
    {
        using var tmp = new TempDirectory();
        var chunks = SomeChunks(40);
        var refs = WriteAll(tmp.Path, chunks, maxSegmentSize: 1024);

        var files = Directory.GetFiles(tmp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 3);
        Assert.Equal("000001", files[0]);
        Assert.Equal("000002", files[1]);
        foreach (var f in files)
        {
            // Each segment stays within the limit unless it holds a single chunk bigger than that.
            Assert.True(new FileInfo(Path.Combine(tmp.Path, f!)).Length <= 1024);
        }
        using var reader = ChunkSegmentReader.Open(tmp.Path);
        Assert.Equal(files.Length, reader.SegmentCount);
        Assert.Equal(files.Length - 1, ChunkSegments.SegmentIndex(refs[^1]));
        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.Equal(chunks[i].Data, reader.Read(refs[i]).Data.ToArray());
        }
    }

    [Fact]
    public void A_flipped_data_byte_is_a_crc_error_naming_file_and_offset()
    {
        using var tmp = new TempDirectory();
        var refs = WriteAll(tmp.Path, SomeChunks(3));
        var path = Path.Combine(tmp.Path, "000001");
        var bytes = File.ReadAllBytes(path);
        var second = (int)ChunkSegments.Offset(refs[1]);
        bytes[second + 5] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        using var reader = ChunkSegmentReader.Open(tmp.Path);
        Assert.Equal(SomeChunks(3)[0].Data, reader.Read(refs[0]).Data.ToArray());
        var e = Assert.Throws<BlockFormatException>(() => reader.Read(refs[1]));
        Assert.Equal(path, e.File);
        Assert.Equal(second, e.Offset);
        Assert.Contains("CRC32C mismatch", e.Message);
        Assert.Contains(path, e.Message);
        Assert.False(reader.TryRead(refs[1], out _, out var error));
        Assert.Equal("chunk", error.Section);
    }

    [Fact]
    public void A_truncated_segment_is_an_error_for_the_chunks_past_the_cut()
    {
        using var tmp = new TempDirectory();
        var chunks = SomeChunks(3);
        var refs = WriteAll(tmp.Path, chunks);
        var path = Path.Combine(tmp.Path, "000001");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..((int)ChunkSegments.Offset(refs[2]) + 10)]);

        using var reader = ChunkSegmentReader.Open(tmp.Path);
        Assert.Equal(chunks[1].Data, reader.Read(refs[1]).Data.ToArray());
        var e = Assert.Throws<BlockFormatException>(() => reader.Read(refs[2]));
        Assert.Contains("truncated", e.Reason);
    }

    [Theory]
    [InlineData(0, "bad magic")]
    [InlineData(4, "version")]
    public void A_bad_header_fails_at_open(int at, string expected)
    {
        using var tmp = new TempDirectory();
        WriteAll(tmp.Path, SomeChunks(1));
        var path = Path.Combine(tmp.Path, "000001");
        var bytes = File.ReadAllBytes(path);
        bytes[at] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<BlockFormatException>(() => ChunkSegmentReader.Open(tmp.Path));
        Assert.Equal("segment header", e.Section);
        Assert.Contains(expected, e.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void A_segment_shorter_than_its_header_fails_at_open(int length)
    {
        using var tmp = new TempDirectory();
        File.WriteAllBytes(Path.Combine(tmp.Path, "000001"), new byte[length]);
        var e = Assert.Throws<BlockFormatException>(() => ChunkSegmentReader.Open(tmp.Path));
        Assert.Contains("truncated", e.Reason);
    }

    [Theory]
    [InlineData(1UL << 32 | 8, "segment index 1 out of range")]
    [InlineData(3UL, "outside the segment")]
    [InlineData(100_000UL, "outside the segment")]
    public void References_outside_the_files_are_errors(ulong chunkRef, string expected)
    {
        using var tmp = new TempDirectory();
        WriteAll(tmp.Path, SomeChunks(2));
        using var reader = ChunkSegmentReader.Open(tmp.Path);
        var e = Assert.Throws<BlockFormatException>(() => reader.Read(chunkRef));
        Assert.Contains(expected, e.Reason);
    }

    [Fact]
    public void Any_single_corrupted_byte_gives_the_original_chunks_or_a_format_error()
    {
        using var tmp = new TempDirectory();
        var chunks = SomeChunks(6, seed: 11);
        var refs = WriteAll(tmp.Path, chunks);
        var path = Path.Combine(tmp.Path, "000001");
        var original = File.ReadAllBytes(path);
        var random = new Random(3);
        for (var at = 0; at < original.Length; at++)
        {
            var bytes = (byte[])original.Clone();
            bytes[at] ^= (byte)random.Next(1, 256);
            File.WriteAllBytes(path, bytes);
            ChunkSegmentReader reader;
            try
            {
                reader = ChunkSegmentReader.Open(tmp.Path);
            }
            catch (BlockFormatException)
            {
                Assert.True(at < ChunkSegments.HeaderSize, $"header error for a byte at {at}");
                continue;
            }
            using (reader)
            {
                for (var i = 0; i < chunks.Count; i++)
                {
                    if (reader.TryRead(refs[i], out var chunk, out _))
                    {
                        Assert.Equal(chunks[i].Encoding, chunk.Encoding);
                        Assert.Equal(chunks[i].Data, chunk.Data.ToArray());
                    }
                }
            }
        }
    }

    [Fact]
    public void Writing_into_a_directory_with_segments_is_refused()
    {
        using var tmp = new TempDirectory();
        WriteAll(tmp.Path, SomeChunks(1));
        using var writer = new ChunkSegmentWriter(tmp.Path);
        Assert.Throws<IOException>(() => writer.Append(1, [0, 0]));
    }
}
