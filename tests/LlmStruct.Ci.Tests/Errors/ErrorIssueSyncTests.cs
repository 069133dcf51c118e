using LlmStruct.Ci.Errors;
using LlmStruct.Model;
using LlmStruct.Tasks.Sync;
using LlmStruct.Tasks.Tests.Sync;

namespace LlmStruct.Ci.Tests.Errors;

public sealed class ErrorIssueSyncTests
{
    private const string Token = "ghp_CITESTTOKEN0123456789SECRET";

    private static ParseError Error(string file, int line, string reason) => new() { File = file, Line = line, Column = 1, Reason = reason };

    public static TheoryData<string> Trackers() => new("github", "gitlab");

    private static (IDisposable Server, IIssueTracker Client, Func<IReadOnlyList<(long Number, string Body, bool Open)>> Issues) Start(string kind)
    {
        if (kind == "github")
        {
            var github = new FakeGitHubServer("acme", "widgets", Token);
            var client = new GitHubIssueTracker("acme/widgets", Token, new Uri(github.ApiUrl), null, null);
            return (github, client, () => [.. github.Issues.Select(i => (i.Number, i.Body, !i.Closed))]);
        }
        var gitlab = new FakeGitLabServer("acme/widgets", Token);
        return (gitlab, new GitLabIssueTracker("acme/widgets", Token, new Uri(gitlab.ApiUrl), null, null),
            () => [.. gitlab.Issues.Select(i => (i.Iid, i.Description, !i.Closed))]);
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task One_issue_per_file_updated_when_errors_change_and_closed_when_the_file_parses(string kind)
    {
        var (server, client, issues) = Start(kind);
        using var _ = server;
        using var __ = client as IDisposable;
        var sync = new ErrorIssueSync();

        var first = await sync.SyncAsync(client, [Error("a.py", 3, "invalid syntax"), Error("b.py", 1, "unexpected indent")]);
        var again = await sync.SyncAsync(client, [Error("a.py", 3, "invalid syntax"), Error("b.py", 1, "unexpected indent")]);
        var changed = await sync.SyncAsync(client, [Error("a.py", 4, "invalid syntax"), Error("a.py", 9, "unclosed '('")]);
        var back = await sync.SyncAsync(client, [Error("b.py", 2, "unexpected indent")]);

        Assert.Equal(["a.py", "b.py"], first.Created.ToArray());
        Assert.Equal(["a.py", "b.py"], again.Unchanged.ToArray());
        Assert.Empty(again.Created);
        Assert.Equal(["a.py"], changed.Updated.ToArray());
        Assert.Equal(["b.py"], changed.Closed.ToArray());
        Assert.Equal(["b.py"], back.Updated.ToArray());
        Assert.Equal(["a.py"], back.Closed.ToArray());
        var all = issues();
        Assert.Equal(2, all.Count);
        Assert.Equal(ErrorIssueSync.Body("a.py", [Error("a.py", 4, "invalid syntax"), Error("a.py", 9, "unclosed '('")]), all[0].Body);
        Assert.False(all[0].Open);
        Assert.True(all[1].Open);
        Assert.Contains("- line 2, column 1: unexpected indent\n", all[1].Body, StringComparison.Ordinal);
        Assert.Contains("<!-- llmstruct:parse-errors file=b.py -->", all[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_merge_request_keeps_one_note_that_later_runs_edit()
    {
        using var server = new FakeGitLabServer("acme/widgets", Token);
        server.AddMergeRequest(7);
        using var client = new GitLabIssueTracker("acme/widgets", Token, new Uri(server.ApiUrl), null, null);

        await client.UpsertMergeRequestNoteAsync(7, "<!-- llmstruct:ci-report -->", "first report");
        await client.UpsertMergeRequestNoteAsync(7, "<!-- llmstruct:ci-report -->", "second report");

        var note = Assert.Single(server.MergeRequestNotes);
        Assert.Equal("second report\n\n<!-- llmstruct:ci-report -->", note.Body);
        Assert.Empty(server.Notes);
    }
}
