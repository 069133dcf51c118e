using System.Collections.Immutable;
using LlmStruct.Configuration;
using LlmStruct.Serve.Project;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Service;

namespace LlmStruct.Serve.Api;

/// <summary>Bad input for a task edit: the field and what is wrong (answered 400 with a validation problem).</summary>
internal sealed class TaskInputException(string field, string message) : Exception(message)
{
    /// <summary>The field at fault.</summary>
    public string Field { get; } = field;
}

/// <summary>
/// The task operations of the board and the API, every edit through <see cref="TaskService"/> (source <c>ui</c>), so
/// llmstruct.toml and the SQLite store stay in step and concurrent edits take turns on the tasks lock.
/// </summary>
internal sealed class ServeTasks(TaskService service, ServeProject project)
{
    private readonly TaskStructContributor _contributor = new(service);

    /// <summary>The longest title or text field accepted.</summary>
    public const int MaxTextLength = 20_000;

    /// <summary>The tasks, ordered by id, filtered by status, assignee and label when given.</summary>
    public async Task<IReadOnlyList<ProjectTask>> ListAsync(string? status, string? assignee, string? label, CancellationToken cancellationToken)
    {
        ProjectTaskStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            wanted = TaskStatuses.TryParse(status, out var s) ? s : throw new TaskInputException("status", TaskStatuses.Unknown(status));
        }
        var set = await service.LoadAsync(project.ConfigFile, cancellationToken).ConfigureAwait(false);
        return [.. set.Tasks.Where(t =>
            (wanted is null || t.Status == wanted)
            && (string.IsNullOrEmpty(assignee) || t.Assignees.Contains(assignee, StringComparer.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(label) || t.Labels.Contains(label, StringComparer.OrdinalIgnoreCase)))];
    }

    /// <summary>The task with <paramref name="id"/>, or null.</summary>
    public async Task<ProjectTask?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await service.LoadAsync(project.ConfigFile, cancellationToken).ConfigureAwait(false)).Find(id);

    /// <summary>The task's history, oldest first (empty for a project without a store).</summary>
    public async Task<IReadOnlyList<TaskEvent>> HistoryAsync(string id, CancellationToken cancellationToken) =>
        File.Exists(service.DatabasePath(project.ConfigFile)) ? await service.HistoryAsync(project.ConfigFile, id, cancellationToken).ConfigureAwait(false) : [];

    /// <summary>Adds a task; throws <see cref="TaskInputException"/> on bad input.</summary>
    public async Task<ProjectTask> CreateAsync(TaskCreateRequest request, CancellationToken cancellationToken)
    {
        var title = Text("title", request.Title)?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            throw new TaskInputException("title", "a task needs a title");
        }
        if (request.Id is { Length: > 0 } id && !TaskIds.IsValid(id))
        {
            throw new TaskInputException("id", $"'{id}' is not a task id (letters, digits, - _ . ; at most 64)");
        }
        var task = new ProjectTask
        {
            Id = request.Id ?? "",
            Title = title,
            Status = Status(request.Status) ?? ProjectTaskStatus.Open,
            Priority = Blank(Text("priority", request.Priority)),
            Assignees = List(request.Assignees),
            Labels = List(request.Labels),
            Description = Blank(Text("description", request.Description)),
        };
        try
        {
            var (added, _) = await service.AddAsync(project.ConfigFile, task, TaskEventSource.Ui, cancellationToken).ConfigureAwait(false);
            await project.WriteTasksAsync(_contributor, cancellationToken).ConfigureAwait(false);
            return added;
        }
        catch (ConfigException ex)
        {
            throw new TaskInputException("id", ex.Message);
        }
    }

    /// <summary>
    /// Updates a task if it is still at <see cref="TaskPatchRequest.Version"/> (checked under the tasks lock, so a
    /// concurrent edit is never overwritten): null when there is no such task; throws
    /// <see cref="StaleTaskVersionException"/> or <see cref="TaskInputException"/>.
    /// </summary>
    public async Task<ProjectTask?> UpdateAsync(string id, TaskPatchRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Version))
        {
            throw new TaskInputException("version", "the task's version (as read) is required");
        }
        var title = Text("title", request.Title);
        if (title is not null && title.Trim().Length == 0)
        {
            throw new TaskInputException("title", "a task needs a title");
        }
        var status = Status(request.Status);
        var priority = Text("priority", request.Priority);
        var description = Text("description", request.Description);
        if (await FindAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }
        try
        {
            var (updated, _) = await service.UpdateAsync(project.ConfigFile, id, current =>
            {
                var version = TaskVersion.Of(current);
                if (!string.Equals(version, request.Version, StringComparison.Ordinal))
                {
                    throw new StaleTaskVersionException(id, version);
                }
                return current with
                {
                    Title = title?.Trim() ?? current.Title,
                    Status = status ?? current.Status,
                    Priority = priority is null ? current.Priority : Blank(priority),
                    Description = description is null ? current.Description : Blank(description),
                    Assignees = request.Assignees is null ? current.Assignees : List(request.Assignees),
                    Labels = request.Labels is null ? current.Labels : List(request.Labels),
                };
            }, TaskEventSource.Ui, cancellationToken).ConfigureAwait(false);
            await project.WriteTasksAsync(_contributor, cancellationToken).ConfigureAwait(false);
            return updated;
        }
        catch (ConfigException ex)
        {
            throw new TaskInputException("task", ex.Message);
        }
    }

    private static ProjectTaskStatus? Status(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        return TaskStatuses.TryParse(name, out var status) ? status : throw new TaskInputException("status", TaskStatuses.Unknown(name));
    }

    private static string? Text(string field, string? value) =>
        value is { Length: > MaxTextLength } ? throw new TaskInputException(field, $"{field} is longer than {MaxTextLength} characters") : value;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static ImmutableArray<string> List(IReadOnlyList<string>? items) =>
        items is null ? [] : [.. items.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal)];
}
