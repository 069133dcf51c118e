namespace LlmStruct.Tasks;

/// <summary>The written names of <see cref="ProjectTaskStatus"/> values.</summary>
public static class TaskStatuses
{
    /// <summary>Every allowed name, in the enum's order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["open", "in_progress", "blocked", "done", "cancelled"];

    /// <summary>The written name of <paramref name="status"/>, e.g. <c>in_progress</c>.</summary>
    public static string Name(ProjectTaskStatus status) => status switch
    {
        ProjectTaskStatus.Open => "open",
        ProjectTaskStatus.InProgress => "in_progress",
        ProjectTaskStatus.Blocked => "blocked",
        ProjectTaskStatus.Done => "done",
        ProjectTaskStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown task status"),
    };

    /// <summary>Reads a written name (exact, lower case); false for anything else.</summary>
    public static bool TryParse(string? name, out ProjectTaskStatus status)
    {
        switch (name)
        {
            case "open": status = ProjectTaskStatus.Open; return true;
            case "in_progress": status = ProjectTaskStatus.InProgress; return true;
            case "blocked": status = ProjectTaskStatus.Blocked; return true;
            case "done": status = ProjectTaskStatus.Done; return true;
            case "cancelled": status = ProjectTaskStatus.Cancelled; return true;
            default: status = default; return false;
        }
    }

    /// <summary>The message for a status that is not allowed; it lists the allowed ones.</summary>
    public static string Unknown(string? name) =>
        $"unknown status '{name}' (allowed: {string.Join(", ", Names)})";
}
