using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Context;
using LlmStruct.Json;
using LlmStruct.Llm;
using LlmStruct.Llm.Context;
using LlmStruct.Llm.Usage;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct ask "question"</c>: answers with the struct context before the question, through the configured
/// fallback chain; prints the answer (streamed) to stdout and the provider and usage to stderr, then folds the
/// usage store into struct.json's metrics (atomically) when there is a struct.json.
/// </summary>
internal static class AskCommand
{
    public static Command Create(CliConsole console, Func<LlmOptions, string, ServiceProvider> services)
    {
        var question = new Argument<string>("question") { Description = "The question about the project." };
        var structFile = new Option<FileInfo>("--struct", "-s") { Description = "The struct.json to answer from (default: struct.json in the current folder)." };
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "Configuration file (default: llmstruct.toml beside struct.json, else in the current folder).",
        };
        var provider = new Option<string>("--provider", "-p") { Description = "Ask only this provider (a name from [[llm.providers]])." };
        var budget = new Option<int?>("--budget", "-b") { Description = "Token budget of the struct context (default: [llm] context_tokens)." };
        var noStream = new Option<bool>("--no-stream") { Description = "Wait for the whole answer instead of streaming it." };
        var noUpdate = new Option<bool>("--no-update") { Description = "Leave struct.json's metrics as they are." };

        var command = new Command("ask", "Ask the configured LLMs a question about the project.")
        {
            question, structFile, config, provider, budget, noStream, noUpdate,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var args = new AskArguments(
                result.GetValue(question)!, result.GetValue(structFile), result.GetValue(config), result.GetValue(provider),
                result.GetValue(budget), result.GetValue(noStream), result.GetValue(noUpdate));
            return await RunAsync(console, services, args, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record AskArguments(
        string Question, FileInfo? Struct, FileInfo? Config, string? Provider, int? Budget, bool NoStream, bool NoUpdate);

    private static async Task<int> RunAsync(CliConsole console, Func<LlmOptions, string, ServiceProvider> services, AskArguments args, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(args.Question))
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, "the question is empty").ConfigureAwait(false);
        }
        if (args.Budget is < 1)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, "--budget must be at least 1").ConfigureAwait(false);
        }
        var structPath = args.Struct?.FullName ?? Path.GetFullPath("struct.json");
        if (args.Struct is not null && !args.Struct.Exists)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, $"struct file not found: {args.Struct}").ConfigureAwait(false);
        }
        var projectDir = Path.GetDirectoryName(structPath)!;

        LoadedConfig loaded;
        try
        {
            loaded = await ConfigLoader.LoadAsync(ConfigFile.Find(args.Config, projectDir), cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
        }
        foreach (var warning in loaded.Warnings)
        {
            await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }
        var llm = loaded.Options.Llm;
        if (llm.Providers.Count == 0)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, "no LLM is configured: add [[llm.providers]] to llmstruct.toml (see docs/llm.md)").ConfigureAwait(false);
        }
        if (args.Provider is not null)
        {
            if (!llm.Providers.Any(p => p.Name == args.Provider))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"--provider {args.Provider}: no such provider in [[llm.providers]]").ConfigureAwait(false);
            }
            llm.Order = [args.Provider];
        }

        StructDocument? document = null;
        if (File.Exists(structPath))
        {
            try
            {
                document = await StructJson.ReadFileAsync(structPath, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"cannot read {structPath}: {ex.Message}").ConfigureAwait(false);
            }
        }
        else
        {
            await console.Error.WriteLineAsync($"warning: {Path.GetFileName(structPath)} not found; asking without project context (run 'llmstruct parse' first)").ConfigureAwait(false);
        }
        IAskContext contextBuilder = new BudgetedStructContext(new ContextBuilder());
        var context = document is null ? null : contextBuilder.Render(document, args.Budget ?? llm.ContextTokens);

        ServiceProvider provider;
        try
        {
            provider = services(llm, projectDir);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
        }
        using var _ = provider;
        var assistant = provider.GetRequiredService<LlmAssistant>();
        LlmAnswer answer;
        try
        {
            answer = args.NoStream
                ? await assistant.AskAsync(args.Question, context, null, cancellationToken).ConfigureAwait(false)
                : await assistant.AskAsync(args.Question, context, piece => console.Out.Write(piece), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LlmUnavailableException or LlmStreamInterruptedException)
        {
            // Streamed text stays on stdout (ended by a newline); the error is one redacted line on stderr.
            if (ex is LlmStreamInterruptedException)
            {
                await console.Out.WriteLineAsync().ConfigureAwait(false);
            }
            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            int failed = await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            // The failed attempts are in the usage store: metrics.llm follows it whatever the outcome (as analyze and diff).
            return await UpdateMetricsAsync(console, provider, document, structPath, args.NoUpdate, failed, cancellationToken).ConfigureAwait(false);
        }
        if (args.NoStream)
        {
            await console.Out.WriteAsync(answer.Text).ConfigureAwait(false);
        }
        await console.Out.WriteLineAsync().ConfigureAwait(false);
        await ReportAsync(console, answer).ConfigureAwait(false);

        return await UpdateMetricsAsync(console, provider, document, structPath, args.NoUpdate, ExitCodes.Ok, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Folds the usage store into struct.json's metrics (atomically); <paramref name="exitCode"/>, or 2 when that fails.</summary>
    private static async Task<int> UpdateMetricsAsync(
        CliConsole console, IServiceProvider provider, StructDocument? document, string structPath, bool noUpdate, int exitCode, CancellationToken cancellationToken)
    {
        if (document is null || noUpdate)
        {
            return exitCode;
        }
        try
        {
            var updated = await UsageMetrics.WithUsageAsync(document, provider.GetRequiredService<IUsageStore>(), cancellationToken).ConfigureAwait(false);
            await StructFileWriter.WriteAsync(structPath, updated, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidStructException or Microsoft.Data.Sqlite.SqliteException)
        {
            var what = exitCode == ExitCodes.Ok ? "answered, but could not" : "could not";
            return await console.FailAsync(ExitCodes.UsageOrIo, $"{what} update the metrics in {structPath}: {ex.Message}").ConfigureAwait(false);
        }
        return exitCode;
    }

    private static async Task ReportAsync(CliConsole console, LlmAnswer answer)
    {
        foreach (var decision in answer.Decisions.Where(d => d.Outcome != FallbackOutcome.Answered))
        {
            var what = decision.Outcome == FallbackOutcome.Failed ? "failed" : "skipped";
            await console.Error.WriteLineAsync($"{decision.Provider} {what}: {decision.Reason}").ConfigureAwait(false);
        }
        var firstToken = answer.TimeToFirstToken is { } t ? string.Create(CultureInfo.InvariantCulture, $", first token {t.TotalSeconds:0.00}s") : "";
        await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"answered by {answer.Provider} ({answer.Model}): {answer.PromptTokens} prompt + {answer.CompletionTokens} completion tokens in {answer.Latency.TotalSeconds:0.00}s{firstToken}"))
            .ConfigureAwait(false);
    }
}
