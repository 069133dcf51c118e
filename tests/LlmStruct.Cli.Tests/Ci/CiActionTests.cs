using System.Diagnostics;
using System.Text.Json.Nodes;
using LlmStruct.Tasks.Tests.Sync;

namespace LlmStruct.Cli.Tests.Ci;

/// <summary>
/// action.yml run as GitHub runs it (<see cref="ActionRunner"/>), with the tool under test in place of the installed
/// one (input <c>tool-path</c>), against a stateful GitHub API on 127.0.0.1 and a real origin repository: pull request
/// runs keep one edited comment, push runs on the default branch commit struct.json once and then nothing.
/// </summary>
public sealed class CiActionTests
{
    private const string Token = "ghp_ACTIONTESTTOKEN0123456789SECRET";

    private static string ActionPath => Path.Combine(CliRunner.RepoRoot, "action.yml");

    [Fact]
    public async Task Pull_request_runs_keep_one_edited_comment_and_push_runs_commit_once_then_nothing()
    {
        using var dir = new TempDir();
        var origin = Path.Combine(dir.Root, "origin.git");
        Git(dir.Root, "init", "-q", "--bare", "-b", "main", origin);
        var seed = Path.Combine(dir.Root, "seed");
        Git(dir.Root, "clone", "-q", origin, seed);
        Write(seed, "llmstruct.toml", "[project]\nname = \"widgets\"\n");
        Write(seed, ".gitignore", ".llmstruct/\n");
        Write(seed, "app/__init__.py", "");
        Write(seed, "app/core.py", "def area(w, h):\n    return w * h\n");
        Write(seed, "app/use.py", "from app.core import area\n\n\ndef double(x):\n    return area(x, 2)\n");
        var baseCommit = Commit(seed, "base");
        Git(seed, "push", "-q", "origin", "main");
        Git(seed, "checkout", "-q", "-b", "feature");
        Write(seed, "app/core.py", "def area(w, h, scale=1):\n    return w * h * scale\n");
        var head1 = Commit(seed, "scale");
        Git(seed, "push", "-q", "origin", "feature");

        using var server = new FakeGitHubServer("acme", "widgets", Token);
        var pull = server.Add("Scale areas", pullRequest: true);
        var tool = ToolPath(dir.Root);

        // First pull request run: the report becomes the pull request's one comment and the job summary.
        var first = await RunAsync(dir, server, tool, CloneAt(dir, origin, head1), "pull_request", "refs/pull/1/merge", PullRequestEvent(pull.Number, baseCommit, head1, "opened"));
        Assert.True(first.ExitCode == 0, first.Log);
        Assert.Contains("actions/upload-artifact@v4", first.Uses);
        var comment = Assert.Single(server.Comments);
        Assert.Equal(pull.Number, comment.Issue);
        Assert.Contains("- `app/core.py#area` (function): signature — `area(w, h)` → `area(w, h, scale=1)`\n", comment.Body, StringComparison.Ordinal);
        Assert.Contains("is called by `app/use.py#double`", comment.Body, StringComparison.Ordinal);
        Assert.EndsWith("<!-- llmstruct:ci-report -->", comment.Body, StringComparison.Ordinal);
        Assert.StartsWith("## llmstruct: structural change\n", first.Summary, StringComparison.Ordinal);

        // A second push to the pull request: the same comment, edited.
        Write(seed, "app/core.py", "def area(w, h, scale=1):\n    \"\"\"Scaled area.\"\"\"\n    return w * h * scale\n");
        var head2 = Commit(seed, "docstring");
        Git(seed, "push", "-q", "origin", "feature");
        var second = await RunAsync(dir, server, tool, CloneAt(dir, origin, head2), "pull_request", "refs/pull/1/merge", PullRequestEvent(pull.Number, baseCommit, head2, "synchronize"));
        Assert.True(second.ExitCode == 0, second.Log);
        var edited = Assert.Single(server.Comments);
        Assert.Equal(comment.Id, edited.Id);
        Assert.NotEqual(comment.Body, edited.Body);
        Assert.Contains("signature, docstring, body", edited.Body, StringComparison.Ordinal);

        // The pull request is merged; the push run on the default branch commits struct.json once.
        Git(seed, "checkout", "-q", "main");
        Git(seed, "merge", "-q", "--ff-only", "feature");
        Git(seed, "push", "-q", "origin", "main");
        var merged = Git(seed, "rev-parse", "HEAD").Trim();
        var push = await RunAsync(dir, server, tool, CloneAt(dir, origin, null), "push", "refs/heads/main", PushEvent(baseCommit, merged));
        Assert.True(push.ExitCode == 0, push.Log);
        var committed = push.Outputs["update"]["commit"];
        Assert.Equal(committed, Git(origin, "rev-parse", "main").Trim());
        Assert.Equal(merged, Git(origin, "rev-parse", "main~1").Trim());
        Assert.Equal("struct.json\n", Git(origin, "show", "--name-only", "--format=", "main"));
        Assert.Equal("chore: update struct.json [skip ci]", Git(origin, "log", "-1", "--format=%s", "main").Trim());

        // The next push run (a fresh checkout of the updated branch) has nothing to commit.
        var again = await RunAsync(dir, server, tool, CloneAt(dir, origin, null), "push", "refs/heads/main", PushEvent(merged, committed));
        Assert.True(again.ExitCode == 0, again.Log);
        Assert.Equal("", again.Outputs["update"]["commit"]);
        Assert.Equal(committed, Git(origin, "rev-parse", "main").Trim());
        Assert.Single(server.Comments);
        foreach (var outcome in new[] { first, second, push, again })
        {
            Assert.DoesNotContain("ACTIONTESTTOKEN", outcome.Log + outcome.Summary, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Fail_on_new_errors_fails_the_pull_request_run_that_breaks_a_file()
    {
        using var dir = new TempDir();
        var origin = Path.Combine(dir.Root, "origin.git");
        Git(dir.Root, "init", "-q", "--bare", "-b", "main", origin);
        var seed = Path.Combine(dir.Root, "seed");
        Git(dir.Root, "clone", "-q", origin, seed);
        Write(seed, "llmstruct.toml", "[project]\nname = \"widgets\"\n");
        Write(seed, "lib.py", "def ok():\n    return 1\n");
        var baseCommit = Commit(seed, "base");
        Git(seed, "push", "-q", "origin", "main");
        Write(seed, "lib.py", "def ok(:\n    return 1\n");
        var head = Commit(seed, "break");
        Git(seed, "push", "-q", "origin", "HEAD:refs/heads/broken");
        using var server = new FakeGitHubServer("acme", "widgets", Token);
        var pull = server.Add("Break it", pullRequest: true);

        var outcome = await RunAsync(dir, server, ToolPath(dir.Root), CloneAt(dir, origin, head), "pull_request", "refs/pull/1/merge", PullRequestEvent(pull.Number, baseCommit, head, "opened"));

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal("Report the pull request's structural change", outcome.FailedStep);
        Assert.Contains("### New parse errors (1)", Assert.Single(server.Comments).Body, StringComparison.Ordinal);
        Assert.Contains("### New parse errors (1)", outcome.Summary, StringComparison.Ordinal);
    }

    private static async Task<ActionRunner.Outcome> RunAsync(TempDir dir, FakeGitHubServer server, string tool, string workspace, string eventName, string gitRef, JsonObject payload)
    {
        var eventPath = Path.Combine(dir.Root, $"event-{Guid.NewGuid():N}.json");
        File.WriteAllText(eventPath, payload.ToJsonString());
        var temp = Directory.CreateDirectory(Path.Combine(dir.Root, $"runner-temp-{Guid.NewGuid():N}")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(dir.Root, "home")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = home,
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["CI"] = "true",
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_EVENT_NAME"] = eventName,
            ["GITHUB_EVENT_PATH"] = eventPath,
            ["GITHUB_REF"] = gitRef,
            ["GITHUB_REPOSITORY"] = "acme/widgets",
            ["GITHUB_WORKSPACE"] = workspace,
            ["GITHUB_API_URL"] = server.ApiUrl,
            ["GITHUB_TOKEN"] = Token,
            ["RUNNER_TEMP"] = temp,
        };
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            environment["DOTNET_ROOT"] = root;
        }
        return await new ActionRunner(ActionPath).RunAsync(workspace, new Dictionary<string, string> { ["tool-path"] = tool }, environment);
    }

    // The tool under test: the installed command (LLMSTRUCT_CLI_BINARY) or the build beside these tests, behind a script.
    private static string ToolPath(string root)
    {
        if (CliRunner.Binary is { } binary && !binary.EndsWith(".dll", StringComparison.Ordinal))
        {
            return binary;
        }
        var dll = CliRunner.Binary ?? Path.Combine(AppContext.BaseDirectory, "llmstruct.dll");
        var script = Path.Combine(root, "llmstruct");
        File.WriteAllText(script, $"#!/usr/bin/env bash\nexec dotnet '{dll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return script;
    }

    // actions/checkout with fetch-depth: 0: a full clone; a pull request's head checked out detached, a push's branch checked out.
    private static string CloneAt(TempDir dir, string origin, string? commit)
    {
        var workspace = Path.Combine(dir.Root, $"workspace-{Guid.NewGuid():N}", "widgets");
        Git(dir.Root, "clone", "-q", origin, workspace);
        if (commit is not null)
        {
            Git(workspace, "checkout", "-q", "--detach", commit);
        }
        return workspace;
    }

    // The fields of GitHub's pull_request webhook payload the action reads, shaped as GitHub sends them.
    private static JsonObject PullRequestEvent(long number, string baseSha, string headSha, string action)
    {
        JsonObject Repo() => new() { ["id"] = 1296269, ["name"] = "widgets", ["full_name"] = "acme/widgets", ["default_branch"] = "main", ["private"] = false, ["owner"] = new JsonObject { ["login"] = "acme", ["type"] = "Organization" } };
        return new JsonObject
        {
            ["action"] = action,
            ["number"] = number,
            ["pull_request"] = new JsonObject
            {
                ["url"] = $"https://api.github.com/repos/acme/widgets/pulls/{number}",
                ["number"] = number,
                ["state"] = "open",
                ["title"] = "Scale areas",
                ["user"] = new JsonObject { ["login"] = "alice", ["type"] = "User" },
                ["head"] = new JsonObject { ["label"] = "acme:feature", ["ref"] = "feature", ["sha"] = headSha, ["repo"] = Repo() },
                ["base"] = new JsonObject { ["label"] = "acme:main", ["ref"] = "main", ["sha"] = baseSha, ["repo"] = Repo() },
                ["draft"] = false,
                ["merged"] = false,
            },
            ["repository"] = Repo(),
            ["sender"] = new JsonObject { ["login"] = "alice", ["type"] = "User" },
        };
    }

    // The fields of GitHub's push webhook payload the action reads.
    private static JsonObject PushEvent(string before, string after) => new()
    {
        ["ref"] = "refs/heads/main",
        ["before"] = before,
        ["after"] = after,
        ["created"] = false,
        ["deleted"] = false,
        ["forced"] = false,
        ["repository"] = new JsonObject { ["id"] = 1296269, ["name"] = "widgets", ["full_name"] = "acme/widgets", ["default_branch"] = "main", ["master_branch"] = "main" },
        ["pusher"] = new JsonObject { ["name"] = "alice", ["email"] = "alice@example.com" },
        ["sender"] = new JsonObject { ["login"] = "alice", ["type"] = "User" },
    };

    private static void Write(string root, string path, string content)
    {
        var full = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    private static string Commit(string repo, string message)
    {
        Git(repo, "add", "-A");
        Git(repo, "commit", "-q", "-m", message);
        return Git(repo, "rev-parse", "HEAD").Trim();
    }

    private static int _tick;

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var date = $"2026-01-01T00:{Interlocked.Increment(ref _tick) % 60:00}:00Z";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Test Author";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "author@example.com";
        start.Environment["GIT_AUTHOR_DATE"] = start.Environment["GIT_COMMITTER_DATE"] = date;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {stderr}");
        return stdout.Result;
    }
}
