using System.Text.RegularExpressions;

namespace LlmStruct.Tasks.Sync;

/// <summary>
/// The marker that ties an issue to a task: an HTML comment <c>&lt;!-- llmstruct:task TSK-011 --&gt;</c> at the end of
/// the issue body (invisible when rendered). A sync that lost its database finds its issues again by it, so a task
/// never gets a second issue.
/// </summary>
public static partial class TaskMarker
{
    /// <summary>The marker for <paramref name="taskId"/>.</summary>
    public static string For(string taskId) => $"<!-- llmstruct:task {taskId} -->";

    /// <summary>The task id in the first marker of <paramref name="body"/>, or null.</summary>
    public static string? Find(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }
        var match = MarkerPattern().Match(body);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>The issue body for a task: its description, a blank line, then the marker (the marker alone when there is no description).</summary>
    public static string Body(string taskId, string? description) =>
        string.IsNullOrWhiteSpace(description) ? For(taskId) : description.TrimEnd() + "\n\n" + For(taskId);

    /// <summary>The description an issue body holds: the body without its markers, trailing blank lines trimmed; null when nothing is left.</summary>
    public static string? Description(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }
        var text = MarkerPattern().Replace(body.Replace("\r\n", "\n", StringComparison.Ordinal), "").TrimEnd();
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex(@"<!--\s*llmstruct:task\s+([^\s>]+)\s*-->", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();
}
