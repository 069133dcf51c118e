using System.Text;
using LlmStruct.Configuration;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Service;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>/tasks, /task ID, /done ID, /new TITLE over the tasks package (llmstruct.toml and its SQLite store, under its lock).</summary>
internal static class TaskReplies
{
    private const int MaxListed = 40;

    public static Task<string> ListAsync(BotContext context, CancellationToken ct) => GuardAsync(async () =>
    {
        var set = await Tasks.LoadAsync(context.Request.ConfigFile, ct).ConfigureAwait(false);
        var open = set.Tasks.Where(t => t.Status is not (ProjectTaskStatus.Done or ProjectTaskStatus.Cancelled)).ToList();
        if (open.Count == 0)
        {
            return "No open tasks. Add one with /new <title>.";
        }
        var text = new StringBuilder($"Open tasks ({open.Count}):\n");
        foreach (var task in open.Take(MaxListed))
        {
            text.Append(task.Id).Append(" [").Append(TaskStatuses.Name(task.Status)).Append("] ").AppendLine(task.Title);
        }
        if (open.Count > MaxListed)
        {
            text.Append("… and ").Append(open.Count - MaxListed).AppendLine(" more.");
        }
        return text.ToString().TrimEnd();
    });

    public static Task<string> ShowAsync(BotContext context, string id, CancellationToken ct) => GuardAsync(async () =>
    {
        if (!TaskIds.IsValid(id))
        {
            return "Which task? e.g. /task TSK-001";
        }
        var set = await Tasks.LoadAsync(context.Request.ConfigFile, ct).ConfigureAwait(false);
        if (set.Find(id) is not { } task)
        {
            return $"There is no task {id}.";
        }
        var text = new StringBuilder().Append(task.Id).Append(" [").Append(TaskStatuses.Name(task.Status)).Append("] ").AppendLine(task.Title);
        if (!string.IsNullOrWhiteSpace(task.Description))
        {
            text.AppendLine(task.Description.Trim());
        }
        Line(text, "Priority", task.Priority is null ? [] : [task.Priority]);
        Line(text, "Assignees", task.Assignees);
        Line(text, "Labels", task.Labels);
        Line(text, "Depends on", task.DependsOn);
        Line(text, "Files", task.Files);
        Line(text, "Symbols", task.Symbols);
        return text.ToString().TrimEnd();
    });

    public static Task<string> DoneAsync(BotContext context, string id, CancellationToken ct) => GuardAsync(async () =>
    {
        if (!TaskIds.IsValid(id))
        {
            return "Which task? e.g. /done TSK-001";
        }
        var (task, _) = await Tasks.UpdateAsync(context.Request.ConfigFile, id, t => t with { Status = ProjectTaskStatus.Done }, TaskEventSource.Ui, ct)
            .ConfigureAwait(false);
        return $"Done: {task.Id} {task.Title}";
    });

    public static Task<string> AddAsync(BotContext context, string title, CancellationToken ct) => GuardAsync(async () =>
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return "Give the task a title, e.g. /new Reject negative prices";
        }
        if (title.Length > 500)
        {
            return "A title of at most 500 characters, please.";
        }
        var (task, _) = await Tasks.AddAsync(context.Request.ConfigFile, new ProjectTask { Title = title.Trim() }, TaskEventSource.Ui, ct)
            .ConfigureAwait(false);
        return $"Added {task.Id}: {task.Title}";
    });

    private static readonly TaskService Tasks = new();

    private static void Line(StringBuilder text, string label, IEnumerable<string> values)
    {
        var list = values.ToList();
        if (list.Count > 0)
        {
            text.Append(label).Append(": ").AppendLine(string.Join(", ", list));
        }
    }

    private static async Task<string> GuardAsync(Func<Task<string>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            return $"The tasks could not be read or changed: {ex.Message}";
        }
    }
}
