using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LlmStruct.Json;

/// <summary>
/// Where struct.json's bytes go: a stream plus the number of bytes written so far. Into a file on Linux, every few
/// megabytes the kernel is asked to start writing the pages just written back to disk (<c>sync_file_range</c>
/// with <c>SYNC_FILE_RANGE_WRITE</c>, which does not wait), so the flush to disk that makes the final rename safe finds
/// most of the file already on disk instead of writing hundreds of megabytes at the end.
/// </summary>
internal sealed class OutputSink(Stream stream, CancellationToken cancellationToken)
{
    private const long WritebackEvery = 8L << 20;
    private static volatile bool s_writebackUnavailable = !OperatingSystem.IsLinux();
    private long _writebackFrom;

    /// <summary>Bytes written (or copied into the file by the caller and reported with <see cref="Advance"/>).</summary>
    public long Position { get; private set; }

    /// <summary>Writes bytes and advances <see cref="Position"/>.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        Position += bytes.Length;
        if (Position - _writebackFrom >= WritebackEvery && stream is FileStream file && !s_writebackUnavailable)
        {
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            StartWriteback(file.SafeFileHandle, _writebackFrom, Position - _writebackFrom);
            _writebackFrom = Position;
        }
    }

    /// <summary>Counts bytes the caller put into the file itself.</summary>
    public void Advance(long bytes) => Position += bytes;

    /// <summary>Pushes buffered bytes to the stream (not to disk).</summary>
    public Task FlushAsync() => stream.FlushAsync(cancellationToken);

    private static void StartWriteback(SafeFileHandle handle, long offset, long length)
    {
        try
        {
            if (SyncFileRange(handle, offset, length, SyncFileRangeWrite) != 0)
            {
                s_writebackUnavailable = true; // e.g. a file system without it: the final flush does all the work
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_writebackUnavailable = true;
        }
    }

    private const uint SyncFileRangeWrite = 2;

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
