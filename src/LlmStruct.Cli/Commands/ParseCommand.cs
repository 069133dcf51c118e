using System.CommandLine;
using System.Diagnostics;
using LlmStruct.Caching;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LlmStruct.Cli.Commands;

/// <summary><c>llmstruct parse</c>: discover, parse and write struct.json, once or on every change (<c>--watch</c>).</summary>
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
        var noCache = new Option<bool>("--no-cache") { Description = "Parse every file; neither read nor write the parse cache." };
        var cacheDir = new Option<DirectoryInfo>("--cache-dir") { Description = "Cache folder (default: [cache] dir, else .llmstruct/cache in the input folder)." };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep running: rewrite struct.json after every settled change and print what changed." };
        var debounce = new Option<int>("--debounce-ms") { Description = "With --watch: quiet time before a change is processed.", DefaultValueFactory = _ => 300 };
        var timings = new Option<bool>("--timings") { Description = "Print the wall time of each stage (discover, parse, link, write) to stderr." };

        var command = new Command("parse", "Parse a folder into struct.json.") { input, output, config, failOnError, jobs, quiet, noCache, cacheDir, watch, debounce, timings };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ParseArguments(
                result.GetValue(input)!, result.GetValue(output), result.GetValue(config), result.GetValue(failOnError),
                result.GetValue(jobs), result.GetValue(quiet), result.GetValue(noCache), result.GetValue(cacheDir), result.GetValue(watch),
                result.GetValue(debounce)) { Timings = result.GetValue(timings) };
            using var provider = services();
            ParserWarmUp.Start(provider);
            return await RunAsync(console, provider, options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal sealed record ParseArguments(
        DirectoryInfo Input, FileInfo? Output, FileInfo? Config, bool FailOnError, int? Jobs, bool Quiet, bool NoCache, DirectoryInfo? CacheDir,
        bool Watch, int DebounceMs)
    {
        /// <summary>Print per-stage wall times.</summary>
        public bool Timings { get; init; }

        /// <summary>The llmstruct.toml in use (the tasks package reads its [[tasks]]).</summary>
        public string? ConfigPath { get; init; }

        public string OutputPath => Output?.FullName ?? Path.GetFullPath("struct.json");
    }

    private static async Task<int> RunAsync(CliConsole console, ServiceProvider provider, ParseArguments args, CancellationToken cancellationToken)
    {
        if (!args.Input.Exists)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, $"input folder not found: {args.Input}").ConfigureAwait(false);
        }
        if (args.Jobs is < 1 || args.DebounceMs < 0)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, "--jobs must be at least 1 and --debounce-ms not negative").ConfigureAwait(false);
        }

        LoadedConfig config;
        try
        {
            config = await ConfigLoader.LoadAsync(ConfigFile.Find(args.Config, args.Input.FullName), cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
        }
        foreach (var warning in config.Warnings)
        {
            await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        var pipeline = provider.GetRequiredService<StructPipeline>();
        args = args with { ConfigPath = ConfigFile.Find(args.Config, args.Input.FullName) };
        var (code, document) = await RunOnceAsync(console, pipeline, config.Options, args, interactive: !args.Watch, cancellationToken).ConfigureAwait(false);
        if (!args.Watch || document is null)
        {
            return code;
        }
        return await WatchLoop.RunAsync(console, args, document, token => RunOnceAsync(console, pipeline, config.Options, args, interactive: false, token), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The budget within which a run holds garbage collection back (see <see cref="PipelineRequest.CollectionHoldBudget"/>):
    /// <c>LLMSTRUCT_GC_BUDGET_MB</c>, else 768 MB (a cache-less run of a 120 MB Python library fits, peaking at
    /// 0.7 GB); 0 turns the hold off. A ceiling: the pipeline asks for less on a smaller input (<c>CollectionHold.SizedTo</c>).
    /// </summary>
    internal static long CollectionHoldBudget() =>
        Environment.GetEnvironmentVariable("LLMSTRUCT_GC_BUDGET_MB") is { Length: > 0 } text
        && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mb)
            ? mb << 20
            : 768L << 20;

    /// <summary>One parse-and-write; returns the exit code and the document (null when nothing was written).</summary>
    internal static async Task<(int Code, StructDocument? Document)> RunOnceAsync(
        CliConsole console, StructPipeline pipeline, LlmStructOptions options, ParseArguments args, bool interactive, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        // Only with --timings: the process's start time is in local time, and the time zone costs a read of the
        // zone database that a plain run does not need.
        var sinceStart = args.Timings ? DateTime.Now - Process.GetCurrentProcess().StartTime : TimeSpan.Zero;
        var cpuAtStart = Environment.CpuUsage.TotalTime;
        BuildResult result;
        StructDocument? document;
        ParseCache? cache = null;
        try
        {
            cache = await OpenCacheAsync(console, options, args).ConfigureAwait(false);
            var cacheOpen = stopwatch.Elapsed;
            foreach (var warning in cache?.Warnings ?? [])
            {
                await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
            var request = new PipelineRequest
            {
                Root = args.Input.FullName,
                Options = options,
                ConfigPath = args.ConfigPath,
                MaxDegreeOfParallelism = args.Jobs ?? Environment.ProcessorCount,
                Cache = cache,
                // Held only without a cache: saving a cold cache allocates as much again, past any useful budget.
                CollectionHoldBudget = cache is null ? CollectionHoldBudget() : 0,
            };
            result = await RunWithProgressAsync(console, pipeline, request, args.OutputPath, args.Quiet || !interactive, cancellationToken).ConfigureAwait(false);
            foreach (var warning in result.Warnings)
            {
                await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
            // --watch diffs every run against the one before, so it needs the document even when the file was up to date.
            document = result.Document ?? (args.Watch ? await StructJson.ReadFileAsync(args.OutputPath, cancellationToken).ConfigureAwait(false) : null);
            if (args.Timings)
            {
                var stages = new[] { new StageTiming("startup", sinceStart, cpuAtStart), new StageTiming("cache-open", cacheOpen) }.Concat(result.Timings);
                await console.Error.WriteLineAsync("timings: " + string.Join(", ", stages.Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{t.Stage} {t.Elapsed.TotalSeconds:0.000}s{(t.Cpu > TimeSpan.Zero ? $" (cpu {t.Cpu.TotalSeconds:0.000}s{(t.Allocated > 0 ? $", alloc {t.Allocated / 1048576.0:0} MB" : "")})" : "")}")))).ConfigureAwait(false);
                await console.Error.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"gc: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections (gen0/1/2), paused {GC.GetTotalPauseDuration().TotalSeconds:0.000}s, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:0} MB, process CPU {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.000}s")).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidStructException or System.Text.Json.JsonException or ConfigException)
        {
            return (await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false), null);
        }
        finally
        {
            cache?.Dispose();
        }

        var stats = result.Stats;
        await WarnRedactionsAsync(console, result.Document, stats.Redactions).ConfigureAwait(false);
        if (!args.Quiet)
        {
            foreach (var error in result.Errors.Take(20))
            {
                await console.Error.WriteLineAsync($"{error.File}:{error.Line}:{error.Column}: {error.Reason}").ConfigureAwait(false);
            }
            if (result.Errors.Length > 20)
            {
                await console.Error.WriteLineAsync($"… and {result.Errors.Length - 20} more errors (see \"errors\" in the output)").ConfigureAwait(false);
            }
            var languages = string.Join(", ", stats.Languages.Select(l => $"{l.Language} {l.Modules}"));
            var target = Path.GetRelativePath(Environment.CurrentDirectory, args.OutputPath);
            if (result.UpToDate)
            {
                await console.Error.WriteLineAsync(
                    $"Up to date: no input changed since {target} was written ({stats.Modules} files, {stats.Definitions} definitions, {stats.Errors} errors; checked in {stopwatch.Elapsed.TotalSeconds:0.00}s)")
                    .ConfigureAwait(false);
            }
            else if (result.ChangedFiles > 0)
            {
                await console.Error.WriteLineAsync(
                    $"Updated {target}: {result.ChangedFiles} changed files relinked, the other {stats.Modules - result.ChangedFiles} kept "
                    + $"({stats.Modules} files, {stats.Definitions} definitions, {stats.Errors} errors) in {stopwatch.Elapsed.TotalSeconds:0.00}s")
                    .ConfigureAwait(false);
            }
            else
            {
                var cached = cache is null ? "" : $", {cache.Hits} from cache";
                await console.Error.WriteLineAsync(
                    $"Parsed {stats.Modules} files ({(languages.Length == 0 ? "none" : languages)}{cached}): {stats.Definitions} definitions, "
                    + $"{stats.Errors} errors, {stats.Skipped} skipped in {stopwatch.Elapsed.TotalSeconds:0.00}s → {target}")
                    .ConfigureAwait(false);
            }
        }
        return (args.FailOnError && result.Errors.Length > 0 ? ExitCodes.Findings : ExitCodes.Ok, document);
    }

    /// <summary>
    /// Tells which files held secrets and which rules redacted them (never a value): a secret in source is worth
    /// knowing about even though struct.json does not carry it. Shown even with --quiet, as warnings are.
    /// </summary>
    private static async Task WarnRedactionsAsync(CliConsole console, StructDocument? document, int count)
    {
        if (count == 0)
        {
            return;
        }
        if (document is null)
        {
            await console.Error.WriteLineAsync($"warning: {count} secrets redacted (as when struct.json was written; see docs/security.md)").ConfigureAwait(false);
            return;
        }
        var byFile = Security.SourceRedactor.Findings(document).GroupBy(f => f.Path, StringComparer.Ordinal).ToList();
        await console.Error.WriteLineAsync($"warning: {count} secrets redacted in {byFile.Count} files (values replaced by «redacted:RULE»; see docs/security.md):").ConfigureAwait(false);
        foreach (var file in byFile.Take(20))
        {
            await console.Error.WriteLineAsync($"  {CliText.Escape(file.Key)}: {string.Join(", ", file.Select(f => f.Count == 1 ? f.Rule : $"{f.Rule} ×{f.Count}"))}").ConfigureAwait(false);
        }
        if (byFile.Count > 20)
        {
            await console.Error.WriteLineAsync($"  … and {byFile.Count - 20} more files").ConfigureAwait(false);
        }
    }

    /// <summary>The cache folder for these arguments: <c>--cache-dir</c>, else <c>[cache] dir</c> under the input folder.</summary>
    internal static string CacheDirectory(LlmStructOptions options, DirectoryInfo input, DirectoryInfo? cacheDir) =>
        cacheDir?.FullName ?? Path.GetFullPath(Path.Combine(input.FullName, options.Cache.Dir));

    private static async Task<ParseCache?> OpenCacheAsync(CliConsole console, LlmStructOptions options, ParseArguments args)
    {
        if (args.NoCache || !options.Cache.Enabled)
        {
            return null;
        }
        try
        {
            return ParseCache.Open(CacheDirectory(options, args.Input, args.CacheDir));
        }
        catch (Exception ex) when (ex is (IOException or UnauthorizedAccessException) and not CacheLockedException)
        {
            // A cache that cannot be opened (read-only disk, a file in the way) costs time, never correctness.
            await console.Error.WriteLineAsync($"warning: parse cache disabled for this run: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<BuildResult> RunWithProgressAsync(
        CliConsole console, StructPipeline pipeline, PipelineRequest request, string outputPath, bool quiet, CancellationToken cancellationToken)
    {
        if (quiet || !console.IsInteractive)
        {
            return await pipeline.BuildAsync(request, outputPath, null, cancellationToken).ConfigureAwait(false);
        }
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        BuildResult? result = null;
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
                result = await pipeline.BuildAsync(request, outputPath, progress, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result!;
    }
}
