using System.Runtime.InteropServices;

namespace LlmStruct.Cli.Front;

/// <summary>
/// The whole tool beside the front (<c>llmstruct</c> in the same folder). <see cref="Exec"/> replaces this process with
/// it (<c>execv</c>): the same process id, arguments, standard streams, signals and exit code, as if the user had
/// started it; nothing of the front stays behind.
/// </summary>
internal static partial class FullTool
{
    /// <summary>The whole tool's file name, beside this binary.</summary>
    public const string FileName = "llmstruct";

    /// <summary>
    /// Replaces this process with the whole tool run with <paramref name="args"/>. Returns only when that cannot be done:
    /// the reason is written to <paramref name="stderr"/> and the exit code is 2.
    /// </summary>
    public static int Exec(string[] args, TextWriter stderr)
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        var argv = new string?[args.Length + 2];
        argv[0] = path;
        args.CopyTo(argv, 1);
        Execv(path, argv);
        var error = Marshal.GetLastPInvokeErrorMessage();
        stderr.WriteLine($"error: cannot start the llmstruct tool beside this front ({path}): {error}");
        return ExitCodes.UsageOrIo;
    }

    /// <summary><c>execv(2)</c>: <paramref name="argv"/> ends with null.</summary>
    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, string?[] argv);
}
