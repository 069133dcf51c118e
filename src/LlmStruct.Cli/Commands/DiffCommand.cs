using System.CommandLine;
using LlmStruct.Configuration;
using LlmStruct.Llm.Work;
using LlmStruct.Llm.Work.Diffs;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct diff --task "…" [--focus PATH]… [--apply]</c>: a unified diff for the task from the configured models,
/// checked to apply cleanly to the tree in memory, printed to stdout; with <c>--apply</c> each changed file is then
/// written atomically. Exit 0 ok, 1 no applicable diff within the retry budget (or a path outside the root), 2 usage, I/O or no provider.
/// </summary>
internal static class DiffCommand
{
    public static Command Create(CliConsole console, Func<LlmOptions, string, ServiceProvider> services)
    {
        var task = new Option<string>("--task", "-t") { Description = "The change to make.", Required = true };
        var focus = new Option<string[]>("--focus", "-f")
        {
            Description = "A file or folder (relative to the root) whose full text the model sees; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var apply = new Option<bool>("--apply") { Description = "Write the change to the files (atomically per file)." };
        var structFile = new Option<FileInfo>("--struct", "-s") { Description = "The struct.json (default: struct.json in the current folder)." };
        var root = new Option<DirectoryInfo>("--root", "-r") { Description = "The project root the diff applies to (default: the folder of struct.json)." };
        var config = new Option<FileInfo>("--config", "-c") { Description = "Configuration file (default: llmstruct.toml beside struct.json, else in the current folder)." };
        var provider = new Option<string>("--provider", "-p") { Description = "Ask only this provider (a name from [[llm.providers]])." };
        var retries = new Option<int>("--retries") { Description = "How many times a diff that does not apply is sent back to the model.", DefaultValueFactory = _ => 2 };
        var command = new Command("diff", "Ask the configured LLMs for a unified diff doing a task; check it applies; optionally apply it.")
        {
            task, focus, apply, structFile, root, config, provider, retries,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValue(task)))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, "--task is empty").ConfigureAwait(false);
            }
            using var session = await WorkSession.OpenAsync(console, services, result.GetValue(structFile), result.GetValue(config), result.GetValue(root),
                result.GetValue(provider), result.GetValue(retries), cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return ExitCodes.UsageOrIo;
            }
            DiffProposal proposal;
            var trace = WorkSession.BeginTrace();
            try
            {
                proposal = await session.Plugin.GenerateDiffAsync(result.GetValue(task)!, result.GetValue(focus) ?? [], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (WorkSession.IsWorkFailure(ex))
            {
                int failed = await WorkSession.FailureAsync(console, ex).ConfigureAwait(false);
                return await session.FinishAsync(console, trace, failed, cancellationToken).ConfigureAwait(false);
            }
            await console.Out.WriteAsync(proposal.Diff.EndsWith('\n') ? proposal.Diff : proposal.Diff + "\n").ConfigureAwait(false);
            await console.Error.WriteLineAsync($"the diff applies cleanly ({proposal.Changes.Count} file(s), attempt {proposal.Attempts})").ConfigureAwait(false);
            if (result.GetValue(apply))
            {
                try
                {
                    await DiffApplier.WriteAsync(session.Plugin.Root, proposal.Changes, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DiffException)
                {
                    return await console.FailAsync(ExitCodes.UsageOrIo, $"could not apply the diff: {ex.Message}").ConfigureAwait(false);
                }
                foreach (var change in proposal.Changes)
                {
                    await console.Error.WriteLineAsync($"{change.Kind} {change.Path}").ConfigureAwait(false);
                }
            }
            return await session.FinishAsync(console, trace, ExitCodes.Ok, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
