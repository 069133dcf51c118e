using System.Text.Json.Serialization;

namespace LlmStruct.Tasks.Sync;

/// <summary>An issue as GitLab's REST v4 API returns it (the fields sync reads).</summary>
internal sealed record GitLabIssueDto
{
    public long Id { get; init; }
    public long Iid { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? State { get; init; }
    public List<string>? Labels { get; init; }
    public List<GitLabUserDto>? Assignees { get; init; }
    public string? WebUrl { get; init; }
    public string? UpdatedAt { get; init; }
}

/// <summary>A user (assignee, or a <c>/users?username=</c> match).</summary>
internal sealed record GitLabUserDto
{
    public long Id { get; init; }
    public string? Username { get; init; }
}

/// <summary>A note (comment) on an issue.</summary>
internal sealed record GitLabNoteDto
{
    public long Id { get; init; }
    public string? Body { get; init; }
    public bool System { get; init; }
}

/// <summary>The body of an issue create (<c>POST</c>) or edit (<c>PUT</c>); unset fields are left out.</summary>
internal sealed record GitLabIssueWrite
{
    public string? Title { get; init; }
    public string? Description { get; init; }

    /// <summary>Comma-separated label names, as the API takes them (empty clears).</summary>
    public string? Labels { get; init; }

    public List<long>? AssigneeIds { get; init; }

    /// <summary><c>close</c> or <c>reopen</c>.</summary>
    public string? StateEvent { get; init; }
}

/// <summary>The body of a note create or edit.</summary>
internal sealed record GitLabNoteWrite
{
    public string Body { get; init; } = "";
}

/// <summary>Source-generated JSON for the GitLab client (no reflection: the CLI ships as Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GitLabIssueDto))]
[JsonSerializable(typeof(List<GitLabIssueDto>))]
[JsonSerializable(typeof(List<GitLabUserDto>))]
[JsonSerializable(typeof(GitLabNoteDto))]
[JsonSerializable(typeof(List<GitLabNoteDto>))]
[JsonSerializable(typeof(GitLabIssueWrite))]
[JsonSerializable(typeof(GitLabNoteWrite))]
internal sealed partial class GitLabJsonContext : JsonSerializerContext;
