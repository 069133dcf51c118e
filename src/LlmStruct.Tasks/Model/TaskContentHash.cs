using System.Security.Cryptography;
using System.Text.Json;

namespace LlmStruct.Tasks;

/// <summary>A stable hash of a task's content, for telling whether it changed since a sync.</summary>
public static class TaskContentHash
{
    /// <summary>
    /// Lower-case hex SHA-256 of the task's fields in a fixed order (lists in their order). The same content gives
    /// the same hash on every machine and run; any field's change changes it.
    /// </summary>
    public static string Compute(ProjectTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteStringValue(task.Id);
            w.WriteStringValue(task.Title);
            w.WriteStringValue(task.Description);
            w.WriteStringValue(TaskStatuses.Name(task.Status));
            w.WriteStringValue(task.Priority);
            w.WriteStringValue(task.Milestone);
            foreach (var list in (ReadOnlySpan<System.Collections.Immutable.ImmutableArray<string>>)[task.Assignees, task.Labels, task.DependsOn, task.Files, task.Symbols])
            {
                w.WriteStartArray();
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }
                w.WriteEndArray();
            }
            if (task.GitHub is { } gh)
            {
                w.WriteNumberValue(gh.Number);
                w.WriteStringValue(gh.Url);
            }
            else
            {
                w.WriteNullValue();
                w.WriteNullValue();
            }
            if (task.GitLab is { } gl)
            {
                w.WriteNumberValue(gl.Iid);
                w.WriteStringValue(gl.Url);
            }
            else
            {
                w.WriteNullValue();
                w.WriteNullValue();
            }
            w.WriteEndArray();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }
}
