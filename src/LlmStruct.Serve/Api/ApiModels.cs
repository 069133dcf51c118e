using System.Text.Json.Serialization;
using LlmStruct.Tasks;

namespace LlmStruct.Serve.Api;

/// <summary>A task as the API returns it.</summary>
/// <param name="Id">Task id.</param>
/// <param name="Title">Title.</param>
/// <param name="Status">Status (open, in_progress, blocked, done, cancelled).</param>
/// <param name="Priority">Priority, free text.</param>
/// <param name="Assignees">Assignees.</param>
/// <param name="Labels">Labels.</param>
/// <param name="Milestone">Milestone.</param>
/// <param name="Description">Markdown text.</param>
/// <param name="DependsOn">Ids of the tasks it depends on.</param>
/// <param name="Files">Linked files.</param>
/// <param name="Symbols">Linked symbols.</param>
/// <param name="Version">The content version: send it back with an update; a changed task refuses a stale one (409).</param>
public sealed record TaskDto(
    string Id, string Title, string Status, string? Priority, IReadOnlyList<string> Assignees, IReadOnlyList<string> Labels,
    string? Milestone, string? Description, IReadOnlyList<string> DependsOn, IReadOnlyList<string> Files, IReadOnlyList<string> Symbols, string Version)
{
    /// <summary>The DTO of <paramref name="task"/>.</summary>
    public static TaskDto From(ProjectTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Title, TaskStatuses.Name(task.Status), task.Priority, task.Assignees, task.Labels, task.Milestone,
            task.Description, task.DependsOn, task.Files, task.Symbols, TaskVersion.Of(task));
    }
}

/// <summary>One change in a task's history.</summary>
/// <param name="Field">The field as named in llmstruct.toml, or <c>created</c> / <c>deleted</c>.</param>
/// <param name="OldValue">Value before.</param>
/// <param name="NewValue">Value after.</param>
/// <param name="Source">Where the change came from (toml, cli, ui, github, gitlab, chat).</param>
/// <param name="At">When it was recorded (UTC, ISO 8601).</param>
public sealed record TaskEventDto(string Field, string? OldValue, string? NewValue, string Source, string At);

/// <summary>A task with its history.</summary>
/// <param name="Task">The task.</param>
/// <param name="History">Its changes, oldest first.</param>
public sealed record TaskDetailDto(TaskDto Task, IReadOnlyList<TaskEventDto> History);

/// <summary>A new task. An absent id is allocated; an absent status is <c>open</c>.</summary>
/// <param name="Id">Task id, or null to allocate one.</param>
/// <param name="Title">Title (required).</param>
/// <param name="Status">Status.</param>
/// <param name="Priority">Priority.</param>
/// <param name="Assignees">Assignees.</param>
/// <param name="Labels">Labels.</param>
/// <param name="Description">Markdown text.</param>
public sealed record TaskCreateRequest(
    string? Id, string? Title, string? Status, string? Priority, IReadOnlyList<string>? Assignees, IReadOnlyList<string>? Labels, string? Description);

/// <summary>
/// An update: the fields given are set (an empty string clears priority or description), the others kept. The
/// version read with the task is required; when the task changed since, the update is refused (409).
/// </summary>
/// <param name="Version">The version the client saw (required).</param>
/// <param name="Title">New title.</param>
/// <param name="Status">New status.</param>
/// <param name="Priority">New priority ("" clears it).</param>
/// <param name="Assignees">New assignees (replace the list).</param>
/// <param name="Labels">New labels (replace the list).</param>
/// <param name="Description">New description ("" clears it).</param>
public sealed record TaskPatchRequest(
    string? Version, string? Title, string? Status, string? Priority, IReadOnlyList<string>? Assignees, IReadOnlyList<string>? Labels, string? Description);

/// <summary>A definition found by the symbol search.</summary>
/// <param name="Id">Definition id (the code map page: <c>/code/symbol?id=…</c>).</param>
/// <param name="Name">Name.</param>
/// <param name="QualifiedName">Qualified name.</param>
/// <param name="Kind">Kind (function, class, method…).</param>
/// <param name="Path">Module path.</param>
/// <param name="Line">First line.</param>
public sealed record SymbolHitDto(string Id, string Name, string QualifiedName, string Kind, string Path, int Line);

/// <summary>A context request.</summary>
/// <param name="Focus">Focus paths or symbols.</param>
/// <param name="Budget">Token budget (at least 1).</param>
/// <param name="Format">md, xml or json.</param>
/// <param name="Tokenizer">o200k or cl100k.</param>
public sealed record ContextApiRequest(IReadOnlyList<string>? Focus, int? Budget, string? Format, string? Tokenizer);

/// <summary>A rendered context.</summary>
/// <param name="Text">The context.</param>
/// <param name="Tokens">Its exact token count with the tokenizer.</param>
/// <param name="Budget">The budget.</param>
/// <param name="FilesIncluded">Files in the context.</param>
/// <param name="FilesTotal">Files ranked.</param>
public sealed record ContextApiResult(string Text, int Tokens, int Budget, int FilesIncluded, int FilesTotal);

/// <summary>The JSON contract of the API, generated at build time (no reflection: Native AOT).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TaskDto))]
[JsonSerializable(typeof(IReadOnlyList<TaskDto>))]
[JsonSerializable(typeof(TaskDetailDto))]
[JsonSerializable(typeof(TaskCreateRequest))]
[JsonSerializable(typeof(TaskPatchRequest))]
[JsonSerializable(typeof(IReadOnlyList<SymbolHitDto>))]
[JsonSerializable(typeof(ContextApiRequest))]
[JsonSerializable(typeof(ContextApiResult))]
internal sealed partial class ServeJsonContext : JsonSerializerContext;
