using Vigil.Model;

namespace Vigil.Storage;

/// <summary>Iterates a sorted array of samples (optionally a slice of it).</summary>
public sealed class ArraySampleIterator : ISampleIterator
{
    private Sample[] _samples = [];
    private int _end;
    private int _index = -1;

    /// <summary>An iterator over <paramref name="samples"/>[<paramref name="start"/>..<paramref name="end"/>).</summary>
    public ArraySampleIterator(Sample[] samples, int start = 0, int end = -1) => Reset(samples, start, end);

    /// <summary>Points the iterator at new samples.</summary>
    public void Reset(Sample[] samples, int start = 0, int end = -1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        _samples = samples;
        _end = end < 0 ? samples.Length : end;
        _index = start - 1;
    }

    /// <inheritdoc/>
    public bool Next()
    {
        if (_index < _end)
        {
            _index++;
        }
        return _index < _end;
    }

    /// <inheritdoc/>
    public bool Seek(long timestampMs)
    {
        if (_index < 0)
        {
            _index = 0;
        }
        while (_index < _end && _samples[_index].TimestampMs < timestampMs)
        {
            _index++;
        }
        return _index < _end;
    }

    /// <inheritdoc/>
    public Sample At() => _samples[_index];

    /// <inheritdoc/>
    public Exception? Error => null;
}
