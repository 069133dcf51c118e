using System.CommandLine;
using System.Text;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Context;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using LlmStruct.Ranking;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct context</c>: render a token-budgeted context from struct.json (given, or found in the input folder),
/// else from a fresh parse. Rendered contexts are cached under <c>.llmstruct/context/</c>.
/// </summary>
internal static class ContextCommand
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "Project folder (default: the current folder); its struct.json is used when present, else it is parsed." };
        var structFile = new Option<FileInfo>("--struct", "-s") { Description = "struct.json to read (instead of --input)." };
        var budget = new Option<int>("--budget", "-b") { Description = "Token budget.", DefaultValueFactory = _ => ContextRequest.DefaultBudget };
        var focus = new Option<string[]>("--focus", "-f") { Description = "Focus path (file or folder) or symbol; repeatable.", AllowMultipleArgumentsPerToken = false };
        var format = new Option<string>("--format") { Description = "md, xml or json.", DefaultValueFactory = _ => ContextFormats.Markdown };
        format.AcceptOnlyFromAmong([.. ContextFormats.All]);
        var tokenizer = new Option<string>("--tokenizer") { Description = "o200k or cl100k.", DefaultValueFactory = _ => ContextTokenizers.O200k };
        tokenizer.AcceptOnlyFromAmong([.. ContextTokenizers.All]);
        var output = new Option<FileInfo>("--output", "-o") { Description = "File to write (default: standard output)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the context cache." };
        var task = new Option<string>("--task", "-t") { Description = "Focus on a task of struct.json (its files and symbols) and include its text." };
        var explain = new Option<bool>("--explain") { Description = "Say why each file is listed (score parts: import, call, reverse, co-change, graph, test, distance)." };
        var noCoChange = new Option<bool>("--no-cochange") { Description = "Rank without the git history's co-change signal." };

        var command = new Command("context", "Render a token-budgeted LLM context of the codebase.")
        {
            input, structFile, budget, focus, format, tokenizer, output, noCache, explain, noCoChange, task,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new ContextArguments(
                result.GetValue(input), result.GetValue(structFile), result.GetValue(budget), result.GetValue(focus) ?? [],
                result.GetValue(format)!, result.GetValue(tokenizer)!, result.GetValue(output), result.GetValue(noCache),
                result.GetValue(explain), result.GetValue(noCoChange)) { Task = result.GetValue(task) };
            using var provider = services();
            return await RunAsync(console, provider, args, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record ContextArguments(
        DirectoryInfo? Input, FileInfo? Struct, int Budget, string[] Focus, string Format, string Tokenizer, FileInfo? Output, bool NoCache, bool Explain, bool NoCoChange)
    {
        /// <summary>A task id to focus on.</summary>
        public string? Task { get; init; }
    }

    private static async Task<int> RunAsync(CliConsole console, ServiceProvider provider, ContextArguments args, CancellationToken cancellationToken)
    {
        if (args.Budget < 1)
        {
            await console.Error.WriteLineAsync("error: --budget must be at least 1").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        if (args.Input is not null && args.Struct is not null)
        {
            await console.Error.WriteLineAsync("error: give --input or --struct, not both").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        var root = args.Input?.FullName ?? (args.Struct is null ? Environment.CurrentDirectory : null);
        if (root is not null && !Directory.Exists(root))
        {
            await console.Error.WriteLineAsync($"error: input folder not found: {root}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }

        byte[] structBytes;
        StructDocument document;
        string cacheRoot;
        try
        {
            var structPath = args.Struct?.FullName ?? Path.Combine(root!, "struct.json");
            if (args.Struct is not null || File.Exists(structPath))
            {
                structBytes = await File.ReadAllBytesAsync(structPath, cancellationToken).ConfigureAwait(false);
                document = StructJson.Deserialize(structBytes);
                cacheRoot = root ?? Path.GetDirectoryName(structPath)!;
            }
            else
            {
                var config = await ConfigLoader.LoadAsync(ConfigFile.Find(null, root!), cancellationToken).ConfigureAwait(false);
                foreach (var warning in config.Warnings)
                {
                    await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
                }
                var pipeline = provider.GetRequiredService<StructPipeline>();
                // A one-shot parse like `parse --no-cache`: collections held back within a budget sized to the folder.
                var parseRequest = new PipelineRequest { Root = root!, Options = config.Options, ConfigPath = ConfigFile.Find(null, root!), CollectionHoldBudget = ParseCommand.CollectionHoldBudget() };
                var parsed = await pipeline.RunAsync(parseRequest, null, cancellationToken).ConfigureAwait(false);
                document = parsed.Document;
                structBytes = StructJson.Serialize(document);
                cacheRoot = root!;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or ConfigException)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }

        // --task: the task's files and symbols join the focus, and its text goes before the context (within the budget).
        string? taskText = null;
        var focusList = args.Focus.ToList();
        int budget = args.Budget;
        if (args.Task is not null)
        {
            var item = document.Tasks.FirstOrDefault(t => t.Id == args.Task);
            if (item is null)
            {
                await console.Error.WriteLineAsync($"error: no task '{args.Task}' in struct.json (add it to llmstruct.toml and run 'llmstruct parse')").ConfigureAwait(false);
                return ExitCodes.UsageOrIo;
            }
            focusList.AddRange(item.Files.Concat(item.Symbols).Where(r => !item.Unresolved.Contains(r)));
            taskText = TaskContext.Render(item, args.Format);
            budget = Math.Max(1, budget - TaskContext.CountTokens(args.Tokenizer, taskText));
        }
        // The history is an input like struct.json: the commit it ends at is part of the cache key.
        var coChange = args.NoCoChange || focusList.Count == 0
            ? null
            : await CoChangeHistory.LoadAsync(cacheRoot, cancellationToken: cancellationToken).ConfigureAwait(false);
        var request = new ContextRequest
        {
            Budget = budget, Focus = [.. focusList], Format = args.Format, Tokenizer = args.Tokenizer, CoChange = coChange, Explain = args.Explain,
        };
        var cache = ContextCache.ForRoot(cacheRoot);
        var key = ContextCache.Key(structBytes, request);
        string? text = args.NoCache ? null : await cache.TryReadAsync(key, cancellationToken).ConfigureAwait(false);
        bool cached = text is not null;
        if (text is null)
        {
            var builder = provider.GetRequiredService<IContextBuilder>();
            text = builder.Build(document, request).Text;
            if (!args.NoCache)
            {
                try
                {
                    await cache.WriteAsync(key, text, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await console.Error.WriteLineAsync($"warning: cannot write the context cache: {ex.Message}").ConfigureAwait(false);
                }
            }
        }

        if (taskText is not null)
        {
            text = TaskContext.Combine(taskText, text, args.Format);
        }
        try
        {
            if (args.Output is not null)
            {
                await StructFileWriter.WriteAtomicAsync(args.Output.FullName, new UTF8Encoding(false).GetBytes(text), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await console.Out.WriteAsync(text).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        return ExitCodes.Ok;
    }
}
