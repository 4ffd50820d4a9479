namespace Vigil.Tsdb.IO;

/// <summary>A file open for appending. Not thread-safe: one writer owns it.</summary>
public interface IWritableFile : IDisposable
{
    /// <summary>The path the file was opened with.</summary>
    string Path { get; }

    /// <summary>The file's length, which is where the next <see cref="Append"/> writes.</summary>
    long Length { get; }

    /// <summary>
    /// Hands <paramref name="data"/> to the operating system at the end of the file (no buffering in this
    /// process). On failure an <see cref="IOException"/> is thrown and an unknown prefix of the data may
    /// have reached the file; <see cref="Length"/> then reflects what the file system reports.
    /// </summary>
    void Append(ReadOnlySpan<byte> data);

    /// <summary>Makes everything appended so far durable (fsync / FlushFileBuffers).</summary>
    void Sync();

    /// <summary>Cuts the file to <paramref name="length"/> bytes; later appends continue from there.</summary>
    void Truncate(long length);
}

/// <summary>A file open for reading at arbitrary offsets. Not thread-safe.</summary>
public interface IReadableFile : IDisposable
{
    /// <summary>The file's length when it was opened.</summary>
    long Length { get; }

    /// <summary>Reads up to <c>destination.Length</c> bytes at <paramref name="offset"/>; returns how many were read (0 at the end).</summary>
    int ReadAt(long offset, Span<byte> destination);
}
