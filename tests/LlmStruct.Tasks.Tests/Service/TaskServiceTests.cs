using LlmStruct.Configuration;
using LlmStruct.Tasks.Service;
using LlmStruct.Tasks.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace LlmStruct.Tasks.Tests.Service;

public sealed class TaskServiceTests : IDisposable
{
    private const string Toml = """
        [project]
        name = "demo"

        # what we do next
        [[tasks]]
        id = "TSK-001"   # keep me
        title = "First"
        labels = ["x"]

        [[tasks]]
        id = "TSK-002"
        title = "Second"
        """;

    private readonly TempProject _project = new();

    public TaskServiceTests() => _project.Write("llmstruct.toml", Toml);

    public void Dispose() => _project.Dispose();

    private static TaskService Service(int lockMs = 10_000) => new(Options.Create(new TasksOptions { LockTimeoutMs = lockMs }));

    [Fact]
    public async Task Load_mirrors_the_file_in_the_store_with_toml_events()
    {
        var set = await Service().LoadAsync(_project.Config);
        Assert.Equal(["TSK-001", "TSK-002"], set.Tasks.Select(t => t.Id));
        await using var store = await TaskStore.OpenAsync(_project.Db);
        Assert.Equal(2, (await store.GetAllAsync()).Count);
        Assert.All(await store.GetEventsAsync(), e => Assert.Equal(TaskEventSource.Toml, e.Source));
    }

    [Fact]
    public async Task Update_edits_the_file_in_place_and_records_a_cli_event()
    {
        var service = Service();
        await service.LoadAsync(_project.Config);
        await service.UpdateAsync(_project.Config, "TSK-001", t => t with { Status = ProjectTaskStatus.Done, Assignees = ["@kim"] }, TaskEventSource.Cli);
        var text = _project.Read("llmstruct.toml");
        Assert.Equal(Toml.Replace("labels = [\"x\"]\n", "labels = [\"x\"]\nstatus = \"done\"\nassignees = [\"@kim\"]\n", StringComparison.Ordinal), text);
        var history = await service.HistoryAsync(_project.Config, "TSK-001");
        Assert.Contains(history, e => e is { Field: "status", OldValue: "open", NewValue: "done", Source: TaskEventSource.Cli });
        await Assert.ThrowsAsync<ConfigException>(() => service.UpdateAsync(_project.Config, "TSK-404", t => t, TaskEventSource.Cli));
    }

