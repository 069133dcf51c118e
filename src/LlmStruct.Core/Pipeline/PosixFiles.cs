using System.Runtime.InteropServices;

namespace LlmStruct.Pipeline;

/// <summary>
/// Opens and reads source files with the plain system calls on Linux. .NET's <see cref="File.OpenHandle"/> also takes
/// an advisory lock (<c>flock</c>, its emulation of <see cref="FileShare"/>) and stats the file (to refuse folders):
/// two more system calls per file, which a run that reads every file of a project once does not need (a folder
/// fails the read instead, and nothing here shares or locks). Errors carry the system's own text (no paths: the
/// caller names the file), as <see cref="FileNotFoundException"/>, <see cref="UnauthorizedAccessException"/> or
/// <see cref="IOException"/>. Elsewhere, or when libc cannot be called, <see cref="Available"/> is false and the
/// caller uses .NET's file API.
/// </summary>
internal static class PosixFiles
{
    // O_RDONLY (0) | O_NOCTTY | O_CLOEXEC, as the kernel's generic ABI numbers them (x86-64 and arm64 alike).
    private const int ReadOnlyFlags = 0x100 | 0x80000;
    private const int EINTR = 4;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;
    private const int EACCES = 13;
    private const int EPERM = 1;

    private static volatile bool s_available = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>True where <see cref="Open"/>, <see cref="Read"/> and <see cref="Close"/> may be used.</summary>
    public static bool Available => s_available;

    /// <summary>Opens <paramref name="path"/> for reading; returns the descriptor, or -1 when libc turned out not to be callable (then <see cref="Available"/> is false).</summary>
    public static int Open(string path)
    {
        int length = System.Text.Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        byte[]? rented = null;
        Span<byte> name = length <= 1024 ? stackalloc byte[1024] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            int written = System.Text.Encoding.UTF8.GetBytes(path, name);
            if (name[..written].Contains((byte)0))
            {
                throw new IOException("the path holds a NUL character");
            }
            name[written] = 0;
            while (true)
            {
                int fd = SysOpen(ref MemoryMarshal.GetReference(name), ReadOnlyFlags);
                if (fd >= 0)
                {
                    return fd;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EINTR)
                {
                    throw Error(errno);
                }
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_available = false;
            return -1;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Reads into <paramref name="buffer"/> at <paramref name="offset"/> (<c>pread</c>); returns the bytes read, 0 at the end.</summary>
    public static int Read(int fd, Span<byte> buffer, long offset)
    {
        while (true)
        {
            nint read = SysPRead(fd, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length, offset);
            if (read >= 0)
            {
                return (int)read;
            }
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
            {
                throw Error(errno);
            }
        }
    }

    /// <summary>Closes a descriptor <see cref="Open"/> returned.</summary>
    public static void Close(int fd) => SysClose(fd);

    private static Exception Error(int errno)
    {
        string message = Marshal.GetPInvokeErrorMessage(errno);
        return errno switch
        {
            ENOENT or ENOTDIR => new FileNotFoundException(message),
            EACCES or EPERM => new UnauthorizedAccessException(message),
            _ => new IOException(message, errno),
        };
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int SysOpen(ref byte path, int flags);

    [DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static extern nint SysPRead(int fd, ref byte buffer, nuint count, long offset);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int SysClose(int fd);
}
