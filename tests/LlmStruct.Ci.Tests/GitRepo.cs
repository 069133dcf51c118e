using System.Diagnostics;

namespace LlmStruct.Ci.Tests;

/// <summary>
/// A real git repository in a temp folder, driven with the git CLI. Identity and dates are fixed, so the same steps
/// give the same commit ids on every machine; the user's global configuration is not read.
/// </summary>
internal sealed class GitRepo : IDisposable
{
    private int _tick;

    public GitRepo(bool init = true)
    {
        Root = Directory.CreateTempSubdirectory("llmstruct-ci-").FullName;
        if (init)
        {
            Git("init", "-q", "-b", "main");
        }
    }

    public string Root { get; }

    /// <summary>The environment every git call here gets: no global or system config, a fixed identity and clock.</summary>
    public static IReadOnlyDictionary<string, string> Environment(int tick) => new Dictionary<string, string>
    {
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = "Test Author",
        ["GIT_AUTHOR_EMAIL"] = "author@example.com",
        ["GIT_COMMITTER_NAME"] = "Test Author",
        ["GIT_COMMITTER_EMAIL"] = "author@example.com",
        ["GIT_AUTHOR_DATE"] = $"2026-01-01T00:{tick:00}:00Z",
        ["GIT_COMMITTER_DATE"] = $"2026-01-01T00:{tick:00}:00Z",
    };

    public string Write(string path, string content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Read(string path) => File.ReadAllText(Path.Combine(Root, path));

    /// <summary>Stages everything and commits; returns the commit id.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>Runs git in the repository and returns its output; fails the test on a non-zero exit.</summary>
    public string Git(params string[] arguments)
    {
        var (code, stdout, stderr) = TryGit(arguments);
        Assert.True(code == 0, $"git {string.Join(' ', arguments)} failed: {stderr}");
        return stdout;
    }

    public (int Code, string Stdout, string Stderr) TryGit(params string[] arguments) => Run(Root, Environment(_tick++ % 60), arguments);

    public static (int Code, string Stdout, string Stderr) Run(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS; the temp folder is cleaned by the system.
        }
        catch (UnauthorizedAccessException)
        {
            // git makes its objects read-only; the temp folder is cleaned by the system.
        }
    }
}
