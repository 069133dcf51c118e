using System.Collections.Immutable;
using LlmStruct.Configuration;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace LlmStruct.Tasks.Toml;

/// <summary>
/// Reads the tasks of llmstruct.toml from Tomlyn's syntax tree (so every value keeps its position for messages and
/// in-place edits). Input that cannot be used is a <see cref="ConfigException"/> whose message names the file and line:
/// invalid TOML, a duplicate id (both lines), an unknown status (the allowed ones), a wrongly typed value, a cycle in
/// <c>depends_on</c>.
/// </summary>
public static class TaskTomlReader
{
    /// <summary>The keys a task may have, in the order a new task is written.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["id", "title", "status", "description", "priority", "assignees", "labels", "milestone", "depends_on", "files", "symbols", "github", "gitlab"];

    /// <summary>Reads <paramref name="path"/>; a missing file has no tasks.</summary>
    public static async Task<TaskFile> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : "";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{Path.GetFileName(path)}: cannot read: {ex.Message}", ex);
        }
        return Read(text, Path.GetFileName(path));
    }

    /// <summary>Reads the tasks in <paramref name="text"/>; <paramref name="sourceName"/> is used in messages.</summary>
    public static TaskFile Read(string text, string sourceName = LlmStructOptions.FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var syntax = ParseSyntax(text, sourceName);
        foreach (var kv in syntax.KeyValues)
        {
            if (KeyPath(kv.Key!) is ["tasks", ..])
            {
                throw new ConfigException($"{sourceName}:{Line(kv)}: write tasks as [[tasks]] tables or [tasks.ID] tables, not as a 'tasks' value");
            }
        }

        var entries = ImmutableArray.CreateBuilder<TaskEntry>();
        TaskTableForm? form = null;
        foreach (var table in syntax.Tables)
        {
            var name = KeyPath(table.Name!);
            if (name.Count == 0 || name[0] != "tasks")
            {
                continue;
            }
            int line = Line(table);
            if (table is TableArraySyntax && name.Count == 1)
            {
                form = TaskTableForm.Array;
                entries.Add(ReadEntry(table, null, line, sourceName));
            }
            else if (table is TableSyntax && name.Count == 2 && form != TaskTableForm.Array)
            {
                form = TaskTableForm.Table;
                entries.Add(ReadEntry(table, name[1], line, sourceName));
            }
            else if (table is TableSyntax && name.Count == 1 && table.Items.ChildrenCount == 0)
            {
                // A bare [tasks] header before [tasks.ID] tables.
                form = TaskTableForm.Table;
            }
            else
            {
                throw new ConfigException(
                    $"{sourceName}:{line}: [{string.Join('.', name)}] is not a task table: write [[tasks]] or [tasks.ID], with github/gitlab as inline tables (github = {{ number = 12 }})");
            }
        }

        var built = entries.ToImmutable();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in built)
        {
            if (!seen.TryAdd(entry.Task.Id, entry.Line))
            {
                throw new ConfigException($"{sourceName}:{entry.Line}: duplicate task id '{entry.Task.Id}' (also at line {seen[entry.Task.Id]})");
            }
        }
        if (TaskGraph.FindCycle(built.Select(e => e.Task)) is { } cycle)
        {
            throw new ConfigException($"{sourceName}:{seen[cycle[0]]}: depends_on forms a cycle: {string.Join(" -> ", cycle)} -> {cycle[0]}");
        }
        return new TaskFile(sourceName, text, syntax, form ?? TaskTableForm.Array, built);
    }

    private static TaskEntry ReadEntry(TableSyntaxBase table, string? tableId, int line, string sourceName)
    {
        var keys = ImmutableDictionary.CreateBuilder<string, KeyValueSyntax>(StringComparer.Ordinal);
        var task = new ProjectTask();
        string? id = tableId;
        string? title = null;
        foreach (var kv in table.Items)
        {
            var path = KeyPath(kv.Key!);
            string where = $"{sourceName}:{Line(kv)}";
            if (path.Count != 1)
            {
                throw new ConfigException($"{where}: unknown task key '{string.Join('.', path)}' (known: {string.Join(", ", Keys)})");
            }
            var key = path[0];
            keys[key] = kv;
            var value = kv.Value!;
            switch (key)
            {
                case "id":
                    var written = String(value, where, key);
                    if (tableId is not null && written != tableId)
                    {
                        throw new ConfigException($"{where}: id '{written}' differs from the table's name [tasks.{tableId}]");
                    }
                    id = written;
                    break;
                case "title":
                    title = String(value, where, key);
                    break;
                case "status":
                    var status = String(value, where, key);
                    if (!TaskStatuses.TryParse(status, out var parsed))
                    {
                        throw new ConfigException($"{where}: {TaskStatuses.Unknown(status)}");
                    }
                    task = task with { Status = parsed };
                    break;
                case "description":
                    task = task with { Description = String(value, where, key) };
                    break;
                case "priority":
                    task = task with { Priority = String(value, where, key) };
                    break;
                case "milestone":
                    task = task with { Milestone = String(value, where, key) };
                    break;
                case "assignees":
                    task = task with { Assignees = Strings(value, where, key) };
                    break;
                case "assignee":
                    task = task with { Assignees = [String(value, where, key)] };
                    break;
                case "labels":
                    task = task with { Labels = Strings(value, where, key) };
                    break;
                case "depends_on":
                    task = task with { DependsOn = Strings(value, where, key) };
                    break;
                case "files":
                    task = task with { Files = Strings(value, where, key) };
                    break;
                case "symbols":
                    task = task with { Symbols = Strings(value, where, key) };
                    break;
                case "github":
                    var (number, githubUrl) = Issue(value, where, key, "number");
                    task = task with { GitHub = new GitHubIssueRef { Number = number, Url = githubUrl } };
                    break;
                case "gitlab":
                    var (iid, gitlabUrl) = Issue(value, where, key, "iid");
                    task = task with { GitLab = new GitLabIssueRef { Iid = iid, Url = gitlabUrl } };
                    break;
                default:
                    throw new ConfigException($"{where}: unknown task key '{key}' (known: {string.Join(", ", Keys)})");
            }
        }
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ConfigException($"{sourceName}:{line}: a task needs an id (id = \"TSK-001\"; `llmstruct tasks add` allocates one)");
        }
        if (!TaskIds.IsValid(id))
        {
            throw new ConfigException($"{sourceName}:{line}: task id '{id}' is not valid ({TaskIds.Rule})");
        }
        if (title is null)
        {
            throw new ConfigException($"{sourceName}:{line}: task '{id}' needs a title");
        }
        return new TaskEntry(task with { Id = id, Title = title }, line, table, keys.ToImmutable());
    }

    /// <summary>The syntax tree of <paramref name="text"/>; invalid TOML is a <see cref="ConfigException"/> naming the first error's line and column.</summary>
    internal static DocumentSyntax ParseSyntax(string text, string sourceName)
    {
        DocumentSyntax syntax;
        try
        {
            syntax = SyntaxParser.Parse(text, sourceName, validate: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ConfigException($"{sourceName}: invalid TOML: {ex.Message}", ex);
        }
        if (syntax.HasErrors)
        {
            foreach (var d in syntax.Diagnostics)
            {
                if (d.Kind == DiagnosticMessageKind.Error)
                {
                    throw new ConfigException($"{sourceName}:{d.Span.Start.Line + 1}:{d.Span.Start.Column + 1}: invalid TOML: {d.Message}");
                }
            }
            throw new ConfigException($"{sourceName}: invalid TOML");
        }
        return syntax;
    }

    /// <summary>The 1-based line where a node starts.</summary>
    internal static int Line(SyntaxNode node) => node.Span.Start.Line + 1;

    /// <summary>A key's parts (<c>tasks."TSK 1"</c> gives <c>tasks</c>, <c>TSK 1</c>).</summary>
    internal static List<string> KeyPath(KeySyntax key)
    {
        var parts = new List<string> { KeyText(key.Key!) };
        foreach (var dotted in key.DotKeys)
        {
            parts.Add(KeyText(dotted.Key!));
        }
        return parts;
    }

    private static string KeyText(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => key.ToString(),
    };

    private static string String(ValueSyntax value, string where, string key) =>
        value is StringValueSyntax s ? s.Value ?? "" : throw new ConfigException($"{where}: '{key}' must be a string");

    private static ImmutableArray<string> Strings(ValueSyntax value, string where, string key)
    {
        if (value is not ArraySyntax array)
        {
            throw new ConfigException($"{where}: '{key}' must be an array of strings ([\"a\", \"b\"])");
        }
        var items = ImmutableArray.CreateBuilder<string>();
        foreach (var item in array.Items)
        {
            items.Add(item.Value is StringValueSyntax s ? s.Value ?? "" : throw new ConfigException($"{where}: '{key}' must be an array of strings ([\"a\", \"b\"])"));
        }
        return items.ToImmutable();
    }

    private static (long Number, string? Url) Issue(ValueSyntax value, string where, string key, string numberKey)
    {
        long? number = null;
        string? url = null;
        if (value is IntegerValueSyntax integer)
        {
            number = integer.Value;
        }
        else if (value is InlineTableSyntax table)
        {
            foreach (var item in table.Items)
            {
                var kv = item.KeyValue!;
                var name = string.Join('.', KeyPath(kv.Key!));
                if (name == numberKey && kv.Value is IntegerValueSyntax n)
                {
                    number = n.Value;
                }
                else if (name == "url" && kv.Value is StringValueSyntax u)
                {
                    url = u.Value;
                }
                else
                {
                    throw new ConfigException($"{where}: '{key}' takes {numberKey} (an integer) and url (a string), not '{name}'");
                }
            }
        }
        if (number is not > 0)
        {
            throw new ConfigException($"{where}: '{key}' must be {{ {numberKey} = 12, url = \"…\" }} with a positive {numberKey}");
        }
        return (number.Value, url);
    }
}
