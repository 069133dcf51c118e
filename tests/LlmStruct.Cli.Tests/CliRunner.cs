namespace LlmStruct.Cli.Tests;

internal sealed record CliOutcome(int ExitCode, string Out, string Error);

internal static class CliRunner
{
    /// <summary>
    /// A built CLI to run instead of calling <see cref="CliApp"/> in this process (<c>LLMSTRUCT_CLI_BINARY</c>: a native
    /// executable, or a <c>.dll</c> run with <c>dotnet</c>), so the same tests check a published build.
    /// </summary>
    public static string? Binary { get; } = Environment.GetEnvironmentVariable("LLMSTRUCT_CLI_BINARY") is { Length: > 0 } path ? path : null;

    public static async Task<CliOutcome> RunAsync(params string[] args)
    {
        if (Binary is not null)
        {
            return await RunProcessAsync(Binary, args);
        }
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, stdout, stderr);
        return new CliOutcome(code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<CliOutcome> RunProcessAsync(string binary, string[] args)
    {
        bool managed = binary.EndsWith(".dll", StringComparison.Ordinal);
        var start = new System.Diagnostics.ProcessStartInfo(managed ? "dotnet" : binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (managed)
        {
            start.ArgumentList.Add(binary);
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliOutcome(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds LlmStruct.Sdk.sln.</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("LlmStruct.Sdk.sln not found");
    }
}

internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "llmstruct-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string content)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, true);
        }
        catch (IOException)
        {
        }
    }
}
