using System.Collections.Immutable;

namespace LlmStruct.Tasks;

/// <summary>
/// One project task as <c>llmstruct.toml</c> holds it (a <c>[[tasks]]</c> entry or a <c>[tasks.ID]</c> table), as the
/// store keeps it and as struct.json shows it. Lists keep the order the user wrote; <see cref="ContentEquals"/>
/// compares two tasks field by field.
/// </summary>
public sealed record ProjectTask
{
    /// <summary>Stable id such as <c>TSK-011</c>: given by the user, or allocated from <see cref="TasksOptions.IdPrefix"/>.</summary>
    public string Id { get; init; } = "";

    /// <summary>One-line title.</summary>
    public string Title { get; init; } = "";

    /// <summary>Longer description (markdown), or null.</summary>
    public string? Description { get; init; }

    /// <summary>Where the task stands.</summary>
    public ProjectTaskStatus Status { get; init; } = ProjectTaskStatus.Open;

    /// <summary>Free-form priority (<c>high</c>, <c>P1</c>…), or null.</summary>
    public string? Priority { get; init; }

    /// <summary>Who works on it, each as <c>@name</c>.</summary>
    public ImmutableArray<string> Assignees { get; init; } = [];

    /// <summary>Labels.</summary>
    public ImmutableArray<string> Labels { get; init; } = [];

    /// <summary>Milestone name, or null.</summary>
    public string? Milestone { get; init; }

    /// <summary>Ids of the tasks this one waits for.</summary>
    public ImmutableArray<string> DependsOn { get; init; } = [];

    /// <summary>Files the task concerns: paths relative to the project root, with '/'.</summary>
    public ImmutableArray<string> Files { get; init; } = [];

    /// <summary>Code the task concerns: definition ids (<c>src/a.py#Foo.bar</c>) or qualified names (<c>Foo.bar</c>), resolved against struct.json.</summary>
    public ImmutableArray<string> Symbols { get; init; } = [];

    /// <summary>The GitHub issue that tracks this task, or null.</summary>
    public GitHubIssueRef? GitHub { get; init; }

    /// <summary>The GitLab issue that tracks this task, or null.</summary>
    public GitLabIssueRef? GitLab { get; init; }

    /// <summary>Whether <paramref name="other"/> holds the same values in every field (lists compared element by element, in order).</summary>
    public bool ContentEquals(ProjectTask? other) =>
        other is not null
        && Id == other.Id && Title == other.Title && Description == other.Description && Status == other.Status
        && Priority == other.Priority && Milestone == other.Milestone
        && Assignees.SequenceEqual(other.Assignees) && Labels.SequenceEqual(other.Labels)
        && DependsOn.SequenceEqual(other.DependsOn) && Files.SequenceEqual(other.Files) && Symbols.SequenceEqual(other.Symbols)
        && Equals(GitHub, other.GitHub) && Equals(GitLab, other.GitLab);
}

/// <summary>Where a task stands. Written in TOML, JSON and the database as <c>open</c>, <c>in_progress</c>, <c>blocked</c>, <c>done</c>, <c>cancelled</c>.</summary>
public enum ProjectTaskStatus
{
    /// <summary><c>open</c>: not started.</summary>
    Open,

    /// <summary><c>in_progress</c>: someone works on it.</summary>
    InProgress,

    /// <summary><c>blocked</c>: waiting on something.</summary>
    Blocked,

    /// <summary><c>done</c>: finished.</summary>
    Done,

    /// <summary><c>cancelled</c>: dropped.</summary>
    Cancelled,
}

/// <summary>A GitHub issue linked to a task.</summary>
public sealed record GitHubIssueRef
{
    /// <summary>Issue number in its repository.</summary>
    public long Number { get; init; }

    /// <summary>The issue's web address, or null.</summary>
    public string? Url { get; init; }
}

/// <summary>A GitLab issue linked to a task.</summary>
public sealed record GitLabIssueRef
{
    /// <summary>Issue iid in its project.</summary>
    public long Iid { get; init; }

    /// <summary>The issue's web address, or null.</summary>
    public string? Url { get; init; }
}
