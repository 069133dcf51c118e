using System.CommandLine;
using System.Collections.Immutable;
using LlmStruct.Configuration;
using LlmStruct.Llm;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Chat;
using LlmStruct.Tasks.Service;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct tasks list|show|add|update|import-chat</c>: thin commands over <see cref="TaskService"/>. Exit 0 ok,
/// 1 no valid task list from the model (<c>import-chat --llm</c>), 2 bad usage, bad tasks input or I/O.
/// </summary>
internal static class TasksCommand
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services, Func<LlmOptions, string, ServiceProvider> llmServices)
    {
        var command = new Command("tasks", "Project tasks: [[tasks]] in llmstruct.toml, mirrored in .llmstruct/llmstruct.db and written into struct.json.")
        {
            List(console, services),
            Show(console, services),
            Add(console, services),
            Update(console, services),
            ImportChat(console, services, llmServices),
            TasksSyncCommand.Create(console),
        };
        return command;
    }

    /// <summary>--config and --root, which every subcommand takes.</summary>
    internal sealed class Where
    {
        public Option<FileInfo> Config { get; } = new("--config", "-c") { Description = "llmstruct.toml to use (default: in --root, else the current folder)." };

        public Option<DirectoryInfo> Root { get; } = new("--root", "-r") { Description = "Project folder (default: the current folder)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Config);
            command.Options.Add(Root);
        }

        public string ConfigFileOf(ParseResult result)
        {
            var root = result.GetValue(Root)?.FullName ?? Environment.CurrentDirectory;
            var config = result.GetValue(Config);
            if (config is not null)
            {
                return config.Exists ? config.FullName : throw new ConfigException($"configuration file not found: {config}");
            }
            return Path.Combine(root, LlmStructOptions.FileName);
        }
    }

    private static Command List(CliConsole console, Func<ServiceProvider> services)
    {
        var where = new Where();
        var status = new Option<string>("--status") { Description = $"Only tasks with this status ({string.Join(", ", TaskStatuses.Names)})." };
        var json = new Option<bool>("--json") { Description = "Print JSON (struct.json's task shape)." };
        var command = new Command("list", "List the tasks, ordered by id.") { status, json };
        where.AddTo(command);
        command.SetAction((result, ct) => RunAsync(console, services, async service =>
        {
            ProjectTaskStatus? only = null;
            if (result.GetValue(status) is { } s)
            {
                only = TaskStatuses.TryParse(s, out var parsed) ? parsed : throw new ConfigException($"--status: {TaskStatuses.Unknown(s)}");
            }
            var set = await service.LoadAsync(where.ConfigFileOf(result), ct).ConfigureAwait(false);
            await WarnAsync(console, set.Warnings).ConfigureAwait(false);
            var tasks = set.Tasks.Where(t => only is null || t.Status == only).ToList();
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(TaskJsonWriter.Write(tasks)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            foreach (var t in tasks)
            {
                var who = t.Assignees.IsEmpty ? "" : "  " + string.Join(' ', t.Assignees);
                await console.Out.WriteLineAsync($"{t.Id}  [{TaskStatuses.Name(t.Status)}]  {t.Title}{who}").ConfigureAwait(false);
            }
            if (tasks.Count == 0)
            {
                await console.Error.WriteLineAsync("no tasks").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Show(CliConsole console, Func<ServiceProvider> services)
    {
        var where = new Where();
        var id = new Argument<string>("id") { Description = "Task id." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var command = new Command("show", "Show one task and its history.") { id, json };
        where.AddTo(command);
        command.SetAction((result, ct) => RunAsync(console, services, async service =>
        {
            var configFile = where.ConfigFileOf(result);
            var set = await service.LoadAsync(configFile, ct).ConfigureAwait(false);
            await WarnAsync(console, set.Warnings).ConfigureAwait(false);
            var task = set.Find(result.GetValue(id)!) ?? throw new ConfigException($"no task '{result.GetValue(id)}' in {Path.GetFileName(configFile)}");
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(TaskJsonWriter.Write([task])[1..^1].Trim()).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            await console.Out.WriteAsync(TaskContext.Plain(task)).ConfigureAwait(false);
            var history = await service.HistoryAsync(configFile, task.Id, ct).ConfigureAwait(false);
            if (history.Count > 0)
            {
                await console.Out.WriteLineAsync("history:").ConfigureAwait(false);
                foreach (var e in history)
                {
                    var change = e.Field is "created" or "deleted" ? e.Field : $"{e.Field}: {e.OldValue ?? "-"} -> {e.NewValue ?? "-"}";
                    await console.Out.WriteLineAsync($"  {e.At:yyyy-MM-dd HH:mm:ss}Z  {TaskNames.Name(e.Source),-6}  {change}").ConfigureAwait(false);
                }
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The field options of add and update.</summary>
    private sealed class Fields
    {
        public Option<string> Title { get; } = new("--title") { Description = "One-line title." };
        public Option<string> Status { get; } = new("--status") { Description = $"Status ({string.Join(", ", TaskStatuses.Names)})." };
        public Option<string> Description { get; } = new("--description") { Description = "Description (markdown)." };
        public Option<string> Priority { get; } = new("--priority") { Description = "Priority (free text, e.g. high)." };
        public Option<string> Milestone { get; } = new("--milestone") { Description = "Milestone." };
        public Option<string[]> Assign { get; } = new("--assign") { Description = "Add an assignee (@name); repeatable." };
        public Option<string[]> Label { get; } = new("--label") { Description = "Add a label; repeatable." };
        public Option<string[]> DependsOn { get; } = new("--depends-on") { Description = "Add a task id this one waits for; repeatable." };
        public Option<string[]> File { get; } = new("--file") { Description = "Add a file (path relative to the root); repeatable." };
        public Option<string[]> Symbol { get; } = new("--symbol") { Description = "Add a symbol (definition id or qualified name); repeatable." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Title, Status, Description, Priority, Milestone, Assign, Label, DependsOn, File, Symbol })
            {
                command.Options.Add(option);
            }
        }

        public ProjectTask Apply(ProjectTask t, ParseResult r)
        {
            if (r.GetValue(Status) is { } s)
            {
                t = t with { Status = TaskStatuses.TryParse(s, out var parsed) ? parsed : throw new ConfigException($"--status: {TaskStatuses.Unknown(s)}") };
            }
            return t with
            {
                Title = r.GetValue(Title) ?? t.Title,
                Description = r.GetValue(Description) ?? t.Description,
                Priority = r.GetValue(Priority) ?? t.Priority,
                Milestone = r.GetValue(Milestone) ?? t.Milestone,
                Assignees = Add(t.Assignees, (r.GetValue(Assign) ?? []).Select(a => a.StartsWith('@') ? a : "@" + a)),
                Labels = Add(t.Labels, r.GetValue(Label) ?? []),
                DependsOn = Add(t.DependsOn, r.GetValue(DependsOn) ?? []),
                Files = Add(t.Files, r.GetValue(File) ?? []),
                Symbols = Add(t.Symbols, r.GetValue(Symbol) ?? []),
            };
        }

        private static ImmutableArray<string> Add(ImmutableArray<string> list, IEnumerable<string> more) =>
            [.. list, .. more.Where(m => !list.Contains(m, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)];
    }

    private static Command Add(CliConsole console, Func<ServiceProvider> services)
    {
        var where = new Where();
        var fields = new Fields();
        var id = new Option<string>("--id") { Description = "Task id (default: the next free PREFIX-NNN)." };
        var command = new Command("add", "Add a task to llmstruct.toml (and the store).") { id };
        fields.AddTo(command);
        where.AddTo(command);
        command.SetAction((result, ct) => RunAsync(console, services, async service =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValue(fields.Title)))
            {
                throw new ConfigException("--title is required");
            }
            var draft = fields.Apply(new ProjectTask { Id = result.GetValue(id) ?? "" }, result);
            var (task, warnings) = await service.AddAsync(where.ConfigFileOf(result), draft, TaskEventSource.Cli, ct).ConfigureAwait(false);
            await WarnAsync(console, warnings).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"added {task.Id}: {task.Title}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Update(CliConsole console, Func<ServiceProvider> services)
    {
        var where = new Where();
        var fields = new Fields();
        var id = new Argument<string>("id") { Description = "Task id." };
        var unassign = new Option<string[]>("--unassign") { Description = "Remove an assignee; repeatable." };
        var unlabel = new Option<string[]>("--unlabel") { Description = "Remove a label; repeatable." };
        var command = new Command("update", "Change a task in llmstruct.toml in place (comments and formatting kept) and in the store.") { id, unassign, unlabel };
        fields.AddTo(command);
        where.AddTo(command);
        command.SetAction((result, ct) => RunAsync(console, services, async service =>
        {
            var remove = (result.GetValue(unassign) ?? []).Select(a => a.StartsWith('@') ? a : "@" + a).ToHashSet(StringComparer.Ordinal);
            var removeLabels = (result.GetValue(unlabel) ?? []).ToHashSet(StringComparer.Ordinal);
            var (task, warnings) = await service.UpdateAsync(where.ConfigFileOf(result), result.GetValue(id)!, t =>
            {
                var changed = fields.Apply(t, result);
                return changed with
                {
                    Assignees = [.. changed.Assignees.Where(a => !remove.Contains(a))],
                    Labels = [.. changed.Labels.Where(l => !removeLabels.Contains(l))],
                };
            }, TaskEventSource.Cli, ct).ConfigureAwait(false);
            await WarnAsync(console, warnings).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"updated {task.Id}: [{TaskStatuses.Name(task.Status)}] {task.Title}").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ImportChat(CliConsole console, Func<ServiceProvider> services, Func<LlmOptions, string, ServiceProvider> llmServices)
    {
        var where = new Where();
        var file = new Argument<string>("file") { Description = "Chat transcript to read ('-' for standard input)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be added or changed; write nothing." };
        var llm = new Option<bool>("--llm") { Description = "Ask the configured LLMs ([llm] in llmstruct.toml) for the tasks, through a JSON schema." };
        var provider = new Option<string>("--provider", "-p") { Description = "With --llm: ask only this provider." };
        var retries = new Option<int>("--retries") { Description = "With --llm: how many times an invalid answer is sent back.", DefaultValueFactory = _ => 2 };
        var command = new Command("import-chat", "Take tasks from chatbot output (checklists, numbered lists, tables, fenced JSON/TOML) and merge them by id or title.")
        {
            file, dryRun, llm, provider, retries,
        };
        where.AddTo(command);
        command.SetAction((result, ct) => RunAsync(console, services, async service =>
        {
            var configFile = where.ConfigFileOf(result);
            var path = result.GetValue(file)!;
            var text = path == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await System.IO.File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            ImmutableArray<ProjectTask> found;
            if (result.GetValue(llm))
            {
                if (result.GetValue(retries) < 0)
                {
                    throw new ConfigException("--retries must be 0 or more");
                }
                var options = (await ConfigLoader.LoadAsync(configFile, ct).ConfigureAwait(false)).Options.Llm;
                if (options.Providers.Count == 0)
                {
                    throw new ConfigException("no LLM is configured: add [[llm.providers]] to llmstruct.toml (see docs/llm.md)");
                }
                if (result.GetValue(provider) is { } only)
                {
                    options.Order = options.Providers.Any(p => p.Name == only) ? [only] : throw new ConfigException($"--provider {only}: no such provider in [[llm.providers]]");
                }
                using var provided = llmServices(options, Path.GetDirectoryName(Path.GetFullPath(configFile))!);
                var chat = provided.GetRequiredService<LlmAssistant>().ChatClient;
                try
                {
                    found = await new LlmTaskExtractor(chat, result.GetValue(retries)).ExtractAsync(text, ct).ConfigureAwait(false);
                }
                catch (TaskExtractionException ex)
                {
                    for (int i = 0; i < ex.Errors.Count; i++)
                    {
                        await console.Error.WriteLineAsync($"attempt {i + 1}: {ex.Errors[i]}").ConfigureAwait(false);
                    }
                    return await console.FailAsync(ExitCodes.ModelFailed, ex.Message).ConfigureAwait(false);
                }
            }
            else
            {
                found = ChatTaskExtractor.Extract(text);
            }
            var (plan, warnings) = await service.MergeAsync(configFile, found, result.GetValue(dryRun), TaskEventSource.Chat, ct).ConfigureAwait(false);
            await WarnAsync(console, warnings).ConfigureAwait(false);
            var verb = result.GetValue(dryRun) ? "would " : "";
            foreach (var t in plan.Added)
            {
                await console.Out.WriteLineAsync($"{verb}add {t.Id}: [{TaskStatuses.Name(t.Status)}] {t.Title}").ConfigureAwait(false);
            }
            foreach (var (before, after) in plan.Changed)
            {
                await console.Out.WriteLineAsync($"{verb}change {after.Id}: {Describe(before, after)}").ConfigureAwait(false);
            }
            await console.Error.WriteLineAsync(
                $"{found.Length} tasks found: {plan.Added.Length} {(result.GetValue(dryRun) ? "to add" : "added")}, {plan.Changed.Length} {(result.GetValue(dryRun) ? "to change" : "changed")}, {plan.Unchanged.Length} unchanged")
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Describe(ProjectTask before, ProjectTask after)
    {
        var parts = new List<string>();
        if (before.Title != after.Title) parts.Add($"title '{before.Title}' -> '{after.Title}'");
        if (before.Status != after.Status) parts.Add($"status {TaskStatuses.Name(before.Status)} -> {TaskStatuses.Name(after.Status)}");
        if (before.Description != after.Description) parts.Add("description");
        if (before.Priority != after.Priority) parts.Add($"priority {before.Priority ?? "-"} -> {after.Priority ?? "-"}");
        if (before.Milestone != after.Milestone) parts.Add($"milestone {before.Milestone ?? "-"} -> {after.Milestone ?? "-"}");
        foreach (var (name, a, b) in new[] { ("assignees", before.Assignees, after.Assignees), ("labels", before.Labels, after.Labels), ("depends_on", before.DependsOn, after.DependsOn), ("files", before.Files, after.Files), ("symbols", before.Symbols, after.Symbols) })
        {
            var added = b.Except(a, StringComparer.Ordinal).ToList();
            if (added.Count > 0) parts.Add($"{name} +{string.Join(", +", added)}");
        }
        return string.Join("; ", parts);
    }

    private static async Task WarnAsync(CliConsole console, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings)
        {
            await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }
    }

    private static async Task<int> RunAsync(CliConsole console, Func<ServiceProvider> services, Func<TaskService, Task<int>> work)
    {
        using var provider = services();
        try
        {
            return await work(provider.GetRequiredService<TaskService>()).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
        }
    }
}
