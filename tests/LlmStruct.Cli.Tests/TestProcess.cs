using System.Diagnostics;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// Processes the CLI tests start: the CLI under test as a server (the native tool under <c>LLMSTRUCT_CLI_BINARY</c>, else
/// this build's llmstruct.dll), and other programs (Node clients), each bounded in time and killed when it overruns.
/// </summary>
internal static class TestProcess
{
    /// <summary>The command line of the CLI under test: the published binary, else this build's llmstruct.dll.</summary>
    public static string[] CliCommand()
    {
        var binary = CliRunner.Binary ?? Path.Combine(AppContext.BaseDirectory, "llmstruct.dll");
        return binary.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", binary] : [binary];
    }

    /// <summary>Starts the CLI with <paramref name="args"/> and waits (2 minutes at most) for its "listening on URL" line.</summary>
    public static async Task<(Process Process, string Url)> StartListeningAsync(params string[] args)
    {
        var command = CliCommand();
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"llmstruct {args[0]} exited before listening: {await stderr}");
                if (line.StartsWith("listening on ", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return (process, line["listening on ".Length..].Trim());
                }
            }
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops a server: SIGTERM, then a kill after 30 seconds.</summary>
    public static void Stop(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// Runs <paramref name="file"/> to its end within <paramref name="limit"/> (else kills it and throws
    /// <see cref="TimeoutException"/>), with <paramref name="environment"/> set (a null value removes a variable).
    /// </summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(
        string file, IEnumerable<string> args, string workingDirectory, TimeSpan limit, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {limit}: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
