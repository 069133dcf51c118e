using System.Diagnostics;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// The native front of the linux-x64 package (src/LlmStruct.Cli.Front): which command lines it keeps, that it builds
/// the commands it names, and, against the installed tool, that it runs those itself and hands the rest to the whole
/// tool in the same process.
/// </summary>
public sealed class FrontCommandsTests
{
    private static readonly Func<string, string?> NoVariables = _ => null;

    [Theory]
    [InlineData(true, "parse", "-i", "src", "-o", "struct.json", "--no-cache", "-q")]
    [InlineData(true, "validate", "struct.json")]
    [InlineData(true, "cache", "clear")]
    [InlineData(true, "context", "--focus", "a.py", "--budget", "8000")]
    [InlineData(true, "parse", "-i", "src", "-v")]
    [InlineData(false)]
    [InlineData(false, "ask", "what does this do?")]
    [InlineData(false, "serve")]
    [InlineData(false, "--version")]
    [InlineData(false, "--help")]
    [InlineData(false, "Parse", "-i", "src")]
    [InlineData(false, "-v", "parse", "-i", "src")]
    [InlineData(false, "parse", "--help")]
    [InlineData(false, "context", "-h")]
    [InlineData(false, "cache", "-?")]
    [InlineData(false, "parse", "-i", "src", "--version")]
    [InlineData(false, "parse", "-i", "src", "--otlp-endpoint", "http://127.0.0.1:4318")]
    [InlineData(false, "parse", "-i", "src", "--otlp-endpoint=http://127.0.0.1:4318")]
    public void Keeps_its_own_commands_and_hands_on_help_version_and_telemetry(bool runsHere, params string[] args) =>
        Assert.Equal(runsHere, FrontCommands.RunsHere(args, NoVariables));

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")]
    public void Hands_on_when_a_variable_turns_telemetry_on(string variable)
    {
        string[] args = ["parse", "-i", "src"];
        Assert.False(FrontCommands.RunsHere(args, name => name == variable ? "http://127.0.0.1:4318" : null));
        Assert.True(FrontCommands.RunsHere(args, name => name == variable ? "  " : null));
    }

    [Fact]
    public void Builds_exactly_the_commands_it_names()
    {
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        Assert.Equal(FrontCommands.Commands, FrontCommands.Create(console, () => throw new InvalidOperationException("not invoked")).Select(c => c.Name));
    }

    /// <summary>
    /// The installed linux-x64 tool: the command is the front, the whole tool lies beside it, <c>parse --watch</c> keeps
    /// running as the front, and <c>mcp</c> becomes the whole tool in the same process (execv).
    /// </summary>
    [NativeToolFact]
    public async Task The_installed_command_is_the_front_and_hands_other_commands_to_the_whole_tool_in_place()
    {
        var front = Path.GetFullPath(CliRunner.Binary!);
        var resolved = new FileInfo(front).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? front;
        Assert.Equal("llmstruct-front", Path.GetFileName(resolved));
        var whole = Path.Combine(Path.GetDirectoryName(resolved)!, "llmstruct");
        Assert.True(File.Exists(whole), whole);

        var dir = Directory.CreateTempSubdirectory("llmstruct-front-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "a.py"), "def f():\n    return 1\n");
            Assert.Equal(resolved, await ExecutableWhileRunningAsync(front, dir.FullName, "Watching", "parse", "-i", dir.FullName, "-o", Path.Combine(dir.FullName, "struct.json"), "--watch"));
            Assert.Equal(whole, await ExecutableWhileRunningAsync(front, dir.FullName, null, "mcp", "--input", dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="args"/>, waits (a minute at most) until it has written
    /// <paramref name="ready"/> to stderr, or, without one, until its executable is no longer <paramref name="file"/>'s
    /// target; returns the executable of the running process (<c>/proc/PID/exe</c>) and stops it.
    /// </summary>
    private static async Task<string> ExecutableWhileRunningAsync(string file, string workingDirectory, string? ready, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var exe = $"/proc/{process.Id}/exe";
        var started = new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? file;
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            if (ready is not null)
            {
                while (await process.StandardError.ReadLineAsync(limit.Token) is { } line && !line.Contains(ready, StringComparison.Ordinal))
                {
                }
                Assert.False(process.HasExited, $"{args[0]} exited before '{ready}'");
            }
            else
            {
                _ = process.StandardError.ReadToEndAsync();
                while (!process.HasExited && File.ResolveLinkTarget(exe, returnFinalTarget: false)?.FullName == started)
                {
                    await Task.Delay(20, limit.Token);
                }
            }
            Assert.False(process.HasExited, $"{args[0]} exited early with {(process.HasExited ? process.ExitCode : 0)}");
            return File.ResolveLinkTarget(exe, returnFinalTarget: false)!.FullName;
        }
        finally
        {
            TestProcess.Stop(process);
        }
    }
}

/// <summary>Runs only against a native installed tool (<c>LLMSTRUCT_CLI_BINARY</c> not a .dll; .ci/run's second pass).</summary>
public sealed class NativeToolFactAttribute : FactAttribute
{
    public NativeToolFactAttribute()
    {
        if (CliRunner.Binary is null || CliRunner.Binary.EndsWith(".dll", StringComparison.Ordinal))
        {
            Skip = "needs the installed native tool: LLMSTRUCT_CLI_BINARY=PATH (.ci/run sets it after benchmarks/install-tool.sh)";
        }
    }
}
