using System.Security.Cryptography;
using System.Text;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using LlmStruct.Tasks.Toml;

namespace LlmStruct.Tasks.Service;

/// <summary>
/// Puts the tasks of llmstruct.toml into struct.json during <c>llmstruct parse</c> (the flow llmstruct.toml → SQLite →
/// struct.json): the store is brought in step with the file, then each task is written with its references resolved
/// against the parsed code; a reference that matches nothing stays, is listed in <c>unresolved</c> and is reported
/// as a warning. Registered by <see cref="TasksBuilderExtensions.AddTasks"/>.
/// </summary>
public sealed class TaskStructContributor : IStructContributor
{
    private readonly TaskService _service;

    /// <summary>Creates the contributor over <paramref name="service"/>.</summary>
    public TaskStructContributor(TaskService service) => _service = service ?? throw new ArgumentNullException(nameof(service));

    /// <inheritdoc />
    public async ValueTask<string?> FingerprintAsync(StructContributionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var file = await TaskTomlReader.ReadFileAsync(context.ConfigFile, cancellationToken).ConfigureAwait(false);
        if (file.Entries.IsEmpty)
        {
            return null;
        }
        var text = new StringBuilder("tasks/1\n");
        foreach (var task in file.Tasks.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            text.Append(TaskContentHash.Compute(task)).Append('\n');
            // Files count when they exist on disk, so creating one changes the output's "unresolved".
            foreach (var path in task.Files)
            {
                var full = Path.Combine(context.Root, path);
                text.Append(path).Append(File.Exists(full) || Directory.Exists(full) ? "+" : "-").Append('\n');
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <inheritdoc />
    public async ValueTask<StructDocument> ContributeAsync(StructDocument document, StructContributionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        var set = await _service.LoadAsync(context.ConfigFile, cancellationToken).ConfigureAwait(false);
        context.Warnings.AddRange(set.Warnings);
        if (set.Tasks.IsEmpty)
        {
            return document;
        }
        var links = new TaskLinks(document, set.Tasks.Select(t => t.Id), context.Root);
        context.Warnings.AddRange(Problems(set, links));
        return document with { Tasks = [.. set.Tasks.Select(t => TaskItems.ToItem(t, links))] };
    }

    /// <summary>One message per reference that matches nothing, naming the file, line and task, in task order.</summary>
    public static IEnumerable<string> Problems(TaskSet set, TaskLinks links)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(links);
        foreach (var task in set.Tasks)
        {
            var where = $"{set.File.SourceName}:{set.File.LineOf(task.Id)}: task {task.Id}";
            foreach (var symbol in task.Symbols.Where(s => links.ResolveSymbol(s) is null))
            {
                yield return $"{where}: symbol '{symbol}' {links.WhyUnresolved(symbol)}";
            }
            foreach (var path in task.Files.Where(f => !links.FileExists(f)))
            {
                yield return $"{where}: file '{path}' does not exist";
            }
            foreach (var dep in task.DependsOn.Where(d => !links.TaskExists(d)))
            {
                yield return $"{where}: depends_on '{dep}' names no task";
            }
        }
    }
}
