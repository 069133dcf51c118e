using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LlmStruct.Ci.Git;
using LlmStruct.Configuration;
using LlmStruct.Llm.Usage;
using LlmStruct.Llm.Usage.Mlflow;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct metrics</c>: the usage store (<c>[llm] usage_store</c>) by UTC day, provider and model, as a table or
/// <c>--json</c>; <c>llmstruct metrics push --mlflow URL</c> logs it as one MLflow run (<see cref="UsageRun"/>,
/// <see cref="MlflowTracking"/>).
/// </summary>
internal static class MetricsCommand
{
    /// <summary>The environment variable with the MLflow token (sent as a bearer token), as MLflow's own clients read it.</summary>
    public const string TokenVariable = "MLFLOW_TRACKING_TOKEN";

    public static Command Create(CliConsole console)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "Project folder (default: the current folder): its llmstruct.toml names the usage store.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var config = new Option<FileInfo>("--config", "-c") { Description = "Configuration file (default: llmstruct.toml in the project folder, else the current folder)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("metrics", "Print the LLM usage store by day, provider and model, or push it to MLflow.") { input, config, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (store, _, error) = await OpenAsync(console, result.GetValue(input)!, result.GetValue(config), cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return error;
            }
            IReadOnlyList<UsageDay> days;
            try
            {
                days = await store.ByDayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"cannot read the usage store {store.Path}: {ex.Message}").ConfigureAwait(false);
            }
            if (result.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize([.. days.Select(UsageRow.Of)], MetricsJson.Default.UsageRowArray)).ConfigureAwait(false);
            }
            else
            {
                await WriteTableAsync(console.Out, days).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });

        var mlflow = new Option<string>("--mlflow") { Description = $"MLflow tracking server URL (e.g. http://127.0.0.1:5000); a token in ${TokenVariable} is sent as a bearer token.", Required = true };
        var experiment = new Option<string>("--experiment") { Description = "Experiment name (created when missing).", DefaultValueFactory = _ => "llmstruct" };
        var runName = new Option<string>("--run-name") { Description = "Run name (default: llmstruct-<commit>, or llmstruct-usage outside git)." };
        var ci = new Option<bool>("--ci") { Description = "A CI job's run: named ci-<system>-<run id>-<job> and tagged with the job (GitHub Actions or GitLab CI variables); an error outside CI." };
        var push = new Command("push", "Log the usage store as one MLflow run (params, metrics, tags) through MLflow's REST API.") { input, config, mlflow, experiment, runName, ci };
        push.SetAction(async (result, cancellationToken) =>
        {
            var inputDir = result.GetValue(input)!;
            var (store, options, error) = await OpenAsync(console, inputDir, result.GetValue(config), cancellationToken).ConfigureAwait(false);
            if (store is null)
            {
                return error;
            }
            if (!Uri.TryCreate(result.GetValue(mlflow), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"--mlflow must be an http:// or https:// URL, not '{result.GetValue(mlflow)}'").ConfigureAwait(false);
            }
            CiJob? job = null;
            if (result.GetValue(ci) && (job = CiJob.Read(Environment.GetEnvironmentVariable)) is null)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, "--ci: no CI job found (GitHub Actions sets GITHUB_ACTIONS and GITHUB_RUN_ID, GitLab CI sets GITLAB_CI and CI_PIPELINE_ID)").ConfigureAwait(false);
            }
            try
            {
                var days = await store.ByDayAsync(cancellationToken).ConfigureAwait(false);
                var commit = await CommitAsync(inputDir.FullName, cancellationToken).ConfigureAwait(false);
                var name = result.GetValue(runName) is { Length: > 0 } given ? given
                    : job is not null ? job.RunName
                    : commit is null ? "llmstruct-usage" : "llmstruct-" + commit[..Math.Min(12, commit.Length)];
                var run = UsageRun.From(days, result.GetValue(experiment)!, name, options!.Llm.ContextTokens, commit);
                run = job?.Tag(run) ?? run;
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
                var tracking = new MlflowTracking(http, uri, Environment.GetEnvironmentVariable(TokenVariable));
                var logged = await tracking.LogRunAsync(run, cancellationToken).ConfigureAwait(false);
                await console.Out.WriteLineAsync($"logged MLflow run {logged.RunId} in experiment {logged.ExperimentId} ({run.Metrics.Count} metrics, {days.Count} day rows)").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is MlflowException or Microsoft.Data.Sqlite.SqliteException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
        });
        command.Subcommands.Add(push);
        return command;
    }

    private static async Task<(SqliteUsageStore? Store, LlmStructOptions? Options, int Error)> OpenAsync(CliConsole console, DirectoryInfo input, FileInfo? config, CancellationToken cancellationToken)
    {
        if (!input.Exists)
        {
            return (null, null, await console.FailAsync(ExitCodes.UsageOrIo, $"project folder not found: {input}").ConfigureAwait(false));
        }
        try
        {
            var loaded = await ConfigLoader.LoadAsync(ConfigFile.Find(config, input.FullName), cancellationToken).ConfigureAwait(false);
            foreach (var warning in loaded.Warnings)
            {
                await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
            var path = Path.GetFullPath(loaded.Options.Llm.UsageStore, input.FullName);
            if (!File.Exists(path))
            {
                return (null, null, await console.FailAsync(ExitCodes.UsageOrIo, $"no usage store at {path} yet: it is written by ask, analyze and diff").ConfigureAwait(false));
            }
            return (new SqliteUsageStore(path), loaded.Options, ExitCodes.Ok);
        }
        catch (ConfigException ex)
        {
            return (null, null, await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false));
        }
    }

    // The commit the work ran on: CI's own variable first (a detached or shallow checkout still has it), else git.
    private static async Task<string?> CommitAsync(string folder, CancellationToken cancellationToken)
    {
        foreach (var variable in new[] { "GITHUB_SHA", "CI_COMMIT_SHA" })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } sha)
            {
                return sha.Trim();
            }
        }
        try
        {
            return await new GitRepository(folder).ResolveCommitAsync("HEAD", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GitException or IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task WriteTableAsync(TextWriter output, IReadOnlyList<UsageDay> days)
    {
        if (days.Count == 0)
        {
            await output.WriteLineAsync("no LLM calls recorded").ConfigureAwait(false);
            return;
        }
        string[] header = ["day", "provider", "model", "calls", "failed", "prompt", "completion", "mean ms", "max ms", "peak RAM MB", "peak VRAM MB"];
        var rows = days.Select(d => new[]
        {
            d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Provider, d.Model, N(d.Calls), N(d.Failures), N(d.PromptTokens), N(d.CompletionTokens),
            N(d.MeanLatencyMs), N(d.MaxLatencyMs), Mb(d.PeakRamBytes), d.PeakVramBytes is long v ? Mb(v) : "-",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        await output.WriteLineAsync(Line(header, widths)).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Line(row, widths)).ConfigureAwait(false);
        }

        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
        static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);
        static string Line(string[] cells, int[] widths) =>
            string.Join("  ", cells.Select((c, i) => i >= 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
    }
}

/// <summary>One row of <c>llmstruct metrics --json</c>.</summary>
internal sealed record UsageRow(
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("failures")] long Failures,
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("latency_ms")] long LatencyMs,
    [property: JsonPropertyName("max_latency_ms")] long MaxLatencyMs,
    [property: JsonPropertyName("cpu_ms")] long CpuMs,
    [property: JsonPropertyName("peak_ram_bytes")] long PeakRamBytes,
    [property: JsonPropertyName("peak_vram_bytes")] long? PeakVramBytes)
{
    public static UsageRow Of(UsageDay d) => new(
        d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Provider, d.Model, d.Calls, d.Failures, d.PromptTokens, d.CompletionTokens,
        d.LatencyMs, d.MaxLatencyMs, d.CpuMs, d.PeakRamBytes, d.PeakVramBytes);
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(UsageRow[]))]
internal sealed partial class MetricsJson : JsonSerializerContext;
