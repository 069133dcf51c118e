using System.Collections.Immutable;
using LlmStruct.Configuration;
using LlmStruct.Pipeline;
using LlmStruct.Tasks.Store;
using LlmStruct.Tasks.Toml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LlmStruct.Tasks.Service;

/// <summary>The tasks as one command sees them: from llmstruct.toml (the source of truth), mirrored in the store.</summary>
/// <param name="File">The file as read.</param>
/// <param name="Tasks">The tasks, ordered by id.</param>
/// <param name="Warnings">Things the user should know (e.g. the store was damaged and rebuilt).</param>
public sealed record TaskSet(TaskFile File, ImmutableArray<ProjectTask> Tasks, IReadOnlyList<string> Warnings)
{
    /// <summary>The task with <paramref name="id"/>, or null.</summary>
    public ProjectTask? Find(string id) => Tasks.FirstOrDefault(t => t.Id == id);
}

/// <summary>What a merge (import, add) did or, with a dry run, would do.</summary>
/// <param name="Added">Tasks that are new.</param>
/// <param name="Changed">Tasks that changed: before and after.</param>
/// <param name="Unchanged">Ids matched with nothing to change.</param>
public sealed record TaskMergePlan(ImmutableArray<ProjectTask> Added, ImmutableArray<(ProjectTask Before, ProjectTask After)> Changed, ImmutableArray<string> Unchanged);

