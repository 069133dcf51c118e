using System.CommandLine;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Llm.Work;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct analyze --task "…"</c>: a plan for the task (summary, affected files and symbol ids from struct.json,
/// ordered steps, risks, estimate) from the configured models, validated against struct.json. Exit 0 ok, 1 no valid
/// plan within the retry budget, 2 usage, I/O or no provider.
/// </summary>
internal static class AnalyzeCommand
{

    public static Command Create(CliConsole console, Func<LlmOptions, string, ServiceProvider> services)
    {
        var task = new Option<string>("--task", "-t") { Description = "The task to plan, in words or as a task id of struct.json (TSK-011).", Required = true };
        var structFile = new Option<FileInfo>("--struct", "-s") { Description = "The struct.json to plan from (default: struct.json in the current folder)." };
        var config = new Option<FileInfo>("--config", "-c") { Description = "Configuration file (default: llmstruct.toml beside struct.json, else in the current folder)." };
        var provider = new Option<string>("--provider", "-p") { Description = "Ask only this provider (a name from [[llm.providers]])." };
        var retries = new Option<int>("--retries") { Description = "How many times an invalid answer is sent back to the model.", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var command = new Command("analyze", "Plan a task with the configured LLMs: affected files and symbols, steps, risks, estimate.")
        {
            task, structFile, config, provider, retries, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValue(task)))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, "--task is empty").ConfigureAwait(false);
            }
            using var session = await WorkSession.OpenAsync(console, services, result.GetValue(structFile), result.GetValue(config), null,
                result.GetValue(provider), result.GetValue(retries), cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return ExitCodes.UsageOrIo;
            }
            TaskAnalysis analysis;
            var trace = WorkSession.BeginTrace();
            try
            {
                // A task id of struct.json stands for the task's text (title, status, files, symbols, description).
                var text = result.GetValue(task)!;
                if (session.Document.Tasks.FirstOrDefault(t => t.Id == text.Trim()) is { } item)
                {
                    text = TaskContext.Render(item, LlmStruct.Context.ContextFormats.Markdown);
                }
                analysis = await session.Plugin.AnalyzeTaskAsync(text, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (WorkSession.IsWorkFailure(ex))
            {
                int failed = await WorkSession.FailureAsync(console, ex).ConfigureAwait(false);
                return await session.FinishAsync(console, trace, failed, cancellationToken).ConfigureAwait(false);
            }
            await console.Out.WriteAsync(result.GetValue(json) ? JsonSerializer.Serialize(analysis, CliJson.Default.TaskAnalysis) + "\n" : Render(analysis)).ConfigureAwait(false);
            return await session.FinishAsync(console, trace, ExitCodes.Ok, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static string Render(TaskAnalysis analysis)
    {
        var lines = new List<string> { analysis.Summary, "", "Affected files:" };
        lines.AddRange(analysis.AffectedFiles.Select(f => "  " + f));
        lines.Add("Affected symbols:");
        lines.AddRange(analysis.AffectedSymbols.Select(s => "  " + s));
        lines.Add("Steps:");
        lines.AddRange(analysis.Steps.Select((s, i) => $"  {i + 1}. {s}"));
        lines.Add("Risks:");
        lines.AddRange(analysis.Risks.Select(r => "  - " + r));
        lines.Add($"Estimate: {analysis.Estimate}");
        return string.Join("\n", lines) + "\n";
    }
}
