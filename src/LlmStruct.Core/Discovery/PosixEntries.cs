using System.Runtime.InteropServices;
using System.Text;

namespace LlmStruct.Discovery;

/// <summary>
/// What .NET's file API does not tell on Linux: whether an entry is a regular file (a FIFO, socket or device lists
/// as a file of size 0), and the raw bytes of names that are not valid UTF-8 (.NET shows them with U+FFFD, a name
/// no open can find). Elsewhere, or where libc cannot be called, the answers are "regular" and "none".
/// </summary>
internal static unsafe class PosixEntries
{
    private const int S_IFMT = 0xF000;
    private const int S_IFREG = 0x8000;
    private const int S_IFDIR = 0x4000;
    private const int DT_DIR = 4;

    private static volatile bool s_available = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// False when <paramref name="path"/> (links followed) is something other than a regular file or folder: a FIFO,
    /// socket or device. True when it is one, or when it cannot be told.
    /// </summary>
    public static bool IsRegularFileOrFolder(string path)
    {
        if (!s_available)
        {
            return true;
        }
        var name = NullTerminated(path);
        // struct stat is 144 bytes on x86-64 and 128 on arm64; st_mode is at 24 and 16.
        byte* buffer = stackalloc byte[256];
        try
        {
            fixed (byte* p = name)
            {
                if (SysStat(p, buffer) != 0)
                {
                    return true; // gone or unreadable: the read that follows reports it
                }
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_available = false;
            return true;
        }
        int mode = *(int*)(buffer + (RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16));
        return (mode & S_IFMT) is S_IFREG or S_IFDIR;
    }

    /// <summary>
    /// The entries of <paramref name="directory"/> whose names are not valid UTF-8, shown with each invalid byte as
    /// <c>\xNN</c> (valid parts kept), with whether the entry is a folder; ordered ordinally.
    /// </summary>
    public static IReadOnlyList<(string Shown, bool IsDirectory)> InvalidUtf8Names(string directory)
    {
        var found = new List<(string, bool)>();
        if (!s_available)
        {
            return found;
        }
        var name = NullTerminated(directory);
        try
        {
            nint dir;
            fixed (byte* p = name)
            {
                dir = SysOpenDir(p);
            }
            if (dir == 0)
            {
                return found;
            }
            try
            {
                for (byte* entry = SysReadDir(dir); entry != null; entry = SysReadDir(dir))
                {
                    // struct dirent (glibc, 64-bit): d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name at 19.
                    var bytes = new ReadOnlySpan<byte>(entry + 19, 256);
                    bytes = bytes[..bytes.IndexOf((byte)0)];
                    if (!System.Text.Unicode.Utf8.IsValid(bytes))
                    {
                        found.Add((Escape(bytes), entry[18] == DT_DIR));
                    }
                }
            }
            finally
            {
                SysCloseDir(dir);
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_available = false;
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return found;
    }

    /// <summary>The bytes as text: valid UTF-8 decoded, every other byte as <c>\xNN</c> (lower-case hex).</summary>
    internal static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length + 8);
        while (!bytes.IsEmpty)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out int consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                consumed = 1;
                text.Append("\\x").Append(bytes[0].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            bytes = bytes[consumed..];
        }
        return text.ToString();
    }

    private static byte[] NullTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int SysStat(byte* path, byte* buffer);

    [DllImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static extern nint SysOpenDir(byte* path);

    [DllImport("libc", EntryPoint = "readdir", SetLastError = true)]
    private static extern byte* SysReadDir(nint dir);

    [DllImport("libc", EntryPoint = "closedir", SetLastError = true)]
    private static extern int SysCloseDir(nint dir);
}
