using System.CommandLine;
using System.Diagnostics;
using LlmStruct.Configuration;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LlmStruct.Cli.Commands;

/// <summary><c>llmstruct parse</c>: discover, parse and write struct.json.</summary>
internal static class ParseCommand
{
    public static Command Create(CliConsole console, Func<ServiceProvider> services)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "Folder to parse.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "File to write (default: struct.json in the current folder)." };
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "Configuration file (default: llmstruct.toml in the input folder, else in the current folder).",
        };
        var failOnError = new Option<bool>("--fail-on-error") { Description = "Exit with 1 when any file has errors." };
        var jobs = new Option<int?>("--jobs", "-j") { Description = "Files parsed at once (default: processor count)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bar and no summary." };

        var command = new Command("parse", "Parse a folder into struct.json.") { input, output, config, failOnError, jobs, quiet };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ParseArguments(
                result.GetValue(input)!, result.GetValue(output), result.GetValue(config), result.GetValue(failOnError),
                result.GetValue(jobs), result.GetValue(quiet));
            using var provider = services();
            return await RunAsync(console, provider, options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record ParseArguments(DirectoryInfo Input, FileInfo? Output, FileInfo? Config, bool FailOnError, int? Jobs, bool Quiet);

    private static async Task<int> RunAsync(CliConsole console, ServiceProvider provider, ParseArguments args, CancellationToken cancellationToken)
    {
        if (!args.Input.Exists)
        {
            await console.Error.WriteLineAsync($"error: input folder not found: {args.Input}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        if (args.Jobs is < 1)
        {
            await console.Error.WriteLineAsync("error: --jobs must be at least 1").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }

        LoadedConfig config;
        try
        {
            config = await ConfigLoader.LoadAsync(FindConfig(args), cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }
        foreach (var warning in config.Warnings)
        {
            await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        var pipeline = provider.GetRequiredService<StructPipeline>();
        var request = new PipelineRequest
        {
            Root = args.Input.FullName,
            Options = config.Options,
            MaxDegreeOfParallelism = args.Jobs ?? Environment.ProcessorCount,
        };
        var outputPath = args.Output?.FullName ?? Path.GetFullPath("struct.json");
        var stopwatch = Stopwatch.StartNew();
        PipelineResult result;
        try
        {
            result = await RunWithProgressAsync(console, pipeline, request, args.Quiet, cancellationToken).ConfigureAwait(false);
            await StructFileWriter.WriteAsync(outputPath, result.Document, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidStructException)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIo;
        }

        var doc = result.Document;
        if (!args.Quiet)
        {
            foreach (var error in doc.Errors.Take(20))
            {
                await console.Error.WriteLineAsync($"{error.File}:{error.Line}:{error.Column}: {error.Reason}").ConfigureAwait(false);
            }
            if (doc.Errors.Length > 20)
            {
                await console.Error.WriteLineAsync($"… and {doc.Errors.Length - 20} more errors (see \"errors\" in the output)").ConfigureAwait(false);
            }
            var languages = string.Join(", ", doc.Stats.Languages.Select(l => $"{l.Language} {l.Modules}"));
            await console.Error.WriteLineAsync(
                $"Parsed {doc.Stats.Modules} files ({(languages.Length == 0 ? "none" : languages)}): {doc.Stats.Definitions} definitions, "
                + $"{doc.Stats.Errors} errors, {doc.Stats.Skipped} skipped in {stopwatch.Elapsed.TotalSeconds:0.00}s → {Path.GetRelativePath(Environment.CurrentDirectory, outputPath)}")
                .ConfigureAwait(false);
        }
        return args.FailOnError && doc.Errors.Length > 0 ? ExitCodes.Findings : ExitCodes.Ok;
    }

    private static string FindConfig(ParseArguments args)
    {
        if (args.Config is not null)
        {
            if (!args.Config.Exists)
            {
                throw new ConfigException($"configuration file not found: {args.Config}");
            }
            return args.Config.FullName;
        }
        var inInput = Path.Combine(args.Input.FullName, LlmStructOptions.FileName);
        return File.Exists(inInput) ? inInput : Path.GetFullPath(LlmStructOptions.FileName);
    }

    private static async Task<PipelineResult> RunWithProgressAsync(
        CliConsole console, StructPipeline pipeline, PipelineRequest request, bool quiet, CancellationToken cancellationToken)
    {
        if (quiet || !console.IsInteractive)
        {
            return await pipeline.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        }
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        PipelineResult? result = null;
        await ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Parsing", maxValue: 1);
                var progress = new Progress<PipelineProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Completed;
                });
                result = await pipeline.RunAsync(request, progress, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result!;
    }
}
