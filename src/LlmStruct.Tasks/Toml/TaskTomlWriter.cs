using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Tomlyn.Syntax;

namespace LlmStruct.Tasks.Toml;

/// <summary>
/// Writes tasks back into llmstruct.toml by editing the text in place at the positions Tomlyn's syntax tree gives:
/// only the values that changed are replaced, a key added goes after the table's last key, a new task is appended
/// in the file's form. Comments, blank lines, key order, quoting and every untouched byte stay as the user wrote
/// them. Lists compare as sets (a list whose items are the same in another order is left alone).
/// </summary>
public static class TaskTomlWriter
{
    /// <summary>
    /// The text of <paramref name="file"/> with its tasks made equal to <paramref name="tasks"/> (matched by id; a task
    /// of the file that is not in <paramref name="tasks"/> is removed with its table). <paramref name="sameSymbol"/>
    /// tells whether a symbol as written in the file and a symbol of <paramref name="tasks"/> name the same code (e.g.
    /// a qualified name and the definition id it resolves to); by default they must be equal.
    /// </summary>
    public static string Apply(TaskFile file, IEnumerable<ProjectTask> tasks, Func<string, string, bool>? sameSymbol = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(tasks);
        var wanted = tasks.ToList();
        var byId = wanted.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var edits = new List<(int Start, int End, string Text)>();
        var text = file.Text;
        string newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";

        foreach (var entry in file.Entries)
        {
            if (!byId.TryGetValue(entry.Task.Id, out var now))
            {
                edits.Add((LineStart(text, entry.Table.Span.Start.Offset), TableEnd(text, entry), ""));
                continue;
            }
            var old = entry.Task;
            foreach (var key in TaskTomlReader.Keys)
            {
                if (key == "id")
                {
                    continue;
                }
                // The singular form a user may write stands for assignees.
                var kv = entry.Keys.GetValueOrDefault(key) ?? (key == "assignees" ? entry.Keys.GetValueOrDefault("assignee") : null);
                if (Same(key, old, now, sameSymbol))
                {
                    continue;
                }
                var value = Format(key, now);
                if (kv is not null)
                {
                    if (value is null)
                    {
                        edits.Add((LineStart(text, kv.Span.Start.Offset), LineEnd(text, End(kv.Value!)), ""));
                    }
                    else if (TaskTomlReader.KeyPath(kv.Key!)[0] == "assignee")
                    {
                        edits.Add((kv.Key!.Span.Start.Offset, End(kv.Value!), $"assignees = {value}"));
                    }
                    else
                    {
                        edits.Add((kv.Value!.Span.Start.Offset, End(kv.Value!), value));
                    }
                }
                else if (value is not null)
                {
                    var (at, indent) = InsertionPoint(text, entry);
                    edits.Add((at, at, $"{indent}{key} = {value}{newline}"));
                }
            }
        }

        var known = file.Entries.Select(e => e.Task.Id).ToHashSet(StringComparer.Ordinal);
        var added = new StringBuilder();
        foreach (var task in wanted.Where(t => !known.Contains(t.Id)))
        {
            added.Append(newline);
            added.Append(file.Form == TaskTableForm.Array ? "[[tasks]]" : $"[tasks.{Key(task.Id)}]").Append(newline);
            foreach (var key in TaskTomlReader.Keys)
            {
                if (key == "id" && file.Form == TaskTableForm.Table)
                {
                    continue;
                }
                if ((key == "id" ? Quote(task.Id) : Format(key, task)) is { } value)
                {
                    added.Append(key).Append(" = ").Append(value).Append(newline);
                }
            }
        }
        if (added.Length > 0)
        {
            edits.Add((text.Length, text.Length, text.Length == 0 ? added.ToString(newline.Length, added.Length - newline.Length) : added.ToString()));
        }

        if (edits.Count == 0)
        {
            return text;
        }
        var result = new StringBuilder(text.Length + 256);
        int position = 0;
        // Stable: keys inserted at one point keep their order.
        bool needsBreak = text.Length > 0 && !text.EndsWith('\n');
        foreach (var (start, end, replacement) in edits.OrderBy(e => e.Start).ThenBy(e => e.End))
        {
            if (start < position)
            {
                continue;
            }
            result.Append(text, position, start - position);
            if (start == text.Length && needsBreak)
            {
                // Text added after a last line without a line break: the break first, once.
                result.Append(newline);
                needsBreak = false;
            }
            result.Append(replacement);
            position = end;
        }
        return result.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>Whether <paramref name="key"/> holds the same value in both tasks (lists as sets).</summary>
    private static bool Same(string key, ProjectTask a, ProjectTask b, Func<string, string, bool>? sameSymbol) => key switch
    {
        "title" => a.Title == b.Title,
        "status" => a.Status == b.Status,
        "description" => a.Description == b.Description,
        "priority" => a.Priority == b.Priority,
        "milestone" => a.Milestone == b.Milestone,
        "assignees" => SameSet(a.Assignees, b.Assignees),
        "labels" => SameSet(a.Labels, b.Labels),
        "depends_on" => SameSet(a.DependsOn, b.DependsOn),
        "files" => SameSet(a.Files, b.Files),
        "symbols" => sameSymbol is null ? SameSet(a.Symbols, b.Symbols) : SameSymbols(a.Symbols, b.Symbols, sameSymbol),
        "github" => Equals(a.GitHub, b.GitHub),
        "gitlab" => Equals(a.GitLab, b.GitLab),
        _ => true,
    };

    internal static bool SameSet(ImmutableArray<string> a, ImmutableArray<string> b) =>
        a.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).SequenceEqual(b.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static bool SameSymbols(ImmutableArray<string> written, ImmutableArray<string> now, Func<string, string, bool> same) =>
        written.All(w => now.Any(n => same(w, n))) && now.All(n => written.Any(w => same(w, n)));

    /// <summary>The TOML value for a key of a task, or null when the task has none (the key is then left out).</summary>
    internal static string? Format(string key, ProjectTask t) => key switch
    {
        "id" => Quote(t.Id),
        "title" => Quote(t.Title),
        "status" => Quote(TaskStatuses.Name(t.Status)),
        "description" => t.Description is null ? null : Text(t.Description),
        "priority" => t.Priority is null ? null : Quote(t.Priority),
        "milestone" => t.Milestone is null ? null : Quote(t.Milestone),
        "assignees" => List(t.Assignees),
        "labels" => List(t.Labels),
        "depends_on" => List(t.DependsOn),
        "files" => List(t.Files),
        "symbols" => List(t.Symbols),
        "github" => t.GitHub is { } gh ? Issue("number", gh.Number, gh.Url) : null,
        "gitlab" => t.GitLab is { } gl ? Issue("iid", gl.Iid, gl.Url) : null,
        _ => null,
    };

    private static string? List(ImmutableArray<string> items) =>
        items.IsDefaultOrEmpty ? null : "[" + string.Join(", ", items.Select(Quote)) + "]";

    private static string Issue(string name, long number, string? url) =>
        url is null
            ? $"{{ {name} = {number.ToString(CultureInfo.InvariantCulture)} }}"
            : $"{{ {name} = {number.ToString(CultureInfo.InvariantCulture)}, url = {Quote(url)} }}";

    /// <summary>A table-name key: bare when TOML allows it, else quoted.</summary>
    internal static string Key(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? name : Quote(name);

    // A description with line breaks reads best as a multi-line literal string, when it can be one.
    private static string Text(string value) =>
        value.Contains('\n') && !value.Contains("'''", StringComparison.Ordinal) && !value.EndsWith('\'')
        && value.All(c => c is '\n' or '\t' || (c >= ' ' && c != '\u007f'))
            ? "'''\n" + value + "'''"
            : Quote(value);

    /// <summary>A TOML basic string.</summary>
    internal static string Quote(string value)
    {
        var s = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                case '\b': s.Append("\\b"); break;
                case '\f': s.Append("\\f"); break;
                default:
                    if (c < ' ' || c == '\u007f')
                    {
                        s.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        s.Append(c);
                    }
                    break;
            }
        }
        return s.Append('"').ToString();
    }

