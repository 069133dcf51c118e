using LlmStruct.Model;
using LlmStruct.Pipeline;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>parse --watch</c>: after each burst of changes (Core's <see cref="TreeWatcher"/>: debounced; the output file
/// and LlmStruct's own folder ignored) one incremental run rewrites struct.json atomically and the changes are printed
/// (modules and definitions added, removed, changed). Ends on cancellation (Ctrl+C).
/// </summary>
internal static class WatchLoop
{
    public static async Task<int> RunAsync(
        CliConsole console,
        ParseCommand.ParseArguments args,
        StructDocument initial,
        Func<CancellationToken, Task<(int Code, StructDocument? Document)>> runOnce,
        CancellationToken cancellationToken)
    {
        var root = args.Input.FullName;
        using var watcher = new TreeWatcher(root, [args.OutputPath]);

        await console.Error.WriteLineAsync($"Watching {root} (Ctrl+C to stop)").ConfigureAwait(false);
        var previous = initial;
        try
        {
            while (true)
            {
                await watcher.WaitForChangesAsync(args.DebounceMs, cancellationToken).ConfigureAwait(false);
                var (_, document) = await runOnce(cancellationToken).ConfigureAwait(false);
                if (document is null)
                {
                    continue;
                }
                await PrintChangesAsync(console, StructDiff.Compare(previous, document)).ConfigureAwait(false);
                previous = document;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("Stopped watching.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
    }

    private static async Task PrintChangesAsync(CliConsole console, StructChanges changes)
    {
        if (changes.IsEmpty)
        {
            await console.Out.WriteLineAsync("no structural change").ConfigureAwait(false);
            return;
        }
        foreach (var (sign, label, items) in new[]
        {
            ("+", "module", changes.ModulesAdded), ("-", "module", changes.ModulesRemoved), ("~", "module", changes.ModulesChanged),
            ("+", "definition", changes.DefinitionsAdded), ("-", "definition", changes.DefinitionsRemoved), ("~", "definition", changes.DefinitionsChanged),
        })
        {
            foreach (var item in items)
            {
                await console.Out.WriteLineAsync($"{sign} {label} {item}").ConfigureAwait(false);
            }
        }
        await console.Out.FlushAsync().ConfigureAwait(false);
    }
}
