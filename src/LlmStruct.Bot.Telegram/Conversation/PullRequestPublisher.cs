using LlmStruct.Llm.Work;
using LlmStruct.Tasks.Sync;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>
/// The <b>Open pull request</b> button: the diff applied in a temporary git worktree of the current commit (the
/// user's working tree is never touched), committed on a new branch <c>llmstruct/fix-KEY</c>, pushed to the configured
/// remote, then a pull request into the current branch through the tasks package's GitHub client.
/// </summary>
internal static class PullRequestPublisher
{
    public const string TokenVariable = "GITHUB_TOKEN";

    /// <summary>Opens the pull request; returns the reply. Throws <see cref="GitException"/>, <see cref="TrackerException"/> or a diff/work failure.</summary>
    public static async Task<string> OpenAsync(BotContext context, PendingDiff pending, string key, Func<CancellationToken, string, Task<LlmWorkSession>> session, CancellationToken ct)
    {
        var options = context.Options;
        var token = (context.Request.Environment ?? Environment.GetEnvironmentVariable)(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            return $"I cannot open a pull request: {TokenVariable} is not set where the bot runs. The diff still waits for Apply or Discard.";
        }
        var root = context.ProjectDirectory;
        var baseBranch = (await GitRunner.RunAsync(root, ct, "rev-parse", "--abbrev-ref", "HEAD").ConfigureAwait(false)).Trim();
        if (baseBranch is "HEAD" or "")
        {
            return "The project is on a detached HEAD: check out a branch for the pull request to go into.";
        }
        var branch = "llmstruct/fix-" + key;
        var worktree = Path.Combine(Path.GetTempPath(), $"llmstruct-pr-{key}-{Environment.ProcessId}");
        await GitRunner.RunAsync(root, ct, "worktree", "add", "--quiet", "-b", branch, worktree, "HEAD").ConfigureAwait(false);
        bool pushed = false;
        try
        {
            using (var work = await session(ct, worktree).ConfigureAwait(false))
            {
                await work.ApplyDiffAsync(pending.Diff, ct).ConfigureAwait(false);
            }
            await GitRunner.RunAsync(worktree, ct, "add", "-A").ConfigureAwait(false);
            await GitRunner.RunAsync(worktree, ct, "-c", "user.name=llmstruct bot", "-c", "user.email=llmstruct-bot@users.noreply.github.com",
                "commit", "--quiet", "--no-verify", "-m", Title(pending.Task), "-m", Body(pending)).ConfigureAwait(false);
            await GitRunner.RunAsync(worktree, ct, "push", "--quiet", options.GitRemote, $"{branch}:refs/heads/{branch}").ConfigureAwait(false);
            pushed = true;
        }
        finally
        {
            await Cleanup(root, worktree, pushed ? null : branch).ConfigureAwait(false);
        }
        using var github = new GitHubIssueTracker(options.GitHubRepository!, token,
            options.GitHubApiUrl is { Length: > 0 } api ? new Uri(api) : null);
        var pull = await github.CreatePullRequestAsync(Title(pending.Task), branch, baseBranch, Body(pending), ct).ConfigureAwait(false);
        return $"Opened pull request #{pull.Number} from {branch} into {baseBranch}: {pull.Url}";
    }

    private static async Task Cleanup(string root, string worktree, string? branch)
    {
        try
        {
            await GitRunner.RunAsync(root, CancellationToken.None, "worktree", "remove", "--force", worktree).ConfigureAwait(false);
            if (branch is not null)
            {
                await GitRunner.RunAsync(root, CancellationToken.None, "branch", "-D", branch).ConfigureAwait(false);
            }
        }
        catch (GitException)
        {
            // best effort: `git worktree prune` tidies what is left
        }
    }

    internal static string Title(string task)
    {
        var line = task.Split('\n', 2)[0].Trim();
        return "llmstruct: " + (line.Length > 60 ? line[..60].TrimEnd() + "…" : line);
    }

    private static string Body(PendingDiff pending) =>
        "Requested through the llmstruct Telegram bot:\n\n> " + pending.Task.Replace("\n", "\n> ", StringComparison.Ordinal)
        + "\n\nFiles:\n" + string.Join('\n', pending.Files.Select(f => "- " + f));
}