    // Tomlyn's spans end on their last character.
    private static int End(SyntaxNode node) => node.Span.End.Offset + 1;

    private static int LineStart(string text, int offset)
    {
        int i = offset;
        while (i > 0 && text[i - 1] is ' ' or '\t')
        {
            i--;
        }
        return i;
    }

    // Past the line break that ends the line holding offset (comments on that line go with it).
    private static int LineEnd(string text, int offset)
    {
        int newline = text.IndexOf('\n', Math.Min(offset, text.Length));
        return newline < 0 ? text.Length : newline + 1;
    }

    private static int TableEnd(string text, TaskEntry entry)
    {
        int last = End(entry.Table.Name!);
        foreach (var kv in entry.Table.Items)
        {
            last = Math.Max(last, End(kv.Value!));
        }
        return LineEnd(text, last);
    }

    private static (int At, string Indent) InsertionPoint(string text, TaskEntry entry)
    {
        KeyValueSyntax? lastKey = null;
        foreach (var kv in entry.Table.Items)
        {
            lastKey = kv;
        }
        if (lastKey is null)
        {
            return (LineEnd(text, End(entry.Table.Name!)), "");
        }
        int start = LineStart(text, lastKey.Span.Start.Offset);
        var indent = text[start..lastKey.Span.Start.Offset];
        return (LineEnd(text, End(lastKey.Value!)), indent);
    }
}
