using System.Diagnostics;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>A git command failed; the message has git's own words (stderr).</summary>
internal sealed class GitException(string message) : Exception(message);

/// <summary>Runs git with an argument list (no shell), its output captured, killed when cancelled.</summary>
internal static class GitRunner
{
    public static async Task<string> RunAsync(string directory, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // Never wait for a password or an editor: a bot has no terminal.
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_EDITOR"] = "true";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitException("git could not be started");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new GitException($"git is not installed or not on PATH ({ex.Message})");
        }
        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var stderr = (await error.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                throw new GitException($"git {args[0]} failed: {(stderr.Length > 500 ? stderr[..500] : stderr)}");
            }
            return await output.ConfigureAwait(false);
        }
    }
}
