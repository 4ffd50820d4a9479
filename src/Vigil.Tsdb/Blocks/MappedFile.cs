using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// A read-only memory map of a whole block file (index or chunk segment).
/// </summary>
/// <remarks>
/// Why mmap rather than <see cref="RandomAccess"/>: block files never change once written, the index is
/// read at random (a series entry, then its postings, then chunks) in pieces of a few bytes whose length is
/// only known after reading a varint, and chunk bytes can then be handed to decoders as
/// <see cref="ReadOnlyMemory{T}"/> without a copy or a syscall. The kernel's page cache is the only cache,
/// as with Prometheus, so memory use compares like for like. The price is a lifetime rule: memory handed
/// out is valid only until <see cref="Dispose"/>, so whoever reads keeps the reader open (queriers do).
/// </remarks>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly MappedMemory? _whole;
    private byte* _pointer;

    private MappedFile(string path, long length, MemoryMappedFile? map, MemoryMappedViewAccessor? view)
    {
        Path = path;
        Length = length;
        _map = map;
        _view = view;
        if (view is not null)
        {
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            _pointer = p + view.PointerOffset;
            if (length <= int.MaxValue)
            {
                _whole = new MappedMemory(_pointer, (int)length);
            }
        }
    }

    /// <summary>The file's path, for error messages.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>Maps <paramref name="path"/>; an empty file maps to nothing (length 0).</summary>
    public static MappedFile Open(string path)
    {
        // FileShare.Delete: retention may delete a block directory while a query still reads it (POSIX keeps the inode).
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.RandomAccess);
        try
        {
            var length = stream.Length;
            if (length == 0)
            {
                stream.Dispose();
                return new MappedFile(path, 0, null, null);
            }
            var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            try
            {
                var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
                return new MappedFile(path, length, map, view);
            }
            catch
            {
                map.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>); the caller has checked the bounds.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(_pointer == null && Length > 0, this);
        if ((ulong)offset > (ulong)Length || (ulong)length > (ulong)(Length - offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{length}) is outside \"{Path}\" ({Length} bytes)");
        }
        return length == 0 ? default : new ReadOnlySpan<byte>(_pointer + offset, length);
    }

    /// <summary>Like <see cref="Span"/> but as memory (valid until dispose); allocates nothing for files under 2 GiB.</summary>
    public ReadOnlyMemory<byte> Memory(long offset, int length)
    {
        _ = Span(offset, length);
        if (length == 0)
        {
            return default;
        }
        return _whole is not null
            ? _whole.Memory.Slice((int)offset, length)
            : new MappedMemory(_pointer + offset, length).Memory;
    }

    public void Dispose()
    {
        if (_pointer != null)
        {
            _pointer = null;
            _view!.SafeMemoryMappedViewHandle.ReleasePointer();
        }
        _view?.Dispose();
        _map?.Dispose();
    }

    /// <summary>Exposes mapped bytes as <see cref="Memory{T}"/>; nothing to free (the map owns the pages).</summary>
    private sealed class MappedMemory(byte* pointer, int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
