using System.Text;
using LlmStruct.Tasks.Store;
using LlmStruct.Tasks.Sync;

namespace LlmStruct.Tasks.Tests.Sync;

/// <summary>
/// Task sync against real HTTP servers on 127.0.0.1 that keep state like GitHub's and GitLab's issue APIs, with the
/// real clients (our GitHub and GitLab REST clients, the ones the tool ships) pointed at them; GitHubClientTests checks
/// the fake GitHub server against Octokit, GitHub's own .NET client library.
/// </summary>
public sealed class TaskSyncTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmstruct-sync-tests", Guid.NewGuid().ToString("N"));
    private readonly ListLogger _log = new();

    public TaskSyncTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static TheoryData<TaskTracker> Trackers => new() { TaskTracker.GitHub, TaskTracker.GitLab };

    private string DbPath => Path.Combine(_dir, ".llmstruct", "llmstruct.db");

    private static ProjectTask Task(int n, ProjectTaskStatus status = ProjectTaskStatus.Open, string[]? labels = null, string[]? assignees = null) => new()
    {
        Id = $"TSK-{n:000}",
        Title = $"Task number {n}",
        Description = n % 2 == 0 ? $"Details of task {n}.\n\n- a list item" : null,
        Status = status,
        Labels = [.. labels ?? []],
        Assignees = [.. assignees ?? []],
        Files = ["src/a.py"],
    };

    private static ProjectTask[] SampleTasks() =>
    [
        Task(1, labels: ["bug", "sync"], assignees: ["@alice"]),
        Task(2, ProjectTaskStatus.InProgress, labels: ["feature"]),
        Task(3, ProjectTaskStatus.Done, assignees: ["@bob", "@alice"]),
        Task(4, ProjectTaskStatus.Blocked),
    ];

    private async Task<TaskStore> StoreWithAsync(params ProjectTask[] tasks)
    {
        var store = await TaskStore.OpenAsync(DbPath);
        await store.ApplyAsync(tasks, TaskEventSource.Toml);
        return store;
    }

    private Task<TaskSyncReport> SyncAsync(TaskStore store, TrackerHarness harness, bool dryRun = false, CancellationToken cancellationToken = default) =>
        new TaskSyncService(_log).SyncAsync(store, harness.Client(_log), dryRun, cancellationToken);

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task First_sync_creates_one_issue_per_task_past_100_issues_and_the_second_makes_zero_writes(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        for (int i = 0; i < 150; i++)
        {
            harness.AddForeignIssue($"someone else's issue {i}", "no marker here");
        }
        await using var store = await StoreWithAsync(SampleTasks());

        var first = await SyncAsync(store, harness);

        Assert.All(first.Actions, a => Assert.Equal(TaskSyncActionKind.Create, a.Kind));
        var ours = harness.Issues.Where(i => TaskMarker.Find(i.Body) is not null).ToList();
        Assert.Equal(4, ours.Count);
        var done = ours.Single(i => TaskMarker.Find(i.Body) == "TSK-003");
        Assert.False(done.Open);
        Assert.Equal(["alice", "bob"], done.Assignees.Order());
        var two = ours.Single(i => TaskMarker.Find(i.Body) == "TSK-002");
        Assert.True(two.Open);
        Assert.Equal(["feature"], two.Labels);
        Assert.StartsWith("Details of task 2.", two.Body, StringComparison.Ordinal);
        Assert.EndsWith("<!-- llmstruct:task TSK-002 -->", two.Body, StringComparison.Ordinal);

        // The numbers are recorded in the tasks and the sync state.
        var stored = await store.GetAsync("TSK-002");
        var number = kind == TaskTracker.GitHub ? stored!.GitHub!.Number : stored!.GitLab!.Iid;
        Assert.Equal(two.Number, number);
        Assert.Equal(two.Number, (await store.GetSyncStateAsync("TSK-002", kind))!.RemoteId);
        Assert.Equal(4, first.ChangedTasks.Length);
        // The listing read more than one page (150 foreign issues + ours).
        Assert.True(harness.Server.Requests.Count(r => r.StartsWith("GET", StringComparison.Ordinal) && r.Contains("/issues?", StringComparison.Ordinal) && r.Contains("page=2", StringComparison.Ordinal)) >= 1);

        int writes = harness.Server.Writes;
        var eventsBefore = (await store.GetEventsAsync()).Count;
        var second = await SyncAsync(store, harness);

        Assert.Equal(writes, harness.Server.Writes);
        Assert.Equal(0, second.TrackerWrites);
        Assert.All(second.Actions, a => Assert.Equal(TaskSyncActionKind.Unchanged, a.Kind));
        Assert.Empty(second.ChangedTasks);
        Assert.Equal(eventsBefore, (await store.GetEventsAsync()).Count);
        Assert.Equal(154, harness.Issues.Count);
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task A_sync_killed_halfway_and_run_again_makes_no_duplicate(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        var tasks = Enumerable.Range(1, 6).Select(n => Task(n, labels: ["x"])).ToArray();
        await using var store = await StoreWithAsync(tasks);
        using var cts = new CancellationTokenSource();
        harness.Server.AfterWrite = count =>
        {
            if (count == 3)
            {
                cts.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SyncAsync(store, harness, cancellationToken: cts.Token));
        Assert.InRange(harness.Issues.Count, 3, 4);
        harness.Server.AfterWrite = null;

        var again = await SyncAsync(store, harness);

        var markers = harness.Issues.Select(i => TaskMarker.Find(i.Body)).ToList();
        Assert.Equal(6, markers.Count);
        Assert.Equal(tasks.Select(t => t.Id), markers.Order(StringComparer.Ordinal));
        Assert.Equal(6, (await store.GetSyncStatesAsync(kind)).Count);
        Assert.Equal(0, (await SyncAsync(store, harness)).TrackerWrites);
        Assert.Empty(again.Warnings);
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task A_deleted_database_relinks_to_the_existing_issues_by_marker(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        var tasks = SampleTasks();
        await using (var store = await StoreWithAsync(tasks))
        {
            await SyncAsync(store, harness);
        }
        var issuesBefore = harness.Issues;
        int writes = harness.Server.Writes;
        File.Delete(DbPath);

        // The tasks as llmstruct.toml would give them back, here even without their issue references.
        await using var fresh = await StoreWithAsync(tasks);
        var report = await SyncAsync(fresh, harness);

        Assert.Equal(writes, harness.Server.Writes);
        Assert.Equal(issuesBefore.Count, harness.Issues.Count);
        Assert.All(report.Actions, a => Assert.Equal(TaskSyncActionKind.Link, a.Kind));
        foreach (var issue in issuesBefore)
        {
            var id = TaskMarker.Find(issue.Body)!;
            Assert.Equal(issue.Number, (await fresh.GetSyncStateAsync(id, kind))!.RemoteId);
        }
        Assert.Equal(0, (await SyncAsync(fresh, harness)).TrackerWrites);
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task Tracker_changes_come_back_and_conflicts_follow_the_documented_rule(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        await using var store = await StoreWithAsync(Task(1), Task(2), Task(3, ProjectTaskStatus.Done));
        await SyncAsync(store, harness);
        long Number(string id) => harness.Issues.Single(i => TaskMarker.Find(i.Body) == id).Number;

        // Tracker only: closed -> done, reopened -> open, a relabel comes back.
        harness.Edit(Number("TSK-001"), open: false);
        harness.Edit(Number("TSK-003"), open: true, labels: ["regression"]);
        // Both sides: the task's title wins, the tracker's state wins.
        harness.Edit(Number("TSK-002"), open: false, title: "Renamed on the tracker");
        var two = (await store.GetAsync("TSK-002"))! with { Title = "Renamed locally" };
        await store.UpsertAsync(two, TaskEventSource.Cli);

        int writes = harness.Server.Writes;
        var report = await SyncAsync(store, harness);

        Assert.Equal(ProjectTaskStatus.Done, (await store.GetAsync("TSK-001"))!.Status);
        var three = (await store.GetAsync("TSK-003"))!;
        Assert.Equal(ProjectTaskStatus.Open, three.Status);
        Assert.Equal(["regression"], three.Labels.ToArray());
        var merged = (await store.GetAsync("TSK-002"))!;
        Assert.Equal("Renamed locally", merged.Title);
        Assert.Equal(ProjectTaskStatus.Done, merged.Status);
        var issueTwo = harness.Issues.Single(i => i.Number == Number("TSK-002"));
        Assert.Equal("Renamed locally", issueTwo.Title);
        Assert.False(issueTwo.Open);
        Assert.Equal(writes + 1, harness.Server.Writes);
        Assert.Equal(TaskSyncActionKind.Pull, report.Actions.Single(a => a.TaskId == "TSK-001").Kind);
        Assert.Equal(TaskSyncActionKind.Merge, report.Actions.Single(a => a.TaskId == "TSK-002").Kind);
        var source = kind == TaskTracker.GitHub ? TaskEventSource.GitHub : TaskEventSource.GitLab;
        Assert.Contains(await store.GetEventsAsync("TSK-001"), e => e.Field == "status" && e.OldValue == "open" && e.NewValue == "done" && e.Source == source);

        // A local close goes out; then both agree.
        await store.UpsertAsync((await store.GetAsync("TSK-003"))! with { Status = ProjectTaskStatus.Cancelled }, TaskEventSource.Cli);
        var push = await SyncAsync(store, harness);
        Assert.Equal(TaskSyncActionKind.Push, push.Actions.Single(a => a.TaskId == "TSK-003").Kind);
        Assert.False(harness.Issues.Single(i => i.Number == Number("TSK-003")).Open);
        Assert.Equal(ProjectTaskStatus.Cancelled, (await store.GetAsync("TSK-003"))!.Status);
        Assert.Equal(0, (await SyncAsync(store, harness)).TrackerWrites);
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task Rate_limits_and_server_errors_are_waited_out_without_duplicates(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        await using var store = await StoreWithAsync(Task(1), Task(2));
        // A 429 with Retry-After on the listing, then an exhausted rate limit with its reset time.
        harness.Server.FailNext("GET", 429, false, ("Retry-After", "7"));
        var reset = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        harness.Server.FailNext("GET", 403, false, ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", reset));
        // A 502 after the issue was created: the sync must find it, not open a second one.
        harness.Server.FailNext("POST", 502, true);

        var first = await SyncAsync(store, harness);

        Assert.Equal(0, harness.Server.PendingFaults);
        Assert.Equal(2, harness.Issues.Count);
        Assert.Contains(TimeSpan.FromSeconds(7), harness.Waits);
        Assert.Contains(harness.Waits, w => w > TimeSpan.FromSeconds(20) && w <= TimeSpan.FromSeconds(32));
        Assert.Contains(first.Warnings, w => w.Contains("502", StringComparison.Ordinal));

        // A 502 on an edit is retried with back-off.
        await store.UpsertAsync((await store.GetAsync("TSK-001"))! with { Title = "Edited" }, TaskEventSource.Cli);
        harness.Server.FailNext(kind == TaskTracker.GitHub ? "PATCH" : "PUT", 502);
        await SyncAsync(store, harness);
        Assert.Equal(0, harness.Server.PendingFaults);
        Assert.Contains(harness.Issues, i => i.Title == "Edited");
        Assert.Equal(2, harness.Issues.Count);
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task Dry_run_prints_the_plan_and_writes_nothing(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        await using var store = await StoreWithAsync(SampleTasks());
        await SyncAsync(store, harness);
        await store.UpsertAsync((await store.GetAsync("TSK-001"))! with { Title = "Changed" }, TaskEventSource.Cli);
        await store.UpsertAsync(Task(9), TaskEventSource.Cli);
        harness.Edit(harness.Issues.Single(i => TaskMarker.Find(i.Body) == "TSK-002").Number, open: false);
        var dbBefore = await File.ReadAllBytesAsync(DbPath);
        int writes = harness.Server.Writes;

        var plan = await SyncAsync(store, harness, dryRun: true);

        Assert.Equal(writes, harness.Server.Writes);
        Assert.Equal(dbBefore, await File.ReadAllBytesAsync(DbPath));
        Assert.True(plan.DryRun);
        Assert.Equal(TaskSyncActionKind.Push, plan.Actions.Single(a => a.TaskId == "TSK-001").Kind);
        Assert.Equal(TaskSyncActionKind.Pull, plan.Actions.Single(a => a.TaskId == "TSK-002").Kind);
        Assert.Contains("task status in_progress → done", plan.Actions.Single(a => a.TaskId == "TSK-002").Changes);
        Assert.Equal(TaskSyncActionKind.Create, plan.Actions.Single(a => a.TaskId == "TSK-009").Kind);
        Assert.Equal(TaskSyncActionKind.Unchanged, plan.Actions.Single(a => a.TaskId == "TSK-004").Kind);
        Assert.Empty(plan.ChangedTasks);
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task The_token_never_reaches_logs_output_or_the_database(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        await using (var store = await StoreWithAsync(SampleTasks()))
        {
            harness.Server.FailNext("GET", 429, false, ("Retry-After", "1"));
            var report = await SyncAsync(store, harness);
            var text = new StringBuilder();
            foreach (var action in report.Actions)
            {
                text.AppendLine(action.Describe("t"));
            }
            text.AppendJoin('\n', report.Warnings);
            Assert.DoesNotContain(harness.Token, text.ToString(), StringComparison.Ordinal);

            // A bad token fails with a clear message that does not echo it.
            var wrong = "WRONG-" + harness.Token;
            var ex = await Assert.ThrowsAsync<TrackerException>(() => new TaskSyncService(_log).SyncAsync(store, harness.Client(_log, wrong)));
            Assert.Equal(401, ex.StatusCode);
            Assert.DoesNotContain("TESTTOKEN", ex.ToString(), StringComparison.Ordinal);
        }
        Assert.NotEmpty(_log.Lines);
        Assert.DoesNotContain(_log.Lines, l => l.Contains("TESTTOKEN", StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("TESTTOKEN", Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Trackers))]
    public async Task One_comment_per_marker_is_created_then_edited_in_place(TaskTracker kind)
    {
        using var harness = TrackerHarness.Start(kind);
        harness.AddForeignIssue("CI report target");
        var client = harness.Client(_log);

        var first = await client.UpsertCommentAsync(1, "<!-- llmstruct:ci -->", "3 findings");
        int writes = harness.Server.Writes;
        var same = await client.UpsertCommentAsync(1, "<!-- llmstruct:ci -->", "3 findings");
        var edited = await client.UpsertCommentAsync(1, "<!-- llmstruct:ci -->", "no findings");

        Assert.Equal(first.Id, same.Id);
        Assert.Equal(first.Id, edited.Id);
        Assert.Equal(writes + 1, harness.Server.Writes);
        var comments = await client.ListCommentsAsync(1);
        var only = Assert.Single(comments);
        Assert.Equal("no findings\n\n<!-- llmstruct:ci -->", only.Body);
    }

    [Fact]
    public async Task GitHub_pull_requests_are_not_taken_for_issues_and_dropped_assignees_are_followed()
    {
        using var harness = TrackerHarness.Start(TaskTracker.GitHub);
        ((FakeGitHubServer)harness.Server).Add("A pull request", TaskMarker.For("TSK-001"), pullRequest: true);
        await using var store = await StoreWithAsync(Task(1, assignees: ["@alice", "@mallory"]));

        var report = await SyncAsync(store, harness);

        Assert.Equal(TaskSyncActionKind.Create, Assert.Single(report.Actions).Kind);
        Assert.Single(harness.Issues);
        // GitHub keeps only assignable users; the task follows, so the next sync has nothing to push.
        Assert.Equal(["@alice"], (await store.GetAsync("TSK-001"))!.Assignees.ToArray());
        Assert.Contains(report.Warnings, w => w.Contains("assignees", StringComparison.Ordinal));
        Assert.Equal(0, (await SyncAsync(store, harness)).TrackerWrites);
    }

    [Fact]
    public void A_sync_request_prints_without_its_token()
    {
        var request = new TaskSyncRequest { Tracker = TaskTracker.GitHub, Remote = "a/b", Token = TrackerHarness.GitHubToken };
        Assert.DoesNotContain("TESTTOKEN", request.ToString(), StringComparison.Ordinal);
        Assert.Contains("Token = (set)", request.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_marker_is_found_and_stripped()
    {
        var body = TaskMarker.Body("TSK-011", "Text\r\n\r\n");
        Assert.Equal("Text\n\n<!-- llmstruct:task TSK-011 -->", body);
        Assert.Equal("TSK-011", TaskMarker.Find("x <!--llmstruct:task TSK-011--> y"));
        Assert.Null(TaskMarker.Find("<!-- llmstruct:ci -->"));
        Assert.Equal("Text", TaskMarker.Description(body));
        Assert.Null(TaskMarker.Description(TaskMarker.For("TSK-1")));
    }
}
