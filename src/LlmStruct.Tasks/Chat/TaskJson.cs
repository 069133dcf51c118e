using System.Collections.Immutable;
using System.Text.Json;
using LlmStruct.Configuration;

namespace LlmStruct.Tasks.Chat;

/// <summary>Reads a task object in struct.json's task shape (snake_case; <c>assignee</c> also accepted) without reflection.</summary>
internal static class TaskJson
{
    public static ProjectTask Read(JsonElement e)
    {
        string? Text(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        ImmutableArray<string> Strings(string name) =>
            e.TryGetProperty(name, out var v)
                ? v.ValueKind switch
                {
                    JsonValueKind.Array => [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!)],
                    JsonValueKind.String => [v.GetString()!],
                    _ => [],
                }
                : [];
        long? Number(string obj, string name) =>
            e.TryGetProperty(obj, out var v) ? v.ValueKind switch
            {
                JsonValueKind.Number when v.TryGetInt64(out var n) => n,
                JsonValueKind.Object when v.TryGetProperty(name, out var n) && n.TryGetInt64(out var x) => x,
                _ => null,
            } : null;
        string? Url(string obj) => e.TryGetProperty(obj, out var v) && v.ValueKind == JsonValueKind.Object && v.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;

        var status = ProjectTaskStatus.Open;
        if (Text("status") is { } s && !TaskStatuses.TryParse(s, out status))
        {
            throw new ConfigException(TaskStatuses.Unknown(s));
        }
        var assignees = Strings("assignees");
        return new ProjectTask
        {
            Id = Text("id") is { } id && TaskIds.IsValid(id) ? id : "",
            Title = (Text("title") ?? "").Trim(),
            Description = Text("description"),
            Status = status,
            Priority = e.TryGetProperty("priority", out var p) ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number => p.GetRawText(),
                _ => null,
            } : null,
            Assignees = assignees.IsEmpty ? Strings("assignee") : assignees,
            Labels = Strings("labels"),
            Milestone = Text("milestone"),
            DependsOn = Strings("depends_on"),
            Files = Strings("files"),
            Symbols = Strings("symbols"),
            GitHub = Number("github", "number") is > 0 and var gh ? new GitHubIssueRef { Number = gh, Url = Url("github") } : null,
            GitLab = Number("gitlab", "iid") is > 0 and var gl ? new GitLabIssueRef { Iid = gl, Url = Url("gitlab") } : null,
        };
    }
}
