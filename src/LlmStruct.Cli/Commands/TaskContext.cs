using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LlmStruct.Context;
using LlmStruct.Model;
using LlmStruct.Tasks.Service;

namespace LlmStruct.Cli.Commands;

/// <summary>A struct.json task as the text <c>context --task</c> puts before the context (md, xml or json) and <c>analyze --task</c> plans.</summary>
internal static class TaskContext
{
    /// <summary>The task's block in <paramref name="format"/>.</summary>
    public static string Render(TaskItem item, string format)
    {
        var plain = TasksCommand.Render(TaskItems.FromItem(item));
        return format switch
        {
            ContextFormats.Markdown => "# Task " + plain + "\n",
            ContextFormats.Xml => "<task id=\"" + Escape(item.Id) + "\">\n" + Escape(plain) + "</task>\n",
            _ => plain,
        };
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
