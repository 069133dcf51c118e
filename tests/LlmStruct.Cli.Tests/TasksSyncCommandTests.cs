using System.Text;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Store;
using LlmStruct.Tasks.Tests.Sync;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// <c>llmstruct tasks sync</c> against the stateful fake GitHub and GitLab servers on 127.0.0.1. One class, so the
/// token variables it sets are not seen by another test at the same time.
/// </summary>
public sealed class TasksSyncCommandTests
{
    private const string GitHubToken = "ghp_CLITESTTOKEN_abcdef0123456789";
    private const string GitLabToken = "glpat-CLITESTTOKEN_0123456789";

    private static async Task<string> ProjectWithTasksAsync(TempDir dir)
    {
        var db = Path.Combine(dir.Root, ".llmstruct", "llmstruct.db");
        await using var store = await TaskStore.OpenAsync(db);
        await store.ApplyAsync(
        [
            new ProjectTask { Id = "TSK-001", Title = "Parse the config", Labels = ["feature"], Assignees = ["@alice"] },
            new ProjectTask { Id = "TSK-002", Title = "Fix the crash", Description = "It crashes.", Status = ProjectTaskStatus.Done },
        ], TaskEventSource.Toml);
        return db;
    }

    private static async Task<CliOutcome> WithTokenAsync(string variable, string? token, Func<Task<CliOutcome>> run)
    {
        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, token);
        try
        {
            return await run();
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    [Fact]
    public async Task Sync_with_GitHub_creates_the_issues_once_and_never_prints_or_stores_the_token()
    {
        using var dir = new TempDir();
        var db = await ProjectWithTasksAsync(dir);
        using var server = new FakeGitHubServer("acme", "widgets", GitHubToken, "alice");

        var dry = await WithTokenAsync("GITHUB_TOKEN", GitHubToken, () => CliRunner.RunAsync("tasks", "sync", "--github", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root, "--dry-run"));
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("create    TSK-001", dry.Out, StringComparison.Ordinal);
        Assert.Contains("dry run, nothing written", dry.Error, StringComparison.Ordinal);
        Assert.Equal(0, server.Writes);
        Assert.Empty(server.Issues);

        var first = await WithTokenAsync("GITHUB_TOKEN", GitHubToken, () => CliRunner.RunAsync("tasks", "sync", "--github", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root));
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("create    TSK-002  #2", first.Out, StringComparison.Ordinal);
        Assert.Equal(2, server.Issues.Count);
        Assert.True(server.Issues.Single(i => i.Number == 2).Closed);
        int writes = server.Writes;

        var second = await WithTokenAsync("GITHUB_TOKEN", GitHubToken, () => CliRunner.RunAsync("tasks", "sync", "--github", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root));
        Assert.Equal(0, second.ExitCode);
        Assert.Equal("", second.Out);
        Assert.Contains("0 tracker writes", second.Error, StringComparison.Ordinal);
        Assert.Equal(writes, server.Writes);

        foreach (var text in new[] { dry.Out, dry.Error, first.Out, first.Error, second.Out, second.Error })
        {
            Assert.DoesNotContain("CLITESTTOKEN", text, StringComparison.Ordinal);
        }
        foreach (var file in Directory.EnumerateFiles(dir.Root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("CLITESTTOKEN", Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
        Assert.True(File.Exists(db));
    }

    [Fact]
    public async Task Sync_with_GitLab_waits_out_a_rate_limit_and_pulls_a_close_back()
    {
        using var dir = new TempDir();
        var db = await ProjectWithTasksAsync(dir);
        using var server = new FakeGitLabServer("acme/widgets", GitLabToken, "alice");
        server.FailNext("GET", 429, false, ("Retry-After", "1"));

        var first = await WithTokenAsync("GITLAB_TOKEN", GitLabToken, () => CliRunner.RunAsync("tasks", "sync", "--gitlab", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root));
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("429", first.Error, StringComparison.Ordinal);
        Assert.Equal(2, server.Issues.Count);

        server.Edit(1, i => i.Closed = true);
        var second = await WithTokenAsync("GITLAB_TOKEN", GitLabToken, () => CliRunner.RunAsync("tasks", "sync", "--gitlab", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root));
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("pull      TSK-001  #1  task status open → done", second.Out, StringComparison.Ordinal);
        await using var store = await TaskStore.OpenAsync(db);
        Assert.Equal(ProjectTaskStatus.Done, (await store.GetAsync("TSK-001"))!.Status);
        Assert.DoesNotContain("CLITESTTOKEN", first.Error + first.Out + second.Error + second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_usage_and_a_refused_token_give_a_clear_message_and_exit_2()
    {
        using var dir = new TempDir();
        await ProjectWithTasksAsync(dir);
        using var server = new FakeGitHubServer("acme", "widgets", GitHubToken);

        var both = await WithTokenAsync("GITHUB_TOKEN", GitHubToken, () => CliRunner.RunAsync("tasks", "sync", "--github", "acme/widgets", "--gitlab", "a/b", "--project", dir.Root));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("one of --github", both.Error, StringComparison.Ordinal);

        var noToken = await WithTokenAsync("GITHUB_TOKEN", null, () => CliRunner.RunAsync("tasks", "sync", "--github", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root));
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("GITHUB_TOKEN is not set", noToken.Error, StringComparison.Ordinal);

        var badRepo = await WithTokenAsync("GITHUB_TOKEN", GitHubToken, () => CliRunner.RunAsync("tasks", "sync", "--github", "widgets", "--api-url", server.ApiUrl, "--project", dir.Root));
        Assert.Equal(2, badRepo.ExitCode);
        Assert.Contains("OWNER/REPO", badRepo.Error, StringComparison.Ordinal);

        var refused = await WithTokenAsync("GITHUB_TOKEN", "ghp_CLITESTTOKEN_wrong", () => CliRunner.RunAsync("tasks", "sync", "--github", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("CLITESTTOKEN", refused.Error + refused.Out, StringComparison.Ordinal);
        Assert.Equal(0, server.Writes);
    }

    [Fact]
    public async Task Sync_writes_issue_numbers_and_pulled_state_back_to_llmstruct_toml_and_struct_json_keeps_no_token()
    {
        using var dir = new TempDir();
        dir.Write("app.py", "def main():\n    return 1\n");
        var toml = dir.Write("llmstruct.toml", """
            # Our work, kept in git.
            [[tasks]]
            id = "TSK-001"
            title = "Parse the config" # the first one
            files = ["app.py"]

            [[tasks]]
            id = "TSK-002"
            title = "Fix the crash"
            """);
        using var server = new FakeGitHubServer("acme", "widgets", GitHubToken);
        Task<CliOutcome> Sync() => WithTokenAsync("GITHUB_TOKEN", GitHubToken,
            () => CliRunner.RunAsync("tasks", "sync", "--github", "acme/widgets", "--api-url", server.ApiUrl, "--project", dir.Root));

        var first = await Sync();
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(2, server.Issues.Count);
        var text = await File.ReadAllTextAsync(toml);
        Assert.Contains("# Our work, kept in git.", text, StringComparison.Ordinal);
        Assert.Contains("# the first one", text, StringComparison.Ordinal);
        Assert.Contains("number = 1", text, StringComparison.Ordinal);
        Assert.Contains("number = 2", text, StringComparison.Ordinal);

        // Closed on GitHub: the next sync pulls `done` into the file, and the sync after it has nothing to do.
        server.Edit(2, issue => issue.Closed = true);
        var second = await Sync();
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("status = \"done\"", await File.ReadAllTextAsync(toml), StringComparison.Ordinal);
        int writes = server.Writes;
        var third = await Sync();
        Assert.Equal(0, third.ExitCode);
        Assert.Equal(writes, server.Writes);
        Assert.True(server.Issues.Single(i => i.Number == 2).Closed);

        var parse = await CliRunner.RunAsync("parse", "--input", dir.Root, "--output", Path.Combine(dir.Root, "struct.json"));
        Assert.Equal(0, parse.ExitCode);
        var structJson = await File.ReadAllTextAsync(Path.Combine(dir.Root, "struct.json"));
        Assert.Contains("\"number\": 2", structJson, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir.Root, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("CLITESTTOKEN", Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }
}
