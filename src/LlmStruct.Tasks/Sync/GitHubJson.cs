using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LlmStruct.Tasks.Sync;

/// <summary>An issue (or pull request) as GitHub's REST API returns it (the fields sync reads).</summary>
internal sealed record GitHubIssueDto
{
    public long Number { get; init; }
    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? State { get; init; }
    public List<GitHubLabelDto>? Labels { get; init; }
    public List<GitHubUserDto>? Assignees { get; init; }
    public string? HtmlUrl { get; init; }
    public string? UpdatedAt { get; init; }

    /// <summary>Present on pull requests only: GitHub lists them among the issues.</summary>
    public JsonObject? PullRequest { get; init; }
}

/// <summary>A label on an issue.</summary>
internal sealed record GitHubLabelDto
{
    public string? Name { get; init; }
}

/// <summary>A user (an assignee).</summary>
internal sealed record GitHubUserDto
{
    public string? Login { get; init; }
}

/// <summary>A comment on an issue or a pull request.</summary>
internal sealed record GitHubCommentDto
{
    public long Id { get; init; }
    public string? Body { get; init; }
}

/// <summary>The body of an issue create (<c>POST</c>) or edit (<c>PATCH</c>); unset fields are left out.</summary>
internal sealed record GitHubIssueWrite
{
    public string? Title { get; init; }
    public string? Body { get; init; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string? State { get; init; }

    /// <summary>Label names; the list replaces the issue's labels (an empty list clears them).</summary>
    public List<string>? Labels { get; init; }

    /// <summary>Logins; the list replaces the issue's assignees.</summary>
    public List<string>? Assignees { get; init; }
}

/// <summary>The body of a comment create or edit.</summary>
internal sealed record GitHubCommentWrite
{
    public string Body { get; init; } = "";
}

/// <summary>The body of a pull request create (<c>POST /repos/{owner}/{repo}/pulls</c>).</summary>
internal sealed record GitHubPullWrite
{
    public string Title { get; init; } = "";
    public string Head { get; init; } = "";
    public string Base { get; init; } = "";
    public string? Body { get; init; }
}

/// <summary>The fields of a pull request the client reads.</summary>
internal sealed record GitHubPullDto
{
    public long Number { get; init; }
    public string? HtmlUrl { get; init; }
}

/// <summary>Source-generated JSON for the GitHub client (no reflection: the CLI ships as Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GitHubIssueDto))]
[JsonSerializable(typeof(List<GitHubIssueDto>))]
[JsonSerializable(typeof(GitHubCommentDto))]
[JsonSerializable(typeof(List<GitHubCommentDto>))]
[JsonSerializable(typeof(GitHubIssueWrite))]
[JsonSerializable(typeof(GitHubCommentWrite))]
[JsonSerializable(typeof(GitHubPullWrite))]
[JsonSerializable(typeof(GitHubPullDto))]
internal sealed partial class GitHubJsonContext : JsonSerializerContext;