    [Fact]
    public async Task Add_allocates_the_next_id_and_refuses_a_duplicate_or_a_cycle()
    {
        var service = Service();
        var (task, _) = await service.AddAsync(_project.Config, new ProjectTask { Title = "Third", DependsOn = ["TSK-002"] }, TaskEventSource.Cli);
        Assert.Equal("TSK-003", task.Id);
        Assert.EndsWith("[[tasks]]\nid = \"TSK-003\"\ntitle = \"Third\"\nstatus = \"open\"\ndepends_on = [\"TSK-002\"]\n", _project.Read("llmstruct.toml"), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConfigException>(() => service.AddAsync(_project.Config, new ProjectTask { Id = "TSK-001", Title = "again" }, TaskEventSource.Cli));
        var before = _project.Read("llmstruct.toml");
        var cycle = await Assert.ThrowsAsync<ConfigException>(() => service.UpdateAsync(_project.Config, "TSK-002", t => t with { DependsOn = ["TSK-003"] }, TaskEventSource.Cli));
        Assert.Contains("cycle", cycle.Message, StringComparison.Ordinal);
        Assert.Equal(before, _project.Read("llmstruct.toml"));
    }

    [Fact]
    public async Task A_corrupt_database_is_kept_aside_and_rebuilt_from_the_file()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_project.Db)!);
        await File.WriteAllBytesAsync(_project.Db, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);
        var set = await Service().LoadAsync(_project.Config);
        Assert.Contains(set.Warnings, w => w.Contains("damaged", StringComparison.Ordinal) && w.Contains("rebuilt", StringComparison.Ordinal));
        Assert.True(File.Exists(_project.Db + ".damaged-1"));
        await using var store = await TaskStore.OpenAsync(_project.Db);
        Assert.Equal(["TSK-001", "TSK-002"], (await store.GetAllAsync()).Select(t => t.Id));
    }

    [Fact]
    public async Task A_locked_database_does_not_stop_reading_or_writing_the_file()
    {
        await Service().LoadAsync(_project.Config);
        using var holder = new SqliteConnection($"Data Source={_project.Db};Pooling=false");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
        }
        var service = Service(lockMs: 200);
        var (_, warnings) = await service.UpdateAsync(_project.Config, "TSK-002", t => t with { Status = ProjectTaskStatus.Blocked }, TaskEventSource.Cli);
        Assert.Contains(warnings, w => w.Contains("not available", StringComparison.Ordinal));
        Assert.Contains("status = \"blocked\"", _project.Read("llmstruct.toml"), StringComparison.Ordinal);
        using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
        // The next run catches the store up with the file.
        await service.LoadAsync(_project.Config);
        await using var store = await TaskStore.OpenAsync(_project.Db);
        Assert.Equal(ProjectTaskStatus.Blocked, (await store.GetAsync("TSK-002"))!.Status);
    }

    [Fact]
    public async Task Concurrent_updates_on_one_file_lose_nothing()
    {
        // Separate service instances, each with its own store connection, all on the same real files.
        const int writers = 8;
        var labels = Enumerable.Range(0, writers).Select(i => $"l{i}").ToArray();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(async () =>
        {
            var service = Service();
            await service.UpdateAsync(_project.Config, "TSK-001", t => t with { Labels = [.. t.Labels, labels[i]] }, TaskEventSource.Cli);
            await service.AddAsync(_project.Config, new ProjectTask { Id = $"NEW-{i}", Title = $"added by {i}" }, TaskEventSource.Cli);
        })));
        var set = await Service().LoadAsync(_project.Config);
        Assert.Equal(labels.Append("x").Order(StringComparer.Ordinal).ToArray(), set.Find("TSK-001")!.Labels.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(2 + writers, set.Tasks.Length);
        Assert.Contains("id = \"TSK-001\"   # keep me", _project.Read("llmstruct.toml"), StringComparison.Ordinal);
        await using var store = await TaskStore.OpenAsync(_project.Db);
        Assert.Equal(2 + writers, (await store.GetAllAsync()).Count);
    }

    [Fact]
    public async Task Merge_matches_by_id_then_title_and_a_dry_run_writes_nothing()
    {
        var service = Service();
        ProjectTask[] incoming =
        [
            new() { Id = "TSK-002", Title = "Second", Status = ProjectTaskStatus.Done },
            new() { Title = "  first ", Assignees = ["@kim"] },
            new() { Title = "Brand new" },
        ];
        var (dry, _) = await service.MergeAsync(_project.Config, incoming, dryRun: true, TaskEventSource.Chat);
        Assert.Equal(["TSK-003"], dry.Added.Select(t => t.Id));
        Assert.Equal(["TSK-002", "TSK-001"], dry.Changed.Select(c => c.After.Id));
        Assert.Equal(Toml, _project.Read("llmstruct.toml"));
        var (plan, _) = await service.MergeAsync(_project.Config, incoming, dryRun: false, TaskEventSource.Chat);
        Assert.Equal(dry.Added.Select(t => t.Id), plan.Added.Select(t => t.Id));
        var set = await service.LoadAsync(_project.Config);
        Assert.Equal(ProjectTaskStatus.Done, set.Find("TSK-002")!.Status);
        Assert.Equal(["@kim"], set.Find("TSK-001")!.Assignees.ToArray());
        Assert.Equal("First", set.Find("TSK-001")!.Title);
        var history = await service.HistoryAsync(_project.Config, "TSK-003");
        Assert.Equal(TaskEventSource.Chat, Assert.Single(history, e => e.Field == "created").Source);
    }
}
