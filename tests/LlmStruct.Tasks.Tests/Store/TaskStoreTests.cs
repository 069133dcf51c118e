using LlmStruct.Tasks.Store;
using Microsoft.Data.Sqlite;

namespace LlmStruct.Tasks.Tests.Store;

public sealed class TaskStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmstruct-tasks-").FullName;

    private string Db => Path.Combine(_dir, ".llmstruct", "llmstruct.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ProjectTask Task(string id, string title = "Title") => new() { Id = id, Title = title };

    [Fact]
    public async Task A_fresh_store_has_the_shipped_schema_version()
    {
        await using (await TaskStore.OpenAsync(Db)) { }
        using var c = new SqliteConnection($"Data Source={Db};Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)TaskStore.SchemaVersion, (long)cmd.ExecuteScalar()!);
        Assert.Contains($"PRAGMA user_version = {TaskStore.SchemaVersion};", TaskStore.Resource("schema.sql"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_writes_tasks_and_one_event_per_changed_field_with_its_source()
    {
        await using var store = await TaskStore.OpenAsync(Db);
        var first = Task("TSK-002") with { Labels = ["b", "a"], Assignees = ["@kim"], GitHub = new GitHubIssueRef { Number = 7 } };
        var created = await store.ApplyAsync([first, Task("TSK-001")], TaskEventSource.Toml);
        Assert.Contains(created, e => e is { TaskId: "TSK-002", Field: "created", Source: TaskEventSource.Toml });
        Assert.True((await store.GetAsync("TSK-002"))!.ContentEquals(first));
        Assert.Equal(["TSK-001", "TSK-002"], (await store.GetAllAsync()).Select(t => t.Id));

        Assert.Empty(await store.ApplyAsync([first], TaskEventSource.Toml));
        var changed = await store.UpsertAsync(first with { Status = ProjectTaskStatus.Done }, TaskEventSource.Cli);
        var e = Assert.Single(changed);
        Assert.Equal(("status", "open", "done", TaskEventSource.Cli), (e.Field, e.OldValue, e.NewValue, e.Source));

        var removed = await store.ApplyAsync([first], TaskEventSource.Toml, removeMissing: true);
        Assert.Contains(removed, x => x is { TaskId: "TSK-001", Field: "deleted" });
        Assert.Null(await store.GetAsync("TSK-001"));
        var history = await store.GetEventsAsync("TSK-002");
        Assert.Equal(history.Select(h => h.Sequence).Order(), history.Select(h => h.Sequence));
    }

    [Fact]
    public async Task The_history_is_append_only()
    {
        await using (var store = await TaskStore.OpenAsync(Db))
        {
            await store.AppendEventAsync("TSK-001", "comment", null, "hello", TaskEventSource.GitHub);
            Assert.Equal(TaskEventSource.GitHub, Assert.Single(await store.GetEventsAsync()).Source);
        }
        using var c = new SqliteConnection($"Data Source={Db};Pooling=false");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM task_events;";
        var ex = Assert.Throws<SqliteException>(() => cmd.ExecuteNonQuery());
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_state_is_kept_per_task_and_tracker()
    {
        await using var store = await TaskStore.OpenAsync(Db);
        var t = Task("TSK-001");
        await store.UpsertAsync(t, TaskEventSource.Toml);
        var hash = TaskContentHash.Compute(t);
        await store.SetSyncStateAsync(new TaskSyncState { TaskId = "TSK-001", Tracker = TaskTracker.GitHub, Remote = "o/r", RemoteId = 12, LastSyncedHash = hash });
        await store.SetSyncStateAsync(new TaskSyncState { TaskId = "TSK-001", Tracker = TaskTracker.GitLab, Remote = "g/p", RemoteId = 3 });
        var gh = await store.GetSyncStateAsync("TSK-001", TaskTracker.GitHub);
        Assert.Equal((12L, hash, "o/r"), (gh!.RemoteId, gh.LastSyncedHash, gh.Remote));
        Assert.Single(await store.GetSyncStatesAsync(TaskTracker.GitLab));
        Assert.True(await store.RemoveSyncStateAsync("TSK-001", TaskTracker.GitLab));
        Assert.Empty(await store.GetSyncStatesAsync(TaskTracker.GitLab));
    }

    [Fact]
    public async Task A_damaged_file_is_reported_as_damaged()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Db)!);
        await File.WriteAllTextAsync(Db, "this is not a database, just text that is long enough to be read as a header........");
        var ex = await Assert.ThrowsAsync<TaskStoreException>(() => TaskStore.OpenAsync(Db));
        Assert.True(ex.Damaged);
    }

    [Fact]
    public void The_content_hash_changes_with_every_field_and_only_then()
    {
        var t = Task("TSK-001");
        Assert.Equal(TaskContentHash.Compute(t), TaskContentHash.Compute(t with { }));
        Assert.NotEqual(TaskContentHash.Compute(t), TaskContentHash.Compute(t with { Labels = ["x"] }));
        Assert.NotEqual(TaskContentHash.Compute(t with { Labels = ["x"] }), TaskContentHash.Compute(t with { Files = ["x"] }));
        Assert.NotEqual(TaskContentHash.Compute(t), TaskContentHash.Compute(t with { GitLab = new GitLabIssueRef { Iid = 1 } }));
    }
}
