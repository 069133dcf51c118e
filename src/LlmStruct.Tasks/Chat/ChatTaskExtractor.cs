using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmStruct.Configuration;
using LlmStruct.Tasks.Toml;

namespace LlmStruct.Tasks.Chat;

/// <summary>
/// Takes tasks out of chatbot output without a model, the same text always giving the same tasks in the same order:
/// markdown checklists (<c>- [ ] TSK-012: title</c>, <c>- [x] …</c> is done), numbered lists under a heading or
/// line that names tasks / todos / next steps (or whose items start with an id), markdown tables with a title or task
/// column, and fenced <c>json</c> / <c>toml</c> blocks in the task shape (struct.json's <c>tasks</c> entries or
/// llmstruct.toml's <c>[[tasks]]</c>). Tasks found twice (same id, or same title without id) are merged.
/// </summary>
public static partial class ChatTaskExtractor
{
    /// <summary>The tasks in <paramref name="text"/>, in the order they appear.</summary>
    public static ImmutableArray<ProjectTask> Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var found = new List<ProjectTask>();
        bool listContext = false;
        int sinceContext = int.MaxValue;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (Fence().Match(trimmed) is { Success: true } fence)
            {
                var language = fence.Groups[1].Value.ToLowerInvariant();
                int end = i + 1;
                while (end < lines.Length && !lines[end].Trim().StartsWith("```", StringComparison.Ordinal))
                {
                    end++;
                }
                var body = string.Join('\n', lines[(i + 1)..Math.Min(end, lines.Length)]);
                found.AddRange(language switch
                {
                    "json" => FromJson(body),
                    "toml" => FromToml(body),
                    _ => [],
                });
                i = end;
                continue;
            }
            if (Checklist().Match(line) is { Success: true } check)
            {
                found.Add(FromItem(check.Groups[2].Value, check.Groups[1].Value is "x" or "X" ? ProjectTaskStatus.Done : ProjectTaskStatus.Open));
                continue;
            }
            if (Numbered().Match(line) is { Success: true } numbered)
            {
                var item = numbered.Groups[1].Value;
                if (listContext || LeadingId().IsMatch(item.TrimStart('*', '_', '`')))
                {
                    found.Add(FromItem(item, ProjectTaskStatus.Open));
                }
                sinceContext = 0;
                continue;
            }
            if (trimmed.StartsWith('|') && i + 1 < lines.Length && TableRule().IsMatch(lines[i + 1].Trim()))
            {
                i = ReadTable(lines, i, found);
                continue;
            }
            if (trimmed.Length > 0)
            {
                listContext = TaskWords().IsMatch(trimmed) && (trimmed.StartsWith('#') || trimmed.EndsWith(':') || trimmed.StartsWith("**", StringComparison.Ordinal));
                sinceContext = 0;
            }
            else if (++sinceContext > 1)
            {
                listContext = listContext && sinceContext <= 1;
            }
        }
        return Dedupe(found);
    }

    // "TSK-012: title", "**TSK-012** — title", "title (@kim, #label)".
    private static ProjectTask FromItem(string item, ProjectTaskStatus status)
    {
        var text = item.Trim();
        string id = "";
        if (LeadingId().Match(text.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal)) is { Success: true } m)
        {
            id = m.Groups[1].Value;
            text = m.Groups[2].Value;
        }
        var assignees = Mention().Matches(text).Select(x => x.Groups[1].Value).Distinct(StringComparer.Ordinal).ToImmutableArray();
        var title = text.Trim().TrimEnd('.').Trim();
        return new ProjectTask { Id = id, Title = title, Status = status, Assignees = assignees };
    }

    private static int ReadTable(string[] lines, int start, List<ProjectTask> found)
    {
        var header = Cells(lines[start]).Select(h => h.ToLowerInvariant().Replace(' ', '_')).ToList();
        int Column(params string[] names) => header.FindIndex(h => names.Contains(h));
        int id = Column("id", "task_id"), title = Column("title", "task", "summary", "name"), status = Column("status", "state");
        int priority = Column("priority", "prio"), assignee = Column("assignee", "assignees", "owner"), labels = Column("labels", "label", "tags");
        int milestone = Column("milestone"), depends = Column("depends_on", "depends", "dependencies"), description = Column("description", "details", "notes");
        int i = start + 2;
        for (; i < lines.Length && lines[i].Trim().StartsWith('|'); i++)
        {
            if (title < 0)
            {
                continue;
            }
            var cells = Cells(lines[i]);
            string Cell(int c) => c >= 0 && c < cells.Count ? cells[c] : "";
            if (Cell(title).Length == 0)
            {
                continue;
            }
            var task = new ProjectTask
            {
                Id = TaskIds.IsValid(Cell(id)) ? Cell(id) : "",
                Title = Cell(title),
                Description = Cell(description) is { Length: > 0 } d ? d : null,
                Status = TaskStatuses.TryParse(Cell(status).ToLowerInvariant().Replace(' ', '_'), out var s) ? s : ProjectTaskStatus.Open,
                Priority = Cell(priority) is { Length: > 0 } p ? p : null,
                Milestone = Cell(milestone) is { Length: > 0 } ms ? ms : null,
                Assignees = List(Cell(assignee)),
                Labels = List(Cell(labels)),
                DependsOn = List(Cell(depends)),
            };
            found.Add(task);
        }
        return i - 1;
    }

    private static ImmutableArray<string> List(string cell) =>
        [.. cell.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => x.Trim('`'))];

    private static List<string> Cells(string row)
    {
        var t = row.Trim();
        if (t.StartsWith('|'))
        {
            t = t[1..];
        }
        if (t.EndsWith('|'))
        {
            t = t[..^1];
        }
        return [.. t.Split('|').Select(c => c.Trim().Trim('*').Trim('`').Trim())];
    }

    /// <summary>Tasks in JSON: an array of task objects, <c>{"tasks": [...]}</c>, or one task object (struct.json's task shape).</summary>
    public static ImmutableArray<ProjectTask> FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("tasks", out var tasks))
            {
                root = tasks;
            }
            var items = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : new List<JsonElement> { root };
            return [.. items.Where(e => e.ValueKind == JsonValueKind.Object).Select(TaskJson.Read).Where(t => t.Title.Length > 0)];
        }
        catch (Exception ex) when (ex is JsonException or ConfigException or InvalidOperationException or FormatException)
        {
            return [];
        }
    }

    private static ImmutableArray<ProjectTask> FromToml(string toml)
    {
        try
        {
            return TaskTomlReader.Read(toml, "chat").Tasks;
        }
        catch (ConfigException)
        {
            return [];
        }
    }

    private static ImmutableArray<ProjectTask> Dedupe(List<ProjectTask> found)
    {
        var result = new List<ProjectTask>();
        foreach (var t in found.Where(t => t.Title.Length > 0 || t.Id.Length > 0))
        {
            int index = t.Id.Length > 0
                ? result.FindIndex(r => r.Id == t.Id)
                : result.FindIndex(r => r.Id.Length == 0 && string.Equals(r.Title, t.Title, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                result.Add(t);
            }
            else if (t.Status != ProjectTaskStatus.Open)
            {
                result[index] = result[index] with { Status = t.Status };
            }
        }
        return [.. result];
    }

    [GeneratedRegex(@"^```\s*([A-Za-z]*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\s*[-*+]\s+\[([ xX])\]\s+(.+?)\s*$")]
    private static partial Regex Checklist();

    [GeneratedRegex(@"^\s{0,3}\d{1,3}[.)]\s+(.+?)\s*$")]
    private static partial Regex Numbered();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9_]*-\d+)\s*[:—–-]\s*(.*)$")]
    private static partial Regex LeadingId();

    [GeneratedRegex(@"(?<![\w@])(@[A-Za-z0-9][A-Za-z0-9-]*)")]
    private static partial Regex Mention();

    [GeneratedRegex(@"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")]
    private static partial Regex TableRule();

    [GeneratedRegex(@"\b(tasks?|todos?|to-dos?|to do|action items?|next steps?|backlog)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TaskWords();
}
