using System.Net;
using LlmStruct.Tasks.Store;
using LlmStruct.Tasks.Sync;
using Microsoft.Extensions.DependencyInjection;
using Octokit;
using Octokit.Internal;

namespace LlmStruct.Tasks.Tests.Sync;

/// <summary>
/// The shipped GitHub client (own REST client, source-generated JSON, so it runs in the Native AOT tool) against the
/// fake GitHub server, cross-checked with Octokit, GitHub's own .NET client library: what one writes the other reads
/// the same, so the fake answers as GitHub does and our client speaks GitHub's API as its documented clients do.
/// </summary>
public sealed class GitHubClientTests
{
    private static GitHubClient Octokit(FakeTrackerServer server) => new(new Connection(
        new ProductHeaderValue("llmstruct-tests"), new Uri(server.ApiUrl), new InMemoryCredentialStore(new Credentials(TrackerHarness.GitHubToken)),
        new HttpClientAdapter(() => new HttpClientHandler()), new SimpleJsonSerializer()));

    [Fact]
    public async Task What_our_client_writes_Octokit_reads_the_same()
    {
        using var harness = TrackerHarness.Start(TaskTracker.GitHub);
        using var client = (GitHubIssueTracker)harness.Client();
        var created = await client.CreateIssueAsync(new IssueDraft { Title = "Make it fast", Body = "Details\n\n- one", Labels = ["perf", "cli"], Assignees = ["alice", "bob"], IsOpen = false });
        await client.UpsertCommentAsync(created.Number, "llmstruct:test", "first words");

        var octokit = Octokit(harness.Server);
        var issue = await octokit.Issue.Get("acme", "widgets", (int)created.Number);
        Assert.Equal("Make it fast", issue.Title);
        Assert.Equal("Details\n\n- one", issue.Body);
        Assert.Equal(ItemState.Closed, issue.State.Value);
        Assert.Equal(["cli", "perf"], issue.Labels.Select(l => l.Name).Order());
        Assert.Equal(["alice", "bob"], issue.Assignees.Select(a => a.Login).Order());
        Assert.Equal(created.Url, issue.HtmlUrl);
        var comment = Assert.Single(await octokit.Issue.Comment.GetAllForIssue("acme", "widgets", (int)created.Number));
        Assert.Equal(CommentMarker.Compose("llmstruct:test", "first words"), comment.Body);
        Assert.False(created.IsOpen);
    }

    [Fact]
    public async Task What_Octokit_writes_our_client_reads_the_same_past_100_issues_and_comments_and_without_pull_requests()
    {
        using var harness = TrackerHarness.Start(TaskTracker.GitHub);
        var server = (FakeGitHubServer)harness.Server;
        for (int i = 0; i < 120; i++)
        {
            server.Add($"issue {i}", pullRequest: i % 40 == 7);
        }
        var octokit = Octokit(harness.Server);
        var update = new IssueUpdate { Title = "Renamed", State = ItemState.Closed };
        update.AddLabel("bug");
        update.AddAssignee("alice");
        await octokit.Issue.Update("acme", "widgets", 2, update);
        for (int i = 0; i < 105; i++)
        {
            await octokit.Issue.Comment.Create("acme", "widgets", 2, $"comment {i}");
        }
        var all = await octokit.Issue.GetAllForRepository("acme", "widgets", new RepositoryIssueRequest { State = ItemStateFilter.All }, new ApiOptions { PageSize = 100 });

        using var client = (GitHubIssueTracker)harness.Client();
        var ours = await client.ListIssuesAsync();
        var comments = await client.ListCommentsAsync(2);

        Assert.Equal(all.Where(i => i.PullRequest is null).Select(i => (long)i.Number).Order(), ours.Select(i => i.Number));
        Assert.Equal(117, ours.Count);
        var renamed = ours.Single(i => i.Number == 2);
        Assert.Equal(("Renamed", false, "bug", "alice"), (renamed.Title, renamed.IsOpen, renamed.Labels.Single(), renamed.Assignees.Single()));
        Assert.Equal(Enumerable.Range(0, 105).Select(i => $"comment {i}"), comments.Select(c => c.Body));
        Assert.Contains(harness.Server.Requests, r => r.Contains("/issues/2/comments?", StringComparison.Ordinal) && r.Contains("page=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_issue_is_null_and_a_bad_token_names_the_variable_never_the_token()
    {
        using var harness = TrackerHarness.Start(TaskTracker.GitHub);
        using var client = (GitHubIssueTracker)harness.Client();
        Assert.Null(await client.GetIssueAsync(99));

        using var wrong = (GitHubIssueTracker)harness.Client(token: "ghp_WRONGTOKEN_not_the_real_one_123");
        var error = await Assert.ThrowsAsync<TrackerException>(() => wrong.ListIssuesAsync());
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("GITHUB_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("WRONGTOKEN", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<https://api.github.com/repos/a/b/issues?page=2>; rel=\"next\", <https://api.github.com/repos/a/b/issues?page=5>; rel=\"last\"", "https://api.github.com/repos/a/b/issues?page=2")]
    [InlineData("<https://api.github.com/repos/a/b/issues?page=1>; rel=\"prev\", <https://api.github.com/repos/a/b/issues?page=1>; rel=\"first\"", null)]
    [InlineData("<https://api.github.com/x?page=3>; rel=\"last\", <https://api.github.com/x?page=2>;rel=next", "https://api.github.com/x?page=2")]
    [InlineData(null, null)]
    public void The_next_page_comes_from_the_Link_header(string? link, string? expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        if (link is not null)
        {
            response.Headers.TryAddWithoutValidation("Link", link);
        }
        Assert.Equal(expected, GitHubIssueTracker.NextPage(response, new Uri("https://api.github.com/")));
    }

    [Fact]
    public void A_next_page_on_another_origin_is_refused_so_the_token_never_leaves_the_API()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Link", "<https://evil.example/steal?page=2>; rel=\"next\"");
        var error = Assert.Throws<TrackerException>(() => GitHubIssueTracker.NextPage(response, new Uri("https://api.github.com/")));
        Assert.Contains("origin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_resolves_the_sync_service_from_AddTasks_and_syncs_with_GitHub()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddTasks();
        await using var provider = services.BuildServiceProvider();
        var sync = provider.GetRequiredService<TaskSyncService>();
        var dir = Path.Combine(Path.GetTempPath(), "llmstruct-ghclient-tests", Guid.NewGuid().ToString("N"));
        try
        {
            await using var store = await TaskStore.OpenAsync(Path.Combine(dir, "tasks.db"));
            await store.ApplyAsync([new ProjectTask { Id = "TSK-001", Title = "From the host" }], TaskEventSource.Toml);
            using var harness = TrackerHarness.Start(TaskTracker.GitHub);
            using var client = (GitHubIssueTracker)harness.Client();

            var report = await sync.SyncAsync(store, client, dryRun: false);

            var action = Assert.Single(report.Actions);
            Assert.Equal(TaskSyncActionKind.Create, action.Kind);
            Assert.Equal("From the host", Assert.Single(harness.Issues).Title);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
