using System.Collections.Immutable;
using LlmStruct.Configuration;
using LlmStruct.Model;

namespace LlmStruct.Tasks.Service;

/// <summary>Converts between the tasks package's <see cref="ProjectTask"/> and struct.json's <see cref="TaskItem"/>.</summary>
public static class TaskItems
{
    /// <summary>
    /// The struct.json form of <paramref name="task"/> after <paramref name="links"/> resolved its references
    /// (symbols as definition ids where they resolved; what matched nothing in <see cref="TaskItem.Unresolved"/>).
    /// Lists come out sorted and without duplicates.
    /// </summary>
    public static TaskItem ToItem(ProjectTask task, TaskLinks links)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(links);
        var unresolved = new List<string>();
        var symbols = new List<string>();
        foreach (var symbol in task.Symbols)
        {
            if (links.ResolveSymbol(symbol) is { } id)
            {
                symbols.Add(id);
            }
            else
            {
                symbols.Add(symbol);
                unresolved.Add(symbol);
            }
        }
        unresolved.AddRange(task.Files.Where(f => !links.FileExists(f)));
        unresolved.AddRange(task.DependsOn.Where(d => !links.TaskExists(d)));
        return new TaskItem
        {
            Id = task.Id,
            Title = task.Title,
            Status = TaskStatuses.Name(task.Status),
            Description = task.Description,
            Labels = Set(task.Labels),
            Priority = task.Priority,
            Assignees = Set(task.Assignees),
            Milestone = task.Milestone,
            DependsOn = Set(task.DependsOn),
            Files = Set(task.Files),
            Symbols = Set(symbols),
            Unresolved = Set(unresolved),
            Github = task.GitHub is { } gh ? new TaskGitHubLink { Number = gh.Number, Url = gh.Url } : null,
            Gitlab = task.GitLab is { } gl ? new TaskGitLabLink { Iid = gl.Iid, Url = gl.Url } : null,
        };
    }

    /// <summary>The task a struct.json entry describes (symbols as struct.json holds them). Throws <see cref="ConfigException"/> for an unknown status.</summary>
    public static ProjectTask FromItem(TaskItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!TaskStatuses.TryParse(item.Status, out var status))
        {
            throw new ConfigException($"task '{item.Id}': {TaskStatuses.Unknown(item.Status)}");
        }
        return new ProjectTask
        {
            Id = item.Id,
            Title = item.Title,
            Description = item.Description,
            Status = status,
            Priority = item.Priority,
            Assignees = Orig(item.Assignees),
            Labels = Orig(item.Labels),
            Milestone = item.Milestone,
            DependsOn = Orig(item.DependsOn),
            Files = Orig(item.Files),
            Symbols = Orig(item.Symbols),
            GitHub = item.Github is { } gh ? new GitHubIssueRef { Number = gh.Number, Url = gh.Url } : null,
            GitLab = item.Gitlab is { } gl ? new GitLabIssueRef { Iid = gl.Iid, Url = gl.Url } : null,
        };
    }

    private static ImmutableArray<string> Orig(ImmutableArray<string> items) => items.IsDefault ? [] : items;

    private static ImmutableArray<string> Set(IEnumerable<string> items) => [.. items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
