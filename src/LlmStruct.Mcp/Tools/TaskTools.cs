using System.ComponentModel;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Mcp.Project;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Service;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace LlmStruct.Mcp.Tools;

/// <summary>
/// The tasks of the project (<c>[[tasks]]</c> in llmstruct.toml), read and edited through the tasks package's
/// <see cref="TaskService"/>, so the file and its SQLite store stay in step and edits take turns on its lock.
/// </summary>
[McpServerToolType]
internal sealed class TaskTools(TaskService service, McpProject project, IOptions<StructMcpOptions> options)
{
    /// <summary>The project's tasks, filtered.</summary>
    [McpServerTool(Name = "list_tasks", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "List tasks")]
    [Description("The project's tasks (llmstruct.toml), ordered by id: id, title, status, priority, assignees, labels, dependencies, files, symbols, description.")]
    public async Task<string> ListTasksAsync(
        [Description("Only this status: open, in_progress, blocked, done or cancelled.")] string? status = null,
        [Description("Only tasks with this label.")] string? label = null,
        [Description("Only tasks assigned to this person.")] string? assignee = null,
        [Description("Most tokens (o200k) the result may take; it is cut with a note past that. Default 4000.")] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        ProjectTaskStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            wanted = TaskStatuses.TryParse(status.Trim(), out var s) ? s : throw new McpException(TaskStatuses.Unknown(status));
        }
        TaskSet set;
        try
        {
            set = await service.LoadAsync(project.ConfigFile, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
        {
            throw new McpException(ex.Message, ex);
        }
        var tasks = set.Tasks.Where(t =>
            (wanted is null || t.Status == wanted)
            && (string.IsNullOrWhiteSpace(label) || t.Labels.Contains(label.Trim(), StringComparer.OrdinalIgnoreCase))
            && (string.IsNullOrWhiteSpace(assignee) || t.Assignees.Contains(assignee.Trim(), StringComparer.OrdinalIgnoreCase)))
            .Select(View).ToList();
        return ResultBudget.FitList(tasks, limit, (kept, omitted) =>
            JsonSerializer.Serialize(new TaskList(kept, tasks.Count, omitted), McpJsonContext.Results.TaskList));
    }

    /// <summary>Changes fields of one task.</summary>
    [McpServerTool(Name = "update_task", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false, Title = "Update a task")]
    [Description("Change a task in llmstruct.toml (comments and layout kept; recorded in the task history): status, title, priority, description, labels or assignees. Fields left out stay as they are. Returns the task as it is now.")]
    public async Task<string> UpdateTaskAsync(
        [Description("The task id (TSK-001).")] string id,
        [Description("New status: open, in_progress, blocked, done or cancelled.")] string? status = null,
        [Description("New title.")] string? title = null,
        [Description("New priority (empty to clear).")] string? priority = null,
        [Description("New description (empty to clear).")] string? description = null,
        [Description("The labels, replacing the old ones.")] string[]? labels = null,
        [Description("The assignees, replacing the old ones.")] string[]? assignees = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new McpException("id is empty: give a task id as list_tasks returns it");
        }
        ProjectTaskStatus? newStatus = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            newStatus = TaskStatuses.TryParse(status.Trim(), out var s) ? s : throw new McpException(TaskStatuses.Unknown(status));
        }
        if (title is not null && string.IsNullOrWhiteSpace(title))
        {
            throw new McpException("title must not be empty");
        }
        if (newStatus is null && title is null && priority is null && description is null && labels is null && assignees is null)
        {
            throw new McpException("nothing to change: give status, title, priority, description, labels or assignees");
        }
        if (!File.Exists(project.ConfigFile))
        {
            throw new McpException($"no task '{id}': the project has no llmstruct.toml");
        }
        try
        {
            var (task, _) = await service.UpdateAsync(project.ConfigFile, id.Trim(), current => current with
            {
                Status = newStatus ?? current.Status,
                Title = title?.Trim() ?? current.Title,
                Priority = priority is null ? current.Priority : Blank(priority),
                Description = description is null ? current.Description : Blank(description),
                Labels = labels is null ? current.Labels : [.. Clean(labels)],
                Assignees = assignees is null ? current.Assignees : [.. Clean(assignees)],
            }, TaskEventSource.Ui, cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(View(task), McpJsonContext.Results.TaskView);
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
        {
            throw new McpException(ex.Message, ex);
        }
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IEnumerable<string> Clean(IEnumerable<string> values) =>
        values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct(StringComparer.Ordinal);

    private static TaskView View(ProjectTask t) => new(
        t.Id, t.Title, TaskStatuses.Name(t.Status), t.Priority, t.Assignees, t.Labels, t.DependsOn, t.Files, t.Symbols, t.Description);
}
