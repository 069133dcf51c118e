namespace LlmStruct.Tasks;

/// <summary>Where a change to a task came from; stored in the event history as <c>toml</c>, <c>cli</c>, <c>ui</c>, <c>github</c>, <c>gitlab</c>, <c>chat</c>.</summary>
public enum TaskEventSource
{
    /// <summary><c>toml</c>: read from llmstruct.toml.</summary>
    Toml,

    /// <summary><c>cli</c>: a <c>llmstruct tasks</c> command.</summary>
    Cli,

    /// <summary><c>ui</c>: a user interface.</summary>
    Ui,

    /// <summary><c>github</c>: pulled from a GitHub issue.</summary>
    GitHub,

    /// <summary><c>gitlab</c>: pulled from a GitLab issue.</summary>
    GitLab,

    /// <summary><c>chat</c>: taken from a chat transcript.</summary>
    Chat,
}

/// <summary>An issue tracker a task can be synced with; stored as <c>github</c> or <c>gitlab</c>.</summary>
public enum TaskTracker
{
    /// <summary>GitHub issues.</summary>
    GitHub,

    /// <summary>GitLab issues.</summary>
    GitLab,
}

/// <summary>One entry of a task's append-only history: what changed, from what to what, from where and when.</summary>
public sealed record TaskEvent
{
    /// <summary>Position in the history (ascending, assigned by the store).</summary>
    public long Sequence { get; init; }

    /// <summary>The task's id.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>What changed: <c>created</c>, <c>deleted</c>, or a field name as written in TOML (<c>status</c>, <c>assignees</c>…).</summary>
    public string Field { get; init; } = "";

    /// <summary>The value before (TOML-like text; lists as JSON arrays), or null.</summary>
    public string? OldValue { get; init; }

    /// <summary>The value after, or null.</summary>
    public string? NewValue { get; init; }

    /// <summary>Where the change came from.</summary>
    public TaskEventSource Source { get; init; }

    /// <summary>When the store recorded it (UTC). Times live in the store only, never in struct.json.</summary>
    public DateTimeOffset At { get; init; }
}

/// <summary>
/// What the store remembers about one task on one tracker: which remote issue it is and the content hash last
/// synced (<see cref="TaskContentHash.Compute"/>), so an unchanged task needs no write.
/// </summary>
public sealed record TaskSyncState
{
    /// <summary>The task's id.</summary>
    public string TaskId { get; init; } = "";

    /// <summary>The tracker.</summary>
    public TaskTracker Tracker { get; init; }

    /// <summary>The remote project: <c>OWNER/REPO</c> on GitHub, <c>GROUP/PROJECT</c> on GitLab.</summary>
    public string Remote { get; init; } = "";

    /// <summary>The remote issue's number (GitHub) or iid (GitLab).</summary>
    public long RemoteId { get; init; }

    /// <summary>The remote issue's web address, or null.</summary>
    public string? RemoteUrl { get; init; }

    /// <summary>The task's content hash at the last sync, or null before the first.</summary>
    public string? LastSyncedHash { get; init; }

    /// <summary>The remote issue's own update stamp seen at the last sync (as the tracker wrote it), or null.</summary>
    public string? RemoteUpdatedAt { get; init; }

    /// <summary>When this row was last written (UTC).</summary>
    public DateTimeOffset SyncedAt { get; init; }
}

/// <summary>Names of the history sources and trackers as stored.</summary>
public static class TaskNames
{
    /// <summary>The stored name of a source.</summary>
    public static string Name(TaskEventSource source) => source switch
    {
        TaskEventSource.Toml => "toml",
        TaskEventSource.Cli => "cli",
        TaskEventSource.Ui => "ui",
        TaskEventSource.GitHub => "github",
        TaskEventSource.GitLab => "gitlab",
        TaskEventSource.Chat => "chat",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown event source"),
    };

    /// <summary>The stored name of a tracker.</summary>
    public static string Name(TaskTracker tracker) => tracker switch
    {
        TaskTracker.GitHub => "github",
        TaskTracker.GitLab => "gitlab",
        _ => throw new ArgumentOutOfRangeException(nameof(tracker), tracker, "unknown tracker"),
    };

    /// <summary>Reads a stored source name.</summary>
    public static TaskEventSource ParseSource(string name) => name switch
    {
        "toml" => TaskEventSource.Toml,
        "cli" => TaskEventSource.Cli,
        "ui" => TaskEventSource.Ui,
        "github" => TaskEventSource.GitHub,
        "gitlab" => TaskEventSource.GitLab,
        "chat" => TaskEventSource.Chat,
        _ => throw new FormatException($"unknown event source '{name}'"),
    };

    /// <summary>Reads a stored tracker name.</summary>
    public static TaskTracker ParseTracker(string name) => name switch
    {
        "github" => TaskTracker.GitHub,
        "gitlab" => TaskTracker.GitLab,
        _ => throw new FormatException($"unknown tracker '{name}'"),
    };
}
