using System.Collections.Immutable;

namespace LlmStruct.Tasks.Service;

/// <summary>How incoming tasks (chat, trackers) merge into the file's: by id, else by title; set fields win.</summary>
internal static class TaskMerge
{
    public static (List<ProjectTask> Merged, TaskMergePlan Plan) Plan(List<ProjectTask> current, IReadOnlyList<ProjectTask> incoming, TasksOptions options)
    {
        var merged = new List<ProjectTask>(current);
        var added = ImmutableArray.CreateBuilder<ProjectTask>();
        var changed = ImmutableArray.CreateBuilder<(ProjectTask, ProjectTask)>();
        var unchanged = ImmutableArray.CreateBuilder<string>();
        foreach (var t in incoming)
        {
            int index = !string.IsNullOrEmpty(t.Id)
                ? merged.FindIndex(m => m.Id == t.Id)
                : merged.FindIndex(m => string.Equals(m.Title.Trim(), t.Title.Trim(), StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                var id = string.IsNullOrEmpty(t.Id) ? TaskIds.Next(merged.Select(m => m.Id), options.IdPrefix, options.IdDigits) : t.Id;
                var task = t with { Id = id };
                merged.Add(task);
                added.Add(task);
                continue;
            }
            var before = merged[index];
            // Matched by title: the title stays as the file writes it (the match ignores case and spaces).
            var after = Overlay(before, string.IsNullOrEmpty(t.Id) ? t with { Title = before.Title } : t);
            if (after.ContentEquals(before))
            {
                unchanged.Add(before.Id);
                continue;
            }
            merged[index] = after;
            changed.Add((before, after));
        }
        return (merged, new TaskMergePlan(added.ToImmutable(), changed.ToImmutable(), unchanged.ToImmutable()));
    }

    // The incoming task's set fields over the existing one; an empty list or a null leaves the field as it is. Status
    // counts as set when it is not 'open' (a plain checklist item says nothing about an existing task's status).
    private static ProjectTask Overlay(ProjectTask old, ProjectTask t) => old with
    {
        Title = string.IsNullOrWhiteSpace(t.Title) ? old.Title : t.Title,
        Description = t.Description ?? old.Description,
        Status = t.Status != ProjectTaskStatus.Open ? t.Status : old.Status,
        Priority = t.Priority ?? old.Priority,
        Milestone = t.Milestone ?? old.Milestone,
        Assignees = Union(old.Assignees, t.Assignees),
        Labels = Union(old.Labels, t.Labels),
        DependsOn = Union(old.DependsOn, t.DependsOn),
        Files = Union(old.Files, t.Files),
        Symbols = Union(old.Symbols, t.Symbols),
        GitHub = t.GitHub ?? old.GitHub,
        GitLab = t.GitLab ?? old.GitLab,
    };

    private static ImmutableArray<string> Union(ImmutableArray<string> a, ImmutableArray<string> b) =>
        b.IsDefaultOrEmpty ? a : [.. a, .. b.Where(x => !a.Contains(x, StringComparer.Ordinal))];
}
