using System.Collections.Immutable;
using System.Text.Json;

namespace LlmStruct.Tasks.Store;

/// <summary>Field-by-field comparison of tasks (for the event history) and the JSON list form the store uses.</summary>
internal static class TaskFields
{
    /// <summary>The fields that differ between <paramref name="old"/> (null: a new task, compared with an empty one) and <paramref name="now"/>, named as in TOML.</summary>
    public static IEnumerable<(string Field, string? Old, string? New)> Differences(ProjectTask? old, ProjectTask now)
    {
        old ??= new ProjectTask { Id = now.Id, Title = "" };
        if (old.Title != now.Title && old.Title.Length + now.Title.Length > 0) yield return ("title", Null(old.Title), now.Title);
        if (old.Description != now.Description) yield return ("description", old.Description, now.Description);
        if (old.Status != now.Status) yield return ("status", TaskStatuses.Name(old.Status), TaskStatuses.Name(now.Status));
        if (old.Priority != now.Priority) yield return ("priority", old.Priority, now.Priority);
        if (old.Milestone != now.Milestone) yield return ("milestone", old.Milestone, now.Milestone);
        if (!old.Assignees.SequenceEqual(now.Assignees)) yield return ("assignees", JsonList(old.Assignees), JsonList(now.Assignees));
        if (!old.Labels.SequenceEqual(now.Labels)) yield return ("labels", JsonList(old.Labels), JsonList(now.Labels));
        if (!old.DependsOn.SequenceEqual(now.DependsOn)) yield return ("depends_on", JsonList(old.DependsOn), JsonList(now.DependsOn));
        if (!old.Files.SequenceEqual(now.Files)) yield return ("files", JsonList(old.Files), JsonList(now.Files));
        if (!old.Symbols.SequenceEqual(now.Symbols)) yield return ("symbols", JsonList(old.Symbols), JsonList(now.Symbols));
        if (!Equals(old.GitHub, now.GitHub)) yield return ("github", GitHub(old.GitHub), GitHub(now.GitHub));
        if (!Equals(old.GitLab, now.GitLab)) yield return ("gitlab", GitLab(old.GitLab), GitLab(now.GitLab));
    }

    private static string? Null(string s) => s.Length == 0 ? null : s;

    private static string? GitHub(GitHubIssueRef? r) => r is null ? null : r.Url is null ? $"#{r.Number}" : $"#{r.Number} {r.Url}";

    private static string? GitLab(GitLabIssueRef? r) => r is null ? null : r.Url is null ? $"#{r.Iid}" : $"#{r.Iid} {r.Url}";

    /// <summary>A JSON array of strings (compact).</summary>
    public static string JsonList(ImmutableArray<string> items)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var item in items)
            {
                w.WriteStringValue(item);
            }
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads <see cref="JsonList"/>'s form.</summary>
    public static ImmutableArray<string> ParseJsonList(string json)
    {
        using var document = JsonDocument.Parse(json);
        var builder = ImmutableArray.CreateBuilder<string>(document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            builder.Add(item.GetString() ?? "");
        }
        return builder.MoveToImmutable();
    }
}
