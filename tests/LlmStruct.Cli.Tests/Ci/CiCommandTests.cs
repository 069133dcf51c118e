using System.Diagnostics;
using LlmStruct.Tasks.Tests.Sync;

namespace LlmStruct.Cli.Tests.Ci;

/// <summary>
/// <c>llmstruct ci check|update|errors</c> from the command line. Commands that read a token run the tool as a child
/// process with the token in its environment only (tests in other classes set the same variables in this process).
/// </summary>
public sealed class CiCommandTests
{
    private const string Token = "glpat-CICOMMANDTOKEN0123456789";

    private static TempDir Repo()
    {
        var dir = new TempDir();
        Git(dir.Root, "init", "-q", "-b", "main");
        dir.Write("llmstruct.toml", "[project]\nname = \"demo\"\n");
        dir.Write("app.py", "def main():\n    return 1\n");
        dir.Write("broken.py", "def bad(:\n    pass\n");
        Git(dir.Root, "add", "-A");
        Git(dir.Root, "commit", "-q", "-m", "code");
        return dir;
    }

    [Fact]
    public async Task Check_fails_on_a_stale_file_with_a_summary_and_update_commit_fixes_it()
    {
        using var dir = Repo();

        var missing = await CliRunner.RunAsync("ci", "check", "--input", dir.Root);
        var update = await CliRunner.RunAsync("ci", "update", "--input", dir.Root, "--commit", "--message", "bot: struct.json [skip ci]");
        var fresh = await CliRunner.RunAsync("ci", "check", "--input", dir.Root);
        dir.Write("app.py", "def main():\n    return 2\n\n\ndef extra():\n    pass\n");
        var stale = await CliRunner.RunAsync("ci", "check", "--input", dir.Root);

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("is stale: the file does not exist", missing.Out, StringComparison.Ordinal);
        Assert.Equal(0, update.ExitCode);
        Assert.Matches("created\ncommitted [0-9a-f]{40}\n$", update.Out);
        Assert.Equal("bot: struct.json [skip ci]", Git(dir.Root, "log", "-1", "--format=%s").Trim());
        Assert.Equal(0, fresh.ExitCode);
        Assert.EndsWith("is up to date\n", fresh.Out, StringComparison.Ordinal);
        Assert.Equal(1, stale.ExitCode);
        Assert.EndsWith("is stale: 1 module(s) changed (app.py); 1 definition(s) added (app.py#extra)\n", stale.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_in_a_detached_head_and_report_with_an_unknown_base_fail_with_clear_messages()
    {
        using var dir = Repo();
        Git(dir.Root, "checkout", "-q", "--detach");

        var detached = await CliRunner.RunAsync("ci", "update", "--input", dir.Root, "--commit");
        var unknown = await CliRunner.RunAsync("ci", "report", "--repo", dir.Root, "--base", "v9.9");

        Assert.Equal(2, detached.ExitCode);
        Assert.StartsWith("error: HEAD is detached (no branch is checked out)", detached.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal("error: 'v9.9' is not a commit in this repository\n", unknown.Error);
        Assert.DoesNotContain("   at ", detached.Error + unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_keeps_one_issue_per_broken_file_with_the_token_from_the_environment_only()
    {
        using var dir = Repo();
        using var server = new FakeGitLabServer("acme/widgets", Token);

        var first = Tool(dir.Root, "ci", "errors", "--gitlab", "acme/widgets", "--api-url", server.ApiUrl, "--input", dir.Root);
        var second = Tool(dir.Root, "ci", "errors", "--gitlab", "acme/widgets", "--api-url", server.ApiUrl, "--input", dir.Root);
        dir.Write("broken.py", "def bad():\n    pass\n");
        var fixedRun = Tool(dir.Root, "ci", "errors", "--gitlab", "acme/widgets", "--api-url", server.ApiUrl, "--input", dir.Root);
        var noToken = await CliRunner.RunAsync("ci", "errors", "--github", "acme/widgets", "--api-url", server.ApiUrl, "--input", dir.Root);

        Assert.True(first.Code == 0, first.Error);
        Assert.Equal("opened broken.py\n", first.Out);
        Assert.Equal("", second.Out);
        Assert.Contains("0 opened, 0 updated, 0 closed, 1 unchanged", second.Error, StringComparison.Ordinal);
        Assert.Equal("closed broken.py\n", fixedRun.Out);
        var issue = Assert.Single(server.Issues);
        Assert.True(issue.Closed);
        Assert.Equal("Parse errors in broken.py", issue.Title);
        Assert.Contains("<!-- llmstruct:parse-errors file=broken.py -->", issue.Description, StringComparison.Ordinal);
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("GITHUB_TOKEN is not set", noToken.Error, StringComparison.Ordinal);
        foreach (var run in new[] { first, second, fixedRun })
        {
            Assert.DoesNotContain("CICOMMANDTOKEN", run.Out + run.Error, StringComparison.Ordinal);
        }
    }

    // The tool as a child process with GITLAB_TOKEN set for it alone.
    private static (int Code, string Out, string Error) Tool(string directory, params string[] arguments)
    {
        var binary = CliRunner.Binary ?? Path.Combine(AppContext.BaseDirectory, "llmstruct.dll");
        bool managed = binary.EndsWith(".dll", StringComparison.Ordinal);
        var start = new ProcessStartInfo(managed ? "dotnet" : binary) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (managed)
        {
            start.ArgumentList.Add(binary);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["GITLAB_TOKEN"] = Token;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Test Author";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "author@example.com";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {stderr}");
        return stdout.Result;
    }
}
