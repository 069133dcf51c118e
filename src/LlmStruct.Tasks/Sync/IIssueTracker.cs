using System.Collections.Immutable;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// One issue tracker project (a GitHub repository, a GitLab project) as task sync, CI reports, <c>serve</c> and the
/// bot use it: list issues, create and update them, close and reopen them, and keep one comment per marker.
/// Implementations retry rate limits and server errors (<see cref="TrackerRetryHandler"/>) and never log the token.
/// </summary>
public interface IIssueTracker
{
    /// <summary>Which tracker this is.</summary>
    TaskTracker Kind { get; }

    /// <summary>The remote project: <c>OWNER/REPO</c> or <c>GROUP/PROJECT</c>.</summary>
    string Remote { get; }

    /// <summary>Every issue of the project, open and closed (pull requests excluded), ordered by number; all pages are read.</summary>
    Task<IReadOnlyList<TrackerIssue>> ListIssuesAsync(CancellationToken cancellationToken = default);

    /// <summary>The issue with <paramref name="number"/>, or null when there is none.</summary>
    Task<TrackerIssue?> GetIssueAsync(long number, CancellationToken cancellationToken = default);

    /// <summary>Opens a new issue from <paramref name="draft"/> (closed right after when the draft is closed).</summary>
    Task<TrackerIssue> CreateIssueAsync(IssueDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Sets the title, body, labels, assignees and state of issue <paramref name="number"/> to the draft's.</summary>
    Task<TrackerIssue> UpdateIssueAsync(long number, IssueDraft draft, CancellationToken cancellationToken = default);

    /// <summary>Closes (<paramref name="open"/> false) or reopens issue <paramref name="number"/>.</summary>
    Task<TrackerIssue> SetStateAsync(long number, bool open, CancellationToken cancellationToken = default);

    /// <summary>The comments of issue <paramref name="number"/>, oldest first.</summary>
    Task<IReadOnlyList<TrackerComment>> ListCommentsAsync(long number, CancellationToken cancellationToken = default);

    /// <summary>
    /// Keeps one comment on issue <paramref name="number"/> that carries <paramref name="marker"/> (an HTML comment such
    /// as <c>&lt;!-- llmstruct:ci --&gt;</c>): edits the first comment containing it to <paramref name="body"/> (the
    /// marker appended), creates it when there is none, and writes nothing when it already reads so.
    /// </summary>
    Task<TrackerComment> UpsertCommentAsync(long number, string marker, string body, CancellationToken cancellationToken = default);
}

/// <summary>An issue as a tracker returns it.</summary>
public sealed record TrackerIssue
{
    /// <summary>Number (GitHub) or iid (GitLab) in its project.</summary>
    public long Number { get; init; }

    /// <summary>Title.</summary>
    public string Title { get; init; } = "";

    /// <summary>Body (GitHub) or description (GitLab), as stored; empty when none.</summary>
    public string Body { get; init; } = "";

    /// <summary>Label names, as the tracker lists them.</summary>
    public ImmutableArray<string> Labels { get; init; } = [];

    /// <summary>Assignee logins (GitHub) or usernames (GitLab), without <c>@</c>.</summary>
    public ImmutableArray<string> Assignees { get; init; } = [];

    /// <summary>Whether the issue is open.</summary>
    public bool IsOpen { get; init; } = true;

    /// <summary>Web address, or null.</summary>
    public string? Url { get; init; }

    /// <summary>The tracker's own update stamp (as it wrote it), or null.</summary>
    public string? UpdatedAt { get; init; }
}

/// <summary>What an issue should say: written by <see cref="IIssueTracker.CreateIssueAsync"/> and <see cref="IIssueTracker.UpdateIssueAsync"/>.</summary>
public sealed record IssueDraft
{
    /// <summary>Title.</summary>
    public string Title { get; init; } = "";

    /// <summary>Body (markdown).</summary>
    public string Body { get; init; } = "";

    /// <summary>Label names.</summary>
    public ImmutableArray<string> Labels { get; init; } = [];

    /// <summary>Assignee logins or usernames, without <c>@</c>.</summary>
    public ImmutableArray<string> Assignees { get; init; } = [];

    /// <summary>Whether the issue should be open.</summary>
    public bool IsOpen { get; init; } = true;
}

/// <summary>A comment on an issue.</summary>
public sealed record TrackerComment
{
    /// <summary>The tracker's id of the comment (GitHub comment id, GitLab note id).</summary>
    public long Id { get; init; }

    /// <summary>Body (markdown).</summary>
    public string Body { get; init; } = "";
}
