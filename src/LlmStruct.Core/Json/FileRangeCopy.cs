using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LlmStruct.Json;

/// <summary>
/// Copies a byte range between files inside the kernel where it can (Linux <c>copy_file_range</c>: no trip through
/// user memory; a filesystem with reflinks may not copy at all), else reports that nothing was copied so the
/// caller falls back to reading and writing.
/// </summary>
internal static class FileRangeCopy
{
    private static volatile bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Copies up to <paramref name="length"/> bytes; returns how many were copied (0: use another way).</summary>
    public static long TryCopy(SafeFileHandle source, long sourceOffset, SafeFileHandle target, long targetOffset, long length)
    {
        if (s_unavailable)
        {
            return 0;
        }
        long copied = 0;
        try
        {
            while (copied < length)
            {
                long inOffset = sourceOffset + copied, outOffset = targetOffset + copied;
                nint n = CopyFileRange(source, ref inOffset, target, ref outOffset, (nuint)Math.Min(length - copied, 1L << 30), 0);
                if (n <= 0)
                {
                    if (n < 0 && copied == 0)
                    {
                        s_unavailable = true; // ENOSYS, EXDEV, EINVAL…: not for these files; read and write instead
                    }
                    break;
                }
                copied += n;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true;
        }
        return copied;
    }

    [DllImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static extern nint CopyFileRange(SafeFileHandle fdIn, ref long offIn, SafeFileHandle fdOut, ref long offOut, nuint length, uint flags);
}