/// <summary>
/// The tasks SDK entry point behind <c>llmstruct tasks</c>: reads llmstruct.toml, keeps the store in step
/// (<c>llmstruct.toml → SQLite</c>, one transaction, an event per change), and writes edits back into the file in
/// place (comments and formatting kept) under a lock, so concurrent processes never lose an update. A damaged store
/// is moved aside and rebuilt from the file; a store locked by another process is skipped for the run with a warning
/// (the file stays the source of truth, and the next run catches the store up).
/// </summary>
public sealed class TaskService
{
    private readonly TasksOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the service.</summary>
    public TaskService(IOptions<TasksOptions>? options = null, ILogger<TaskService>? logger = null, TimeProvider? time = null)
    {
        _options = options?.Value ?? new TasksOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The options in use.</summary>
    public TasksOptions Options => _options;

    /// <summary>The store path for a project whose llmstruct.toml is <paramref name="configFile"/>.</summary>
    public string DatabasePath(string configFile) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile))!, _options.DatabasePath));

    /// <summary>Reads the tasks of <paramref name="configFile"/> and brings the store in step (source <c>toml</c>).</summary>
    public async Task<TaskSet> LoadAsync(string configFile, CancellationToken cancellationToken = default)
    {
        var file = await TaskTomlReader.ReadFileAsync(configFile, cancellationToken).ConfigureAwait(false);
        var warnings = new List<string>();
        // No tasks and no store yet: nothing to mirror, and no database is made for a project that does not use tasks.
        if (file.Entries.IsEmpty && !File.Exists(DatabasePath(configFile)))
        {
            return new TaskSet(file, [], warnings);
        }
        // Under the lock, read again: an edit by another process in between is mirrored, never undone.
        using var gate = await TaskLock.AcquireAsync(DatabasePath(configFile) + ".lock", _options.LockTimeoutMs, cancellationToken).ConfigureAwait(false);
        file = await TaskTomlReader.ReadFileAsync(configFile, cancellationToken).ConfigureAwait(false);
        var tasks = Ordered(file.Tasks);
        await WithStoreAsync(configFile, warnings, store => store.ApplyAsync(tasks, TaskEventSource.Toml, removeMissing: true, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new TaskSet(file, tasks, warnings);
    }

    /// <summary>
    /// Adds a task: an empty <see cref="ProjectTask.Id"/> is allocated (<see cref="TaskIds.Next"/>). Written to the file
    /// and the store with <paramref name="source"/>. Throws <see cref="ConfigException"/> when the id exists.
    /// </summary>
    public async Task<(ProjectTask Task, IReadOnlyList<string> Warnings)> AddAsync(
        string configFile, ProjectTask task, TaskEventSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ProjectTask? added = null;
        var warnings = await EditAsync(configFile, source, current =>
        {
            var id = string.IsNullOrEmpty(task.Id) ? TaskIds.Next(current.Select(t => t.Id), _options.IdPrefix, _options.IdDigits) : task.Id;
            if (current.Any(t => t.Id == id))
            {
                throw new ConfigException($"task '{id}' already exists");
            }
            added = task with { Id = id };
            return [.. current, added];
        }, cancellationToken).ConfigureAwait(false);
        return (added!, warnings);
    }

    /// <summary>
    /// Changes one task through <paramref name="change"/> (given the current task, under the lock, so no other
    /// process's update in between is lost). Throws <see cref="ConfigException"/> when there is no such task.
    /// </summary>
    public async Task<(ProjectTask Task, IReadOnlyList<string> Warnings)> UpdateAsync(
        string configFile, string id, Func<ProjectTask, ProjectTask> change, TaskEventSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ProjectTask? updated = null;
        var warnings = await EditAsync(configFile, source, current =>
        {
            var index = current.FindIndex(t => t.Id == id);
            if (index < 0)
            {
                throw new ConfigException($"no task '{id}' in {Path.GetFileName(configFile)}");
            }
            updated = change(current[index]) with { Id = id };
            current[index] = updated;
            return current;
        }, cancellationToken).ConfigureAwait(false);
        return (updated!, warnings);
    }

    /// <summary>
    /// Merges <paramref name="incoming"/> tasks (from a chat transcript, a tracker…): one with the id of an existing
    /// task, or without an id and the title of one (case-insensitive, trimmed), updates it with the fields it sets;
    /// any other is added (an id allocated when it has none). With <paramref name="dryRun"/> nothing is written.
    /// </summary>
    public async Task<(TaskMergePlan Plan, IReadOnlyList<string> Warnings)> MergeAsync(
        string configFile, IReadOnlyList<ProjectTask> incoming, bool dryRun, TaskEventSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        TaskMergePlan? plan = null;
        if (dryRun)
        {
            var set = await LoadAsync(configFile, cancellationToken).ConfigureAwait(false);
            var (_, dry) = TaskMerge.Plan([.. set.File.Tasks], incoming, _options);
            return (dry, set.Warnings);
        }
        var warnings = await EditAsync(configFile, source, current =>
        {
            var (merged, p) = TaskMerge.Plan(current, incoming, _options);
            plan = p;
            return merged;
        }, cancellationToken).ConfigureAwait(false);
        return (plan!, warnings);
    }

    /// <summary>The history of one task (or all tasks when <paramref name="id"/> is null), oldest first.</summary>
    public async Task<IReadOnlyList<TaskEvent>> HistoryAsync(string configFile, string? id, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<TaskEvent> events = [];
        await WithStoreAsync(configFile, [], async store => events = await store.GetEventsAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return events;
    }

    // Under the lock: read the file, change the task list, check it, write the file (atomically) and the store.
    private async Task<IReadOnlyList<string>> EditAsync(
        string configFile, TaskEventSource source, Func<List<ProjectTask>, List<ProjectTask>> change, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var full = Path.GetFullPath(configFile);
        using var gate = await TaskLock.AcquireAsync(DatabasePath(full) + ".lock", _options.LockTimeoutMs, cancellationToken).ConfigureAwait(false);
        var file = await TaskTomlReader.ReadFileAsync(full, cancellationToken).ConfigureAwait(false);
        // The file's own state first, so the store records the user's hand edits as 'toml' and this change as its source.
        var before = Ordered(file.Tasks);
        var after = change([.. file.Tasks]);
        foreach (var t in after)
        {
            Check(t);
        }
        var text = TaskTomlWriter.Apply(file, after);
        // The result must read back as the same tasks (a duplicate, a cycle or a bad id is refused before writing).
        var reread = TaskTomlReader.Read(text, file.SourceName);
        if (text != file.Text)
        {
            await StructFileWriter.WriteAtomicAsync(full, new System.Text.UTF8Encoding(false).GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
        await WithStoreAsync(full, warnings, async store =>
        {
            await store.ApplyAsync(before, TaskEventSource.Toml, removeMissing: true, cancellationToken).ConfigureAwait(false);
            await store.ApplyAsync(Ordered(reread.Tasks), source, removeMissing: true, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return warnings;
    }

    private static void Check(ProjectTask t)
    {
        if (!TaskIds.IsValid(t.Id))
        {
            throw new ConfigException($"task id '{t.Id}' is not valid ({TaskIds.Rule})");
        }
        if (string.IsNullOrWhiteSpace(t.Title))
        {
            throw new ConfigException($"task '{t.Id}' needs a title");
        }
    }

    private async Task WithStoreAsync(string configFile, List<string> warnings, Func<TaskStore, Task> work, CancellationToken cancellationToken)
    {
        var path = DatabasePath(configFile);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await using var store = await TaskStore.OpenAsync(path, _logger, _time, _options.LockTimeoutMs, cancellationToken).ConfigureAwait(false);
                await work(store).ConfigureAwait(false);
                return;
            }
            catch (TaskStoreException ex) when (ex.Damaged && attempt == 0)
            {
                var aside = MoveAside(path);
                var message = $"the tasks database was damaged ({ex.Message}); kept it as {Path.GetFileName(aside)} and rebuilt it from {Path.GetFileName(configFile)}";
                _logger.LogWarning("{Message}", message);
                warnings.Add(message);
                // The rebuild: the next attempt opens a fresh store; the caller's work applies the file's tasks to it.
                if (!File.Exists(path))
                {
                    var file = await TaskTomlReader.ReadFileAsync(configFile, cancellationToken).ConfigureAwait(false);
                    await using var fresh = await TaskStore.OpenAsync(path, _logger, _time, _options.LockTimeoutMs, cancellationToken).ConfigureAwait(false);
                    await fresh.ApplyAsync(Ordered(file.Tasks), TaskEventSource.Toml, removeMissing: true, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (TaskStoreException ex) when (!ex.Damaged)
            {
                var message = $"the tasks database is not available ({ex.Message}); llmstruct.toml was read and written, the database catches up on the next run";
                _logger.LogWarning("{Message}", message);
                warnings.Add(message);
                return;
            }
        }
    }

    private static string MoveAside(string path)
    {
        for (int n = 1; ; n++)
        {
            var aside = $"{path}.damaged-{n}";
            if (!File.Exists(aside))
            {
                File.Move(path, aside);
                foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
                {
                    if (File.Exists(path + suffix))
                    {
                        File.Move(path + suffix, aside + suffix, overwrite: true);
                    }
                }
                return aside;
            }
        }
    }

    private static ImmutableArray<ProjectTask> Ordered(IEnumerable<ProjectTask> tasks) => [.. tasks.OrderBy(t => t.Id, StringComparer.Ordinal)];
}
