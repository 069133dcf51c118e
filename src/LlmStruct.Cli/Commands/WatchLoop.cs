using LlmStruct.Model;
using LlmStruct.Pipeline;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>parse --watch</c>: file-system events are collected until the tree has been quiet for the debounce time, then
/// one incremental run rewrites struct.json atomically and the changes are printed (modules and definitions added,
/// removed, changed). Events for the output file and LlmStruct's own folder are ignored. Ends on cancellation (Ctrl+C).
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
        var output = args.OutputPath;
        long lastEventTicks = 0;
        var signal = new SemaphoreSlim(0);

        void OnEvent(string? fullPath)
        {
            if (fullPath is null || IsOwnFile(fullPath, root, output))
            {
                return;
            }
            Interlocked.Exchange(ref lastEventTicks, Environment.TickCount64);
            signal.Release();
        }

        using var watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Changed += (_, e) => OnEvent(e.FullPath);
        watcher.Created += (_, e) => OnEvent(e.FullPath);
        watcher.Deleted += (_, e) => OnEvent(e.FullPath);
        watcher.Renamed += (_, e) => { OnEvent(e.OldFullPath); OnEvent(e.FullPath); };
        watcher.Error += (_, _) => OnEvent(root + Path.DirectorySeparatorChar); // overflow: treat as "something changed"
        watcher.EnableRaisingEvents = true;

        await console.Error.WriteLineAsync($"Watching {root} (Ctrl+C to stop)").ConfigureAwait(false);
        var previous = initial;
        try
        {
            while (true)
            {
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                // Debounce: wait until no event has arrived for the quiet period.
                while (Environment.TickCount64 - Interlocked.Read(ref lastEventTicks) < args.DebounceMs)
                {
                    await Task.Delay(Math.Max(10, args.DebounceMs / 4), cancellationToken).ConfigureAwait(false);
                }
                while (signal.CurrentCount > 0)
                {
                    await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                }

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

    private static bool IsOwnFile(string fullPath, string root, string output)
    {
        if (string.Equals(fullPath, output, StringComparison.Ordinal))
        {
            return true;
        }
        var name = Path.GetFileName(fullPath);
        if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return true; // our own atomic-write temp files
        }
        var relative = Path.GetRelativePath(root, fullPath).Replace('\\', '/');
        return relative == ".llmstruct" || relative.StartsWith(".llmstruct/", StringComparison.Ordinal) || relative.StartsWith(".git/", StringComparison.Ordinal);
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
