using LlmStruct.Model;
using LlmStruct.Tasks.Toml;

namespace LlmStruct.Tasks.Service;

/// <summary>The task checks of <c>llmstruct validate</c>, over a struct.json document alone.</summary>
public static class TaskReferenceCheck
{
    /// <summary>
    /// One message per problem, at its JSON location: a duplicate id, a status that is not allowed, a reference listed
    /// as unresolved, a symbol that is neither a definition id nor listed as unresolved, a dependency on a missing
    /// task, a cycle in depends_on.
    /// </summary>
    public static IReadOnlyList<string> Check(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<string>();
        var links = new TaskLinks(document, document.Tasks.Select(t => t.Id));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tasks = new List<ProjectTask>();
        for (int i = 0; i < document.Tasks.Length; i++)
        {
            var t = document.Tasks[i];
            var at = $"/tasks/{i} ({t.Id})";
            if (!seen.Add(t.Id))
            {
                problems.Add($"{at}: duplicate task id '{t.Id}'");
            }
            if (!TaskStatuses.TryParse(t.Status, out var status))
            {
                problems.Add($"{at}/status: {TaskStatuses.Unknown(t.Status)}");
            }
            foreach (var reference in t.Unresolved)
            {
                problems.Add($"{at}/unresolved: '{reference}' matches nothing (fix the reference in llmstruct.toml and parse again)");
            }
            foreach (var symbol in t.Symbols.Where(s => links.ResolveSymbol(s) != s && !t.Unresolved.Contains(s)))
            {
                problems.Add($"{at}/symbols: '{symbol}' is not a definition id in this file");
            }
            foreach (var dep in t.DependsOn.Where(d => !links.TaskExists(d) && !t.Unresolved.Contains(d)))
            {
                problems.Add($"{at}/depends_on: '{dep}' names no task");
            }
            tasks.Add(new ProjectTask { Id = t.Id, Title = t.Title, Status = status, DependsOn = t.DependsOn });
        }
        if (TaskGraph.FindCycle(tasks) is { } cycle)
        {
            problems.Add($"/tasks: depends_on forms a cycle: {string.Join(" -> ", cycle)} -> {cycle[0]}");
        }
        return problems;
    }
}
