using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmStruct.Context;
using LlmStruct.Model;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Service;

namespace LlmStruct.Cli.Commands;

/// <summary>A struct.json task as the text <c>context --task</c> puts before the context (md, xml or json) and <c>analyze --task</c> plans.</summary>
internal static class TaskContext
{
    /// <summary>The task's block in <paramref name="format"/>.</summary>
    public static string Render(TaskItem item, string format)
    {
        var plain = Plain(TaskItems.FromItem(item));
        return format switch
        {
            ContextFormats.Markdown => "# Task " + plain + "\n",
            ContextFormats.Xml => "<task id=\"" + Escape(item.Id) + "\">\n" + Escape(plain) + "</task>\n",
            _ => plain,
        };
    }

    /// <summary>A task as text (also the block <c>context --task</c> and <c>analyze --task</c> use).</summary>
    public static string Plain(ProjectTask t)
    {
        var s = new StringBuilder();
        s.Append(t.Id).Append(": ").Append(t.Title).Append('\n');
        s.Append("status: ").Append(TaskStatuses.Name(t.Status)).Append('\n');
        void Line(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                s.Append(name).Append(": ").Append(value).Append('\n');
            }
        }
        Line("priority", t.Priority);
        Line("milestone", t.Milestone);
        Line("assignees", string.Join(", ", t.Assignees));
        Line("labels", string.Join(", ", t.Labels));
        Line("depends_on", string.Join(", ", t.DependsOn));
        Line("files", string.Join(", ", t.Files));
        Line("symbols", string.Join(", ", t.Symbols));
        Line("github", t.GitHub is { } gh ? $"#{gh.Number} {gh.Url}".Trim() : null);
        Line("gitlab", t.GitLab is { } gl ? $"#{gl.Iid} {gl.Url}".Trim() : null);
        if (!string.IsNullOrWhiteSpace(t.Description))
        {
            s.Append('\n').Append(t.Description.TrimEnd()).Append('\n');
        }
        return s.ToString();
    }

    /// <summary>The task block and the rendered context as one text: concatenated (md, xml), or one JSON object <c>{"task": "…", "context": …}</c>.</summary>
    public static string Combine(string task, string context, string format)
    {
        if (format != ContextFormats.Json)
        {
            return task + context;
        }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("task", task);
            w.WritePropertyName("context");
            using var inner = JsonDocument.Parse(context);
            inner.RootElement.WriteTo(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + (context.EndsWith('\n') ? "\n" : "");
    }

    /// <summary>Tokens of <paramref name="text"/> with the context's tokenizer (o200k or cl100k), so the task's block counts against the budget.</summary>
    public static int CountTokens(string tokenizer, string text) =>
        Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding(tokenizer == ContextTokenizers.Cl100k ? "cl100k_base" : "o200k_base").CountTokens(text);

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
