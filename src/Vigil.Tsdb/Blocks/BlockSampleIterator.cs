using Vigil.Model;
using Vigil.Storage;
using Vigil.Tsdb.Chunks;

namespace Vigil.Tsdb.Blocks;

/// <summary>
/// The samples of one series in a block: its chunks decoded in turn (XOR only), limited to
/// [minTime, maxTime] and without tombstoned samples. Reusable through <see cref="Reset"/>; allocates
/// nothing per sample. A chunk that fails its CRC or cannot be decoded ends iteration with a
/// <see cref="BlockFormatException"/> in <see cref="Error"/>.
/// </summary>
internal sealed class BlockSampleIterator : ISampleIterator
{
    private readonly XorIterator _xor = new();
    private ChunkSegmentReader? _reader;
    private ChunkMeta[] _chunks = [];
    private IReadOnlyList<TimeInterval> _deleted = [];
    private long _minTime;
    private long _maxTime;
    private int _chunkIndex;
    private bool _inChunk;
    private bool _done;
    private bool _hasCurrent;
    private Sample _current;

    public Exception? Error { get; private set; }

    public void Reset(ChunkSegmentReader reader, ChunkMeta[] chunks, IReadOnlyList<TimeInterval> deleted, long minTime, long maxTime)
    {
        _reader = reader;
        _chunks = chunks;
        _deleted = deleted;
        _minTime = minTime;
        _maxTime = maxTime;
        _chunkIndex = -1;
        _inChunk = false;
        _done = false;
        _hasCurrent = false;
        _current = default;
        Error = null;
    }

    public Sample At() => _current;

    public bool Next() => Advance(long.MinValue);

    public bool Seek(long timestampMs)
    {
        if (_hasCurrent && _current.TimestampMs >= timestampMs)
        {
            return true;
        }
        return Advance(timestampMs);
    }

    private bool Advance(long target)
    {
        while (!_done)
        {
            if (!_inChunk && !OpenNextChunk(target))
            {
                break;
            }
            if (!_xor.Next())
            {
                if (_xor.DecodeError.IsError)
                {
                    var meta = _chunks[_chunkIndex];
                    Fail(new BlockFormatError(_reader!.Directory, "chunk", ChunkSegments.Offset(meta.Ref), $"chunk {meta.Ref} (segment {ChunkSegments.SegmentIndex(meta.Ref)}) passes its CRC but does not decode: {_xor.DecodeError}"));
                    break;
                }
                _inChunk = false;
                continue;
            }
            var s = _xor.At();
            if (s.TimestampMs < _minTime || s.TimestampMs < target)
            {
                continue;
            }
            if (s.TimestampMs > _maxTime)
            {
                _done = true;
                break;
            }
            if (IsDeleted(s.TimestampMs))
            {
                continue;
            }
            _current = s;
            _hasCurrent = true;
            return true;
        }
        _hasCurrent = false;
        return false;
    }

    private bool OpenNextChunk(long target)
    {
        var from = Math.Max(target, _minTime);
        while (++_chunkIndex < _chunks.Length)
        {
            var meta = _chunks[_chunkIndex];
            if (meta.MaxTime < from)
            {
                continue;
            }
            if (meta.MinTime > _maxTime)
            {
                break;
            }
            if (!_reader!.TryRead(meta.Ref, out var chunk, out var error))
            {
                Fail(error);
                return false;
            }
            if (chunk.Encoding != (byte)ChunkEncoding.Xor)
            {
                Fail(new BlockFormatError(_reader.Directory, "chunk", ChunkSegments.Offset(meta.Ref), $"chunk {meta.Ref} has encoding {chunk.Encoding}; Vigil reads only XOR (1) chunks"));
                return false;
            }
            _xor.Reset(chunk.Data);
            _inChunk = true;
            return true;
        }
        _done = true;
        return false;
    }

    private bool IsDeleted(long t)
    {
        foreach (var iv in _deleted)
        {
            if (iv.Contains(t))
            {
                return true;
            }
        }
        return false;
    }

    private void Fail(BlockFormatError error)
    {
        Error = error.ToException();
        _done = true;
        _inChunk = false;
    }
}
