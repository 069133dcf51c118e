using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmStruct.Tasks;

/// <summary>Tasks as JSON in struct.json's task shape (snake_case, empty lists and nulls left out), without reflection.</summary>
public static class TaskJsonWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON array of <paramref name="tasks"/>, in the order given.</summary>
    public static string Write(IEnumerable<ProjectTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartArray();
            foreach (var t in tasks)
            {
                Write(w, t);
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>One task object.</summary>
    public static void Write(Utf8JsonWriter w, ProjectTask t)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(t);
        w.WriteStartObject();
        w.WriteString("id", t.Id);
        w.WriteString("title", t.Title);
        w.WriteString("status", TaskStatuses.Name(t.Status));
        Optional(w, "description", t.Description);
        List(w, "labels", t.Labels);
        Optional(w, "priority", t.Priority);
        List(w, "assignees", t.Assignees);
        Optional(w, "milestone", t.Milestone);
        List(w, "depends_on", t.DependsOn);
        List(w, "files", t.Files);
        List(w, "symbols", t.Symbols);
        if (t.GitHub is { } gh)
        {
            w.WriteStartObject("github");
            w.WriteNumber("number", gh.Number);
            Optional(w, "url", gh.Url);
            w.WriteEndObject();
        }
        if (t.GitLab is { } gl)
        {
            w.WriteStartObject("gitlab");
            w.WriteNumber("iid", gl.Iid);
            Optional(w, "url", gl.Url);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void List(Utf8JsonWriter w, string name, System.Collections.Immutable.ImmutableArray<string> items)
    {
        if (items.IsDefaultOrEmpty)
        {
            return;
        }
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStringValue(item);
        }
        w.WriteEndArray();
    }
}
