using System.Collections.Immutable;

namespace LlmStruct.Tasks.Sync;

/// <summary>What a sync does (or, with <c>--dry-run</c>, would do) for one task.</summary>
public enum TaskSyncActionKind
{
    /// <summary>The task has no issue: one is created.</summary>
    Create,

    /// <summary>The task changed since the last sync: the issue is updated from it.</summary>
    Push,

    /// <summary>The issue changed since the last sync: the task is updated from it.</summary>
    Pull,

    /// <summary>Both changed: the task's text goes to the issue, the open/closed state to the task.</summary>
    Merge,

    /// <summary>An existing issue (found by its marker or the task's reference) is linked to the task; both already agree.</summary>
    Link,

    /// <summary>Nothing to do.</summary>
    Unchanged,
}

/// <summary>One task's line of a sync plan.</summary>
public sealed record TaskSyncAction
{
    /// <summary>The task.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>What happens.</summary>
    public TaskSyncActionKind Kind { get; init; }

    /// <summary>The issue number or iid (null for a <see cref="TaskSyncActionKind.Create"/> in a dry run).</summary>
    public long? Number { get; init; }

    /// <summary>What changes, in words (<c>title</c>, <c>labels</c>, <c>issue closed</c>, <c>status open → done</c>…).</summary>
    public ImmutableArray<string> Changes { get; init; } = [];

    /// <summary>One line for the console: <c>create  TSK-001  "Title"</c>, <c>push    TSK-002  #5  title, labels</c>.</summary>
    public string Describe(string title)
    {
        var kind = Kind.ToString().ToLowerInvariant();
        var number = Number is { } n ? $"#{n}" : "(new)";
        var what = Kind == TaskSyncActionKind.Create ? $"\"{title}\"" : string.Join(", ", Changes);
        return $"{kind,-9} {TaskId}  {number}  {what}".TrimEnd();
    }
}

/// <summary>The outcome of <see cref="TaskSyncService.SyncAsync"/>.</summary>
public sealed record TaskSyncReport
{
    /// <summary>The tracker synced with.</summary>
    public TaskTracker Tracker { get; init; }

    /// <summary>The remote project.</summary>
    public string Remote { get; init; } = "";

    /// <summary>Whether this was a dry run (nothing written anywhere).</summary>
    public bool DryRun { get; init; }

    /// <summary>One action per task, ordered by task id.</summary>
    public ImmutableArray<TaskSyncAction> Actions { get; init; } = [];

    /// <summary>Requests that changed the tracker (creates, edits, closes, reopens); zero when both sides already agree.</summary>
    public int TrackerWrites { get; init; }

    /// <summary>
    /// The tasks whose content the sync changed in the store (issue reference recorded, tracker changes pulled), as
    /// they now are: the caller writes them back to llmstruct.toml.
    /// </summary>
    public ImmutableArray<ProjectTask> ChangedTasks { get; init; } = [];

    /// <summary>Warnings (a marker found on two issues, an assignee the tracker dropped…).</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];
}
