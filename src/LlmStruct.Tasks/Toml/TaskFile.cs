using System.Collections.Immutable;
using Tomlyn.Syntax;

namespace LlmStruct.Tasks.Toml;

/// <summary>How a file writes its tasks: <c>[[tasks]]</c> entries or <c>[tasks.ID]</c> tables (TOML allows one per file).</summary>
public enum TaskTableForm
{
    /// <summary><c>[[tasks]]</c> with <c>id = "…"</c> inside (also the form for a file without tasks yet).</summary>
    Array,

    /// <summary><c>[tasks.TSK-011]</c>: the id is the table's name.</summary>
    Table,
}

/// <summary>The tasks read from one llmstruct.toml, with where each one stands in the text (for editing in place).</summary>
public sealed class TaskFile
{
    internal TaskFile(string sourceName, string text, DocumentSyntax syntax, TaskTableForm form, ImmutableArray<TaskEntry> entries)
    {
        SourceName = sourceName;
        Text = text;
        Syntax = syntax;
        Form = form;
        Entries = entries;
    }

    /// <summary>The name used in messages (the file name).</summary>
    public string SourceName { get; }

    /// <summary>The file's text as read.</summary>
    public string Text { get; }

    internal DocumentSyntax Syntax { get; }

    /// <summary>The form the file uses.</summary>
    public TaskTableForm Form { get; }

    internal ImmutableArray<TaskEntry> Entries { get; }

    /// <summary>The tasks in file order.</summary>
    public ImmutableArray<ProjectTask> Tasks => [.. Entries.Select(e => e.Task)];

    /// <summary>The 1-based line of a task's table header, or 0 when there is no such task.</summary>
    public int LineOf(string id) => Entries.FirstOrDefault(e => e.Task.Id == id)?.Line ?? 0;
}

/// <summary>One task's table in the text.</summary>
internal sealed record TaskEntry(ProjectTask Task, int Line, TableSyntaxBase Table, ImmutableDictionary<string, KeyValueSyntax> Keys);
