using System.Text.Json.Nodes;
using LlmStruct.Bot.Telegram.Tests.Fakes;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Tasks.Tests.Sync;

namespace LlmStruct.Bot.Telegram.Tests;

/// <summary>
/// The <b>Open pull request</b> button: a branch with one commit of the diff pushed to a real bare git repository
/// (the remote), then <c>POST /repos/{owner}/{repo}/pulls</c> on the stateful fake GitHub of the tasks-sync tests.
/// </summary>
public sealed class PullRequestTests
{
    private const long Owner = BotScenario.Owner;

    [Fact]
    public async Task Open_pull_request_pushes_a_branch_with_the_change_and_opens_it_without_touching_the_working_tree()
    {
        var remote = Directory.CreateTempSubdirectory("llmstruct-remote-").FullName;
        using var github = new FakeGitHubServer("shop", "app", BotScenario.GitHubToken);
        try
        {
            BotScenario.Git(remote, "init", "-q", "--bare", "-b", "main");
            github.BranchExists = branch => BotScenario.GitSucceeds(remote, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch);
            await using var s = await BotScenario.StartAsync(
                $"github_repository = \"shop/app\"\ngithub_api_url = \"{github.ApiUrl}\"",
                beforeStart: scenario =>
                {
                    BotScenario.Git(scenario.Root, "remote", "add", "origin", remote);
                    BotScenario.Git(scenario.Root, "push", "-q", "origin", "main");
                    return Task.CompletedTask;
                });
            var before = s.Files();
            s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok(BotScenario.Diff));
            s.Telegram.Push(Updates.Text(Owner, "/fix reject negative prices in total"));
            Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty), s.Log);
            var document = Assert.Single(s.Telegram.Documents);
            var buttons = JsonNode.Parse(document.ReplyMarkup!)!["inline_keyboard"]![0]!.AsArray();
            Assert.Equal(["Apply", "Open pull request", "Discard"], buttons.Select(b => b!["text"]!.GetValue<string>()));

            s.Telegram.Push(Updates.Press(Owner, Owner, document.MessageId, buttons[1]!["callback_data"]!.GetValue<string>()));

            var reply = await s.Telegram.WaitForTextAsync(Owner, "Opened pull request #1");
            Assert.Contains("https://github.com/shop/app/pull/1", reply, StringComparison.Ordinal);
            var pull = Assert.Single(github.Pulls);
            Assert.StartsWith("llmstruct/fix-", pull.Head, StringComparison.Ordinal);
            Assert.Equal("main", pull.Base);
            Assert.Equal("llmstruct: reject negative prices in total", pull.Title);
            // The branch on the remote holds the change, one commit on top of main.
            var changed = BotScenario.Git(remote, "show", $"{pull.Head}:app/pricing.py");
            Assert.Contains("raise ValueError(\"negative price\")", changed, StringComparison.Ordinal);
            Assert.Equal("1", BotScenario.Git(remote, "rev-list", "--count", $"main..{pull.Head}").Trim());
            // The user's working tree and branch are as they were; no worktree is left behind.
            Assert.Equal(before, s.Files());
            Assert.Equal("main", BotScenario.Git(s.Root, "rev-parse", "--abbrev-ref", "HEAD").Trim());
            Assert.Single(BotScenario.Git(s.Root, "worktree", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.DoesNotContain(BotScenario.GitHubToken, string.Join('\n', s.Logs), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(remote, recursive: true);
        }
    }

    [Fact]
    public async Task A_refused_push_is_reported_and_the_diff_still_waits()
    {
        using var github = new FakeGitHubServer("shop", "app", BotScenario.GitHubToken);
        await using var s = await BotScenario.StartAsync(
            $"github_repository = \"shop/app\"\ngithub_api_url = \"{github.ApiUrl}\"\ngit_remote = \"nowhere\"");
        s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok(BotScenario.Diff));
        s.Telegram.Push(Updates.Text(Owner, "/fix reject negative prices"));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty), s.Log);
        var document = Assert.Single(s.Telegram.Documents);
        var buttons = JsonNode.Parse(document.ReplyMarkup!)!["inline_keyboard"]![0]!.AsArray();

        s.Telegram.Push(Updates.Press(Owner, Owner, document.MessageId, buttons[1]!["callback_data"]!.GetValue<string>()));
        var reply = await s.Telegram.WaitForTextAsync(Owner, "I could not open the pull request");
        Assert.Contains("git push failed", reply, StringComparison.Ordinal);
        Assert.Empty(github.Pulls);
        Assert.Empty(BotScenario.Git(s.Root, "branch", "--list", "llmstruct/*"));

        // Apply still works afterwards.
        s.Telegram.Push(Updates.Press(Owner, Owner, document.MessageId, buttons[0]!["callback_data"]!.GetValue<string>()));
        await s.Telegram.WaitForTextAsync(Owner, "Applied:");
    }
}
