namespace LlmStruct.Pipeline;

/// <summary>
/// Watches a project tree for the <c>--watch</c> loop of <c>llmstruct parse</c> and for <c>llmstruct serve</c>:
/// file-system events are collected until the tree has been quiet for the debounce time, then
/// <see cref="WaitForChangesAsync"/> returns once for the whole burst. Events for the ignored files (the output),
/// LlmStruct's own folder (<c>.llmstruct/</c>), <c>.git/</c> and atomic-write temp files are not changes. An
/// overflow of the watcher's buffer counts as a change (something did).
/// </summary>
public sealed class TreeWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly string _root;
    private readonly HashSet<string> _ignored;
    private long _lastEventTicks;

    /// <summary>Starts watching <paramref name="root"/> (events from now on count), ignoring <paramref name="ignoredFiles"/> (full paths).</summary>
    public TreeWatcher(string root, IEnumerable<string>? ignoredFiles = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _ignored = new HashSet<string>((ignoredFiles ?? []).Select(Path.GetFullPath), StringComparer.Ordinal);
        _watcher = new FileSystemWatcher(_root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Changed += (_, e) => OnEvent(e.FullPath);
        _watcher.Created += (_, e) => OnEvent(e.FullPath);
        _watcher.Deleted += (_, e) => OnEvent(e.FullPath);
        _watcher.Renamed += (_, e) => { OnEvent(e.OldFullPath); OnEvent(e.FullPath); };
        _watcher.Error += (_, _) => OnEvent(_root + Path.DirectorySeparatorChar); // overflow: treat as "something changed"
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>The folder watched (absolute).</summary>
    public string Root => _root;

    /// <summary>
    /// Waits for a change, then until no event has arrived for <paramref name="debounceMs"/> milliseconds; the burst's
    /// events are consumed. Throws <see cref="OperationCanceledException"/> on cancellation.
    /// </summary>
    public async Task WaitForChangesAsync(int debounceMs, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(debounceMs);
        await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        while (Environment.TickCount64 - Interlocked.Read(ref _lastEventTicks) < debounceMs)
        {
            await Task.Delay(Math.Max(10, debounceMs / 4), cancellationToken).ConfigureAwait(false);
        }
        while (_signal.CurrentCount > 0)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether a change has arrived since the last call (or the last wait), without waiting: for a host that looks
    /// before each use instead of waiting in a loop. The changes seen are consumed.
    /// </summary>
    public bool TakeChanges()
    {
        bool any = false;
        while (_signal.Wait(0))
        {
            any = true;
        }
        return any;
    }

    /// <summary>Whether an event for <paramref name="fullPath"/> is LlmStruct's own doing or ignored (not a change of the project).</summary>
    public bool IsIgnored(string fullPath)
    {
        ArgumentNullException.ThrowIfNull(fullPath);
        if (_ignored.Contains(fullPath))
        {
            return true;
        }
        var name = Path.GetFileName(fullPath);
        if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return true; // our own atomic-write temp files
        }
        var relative = Path.GetRelativePath(_root, fullPath).Replace('\\', '/');
        return relative is ".llmstruct" or ".git" || relative.StartsWith(".llmstruct/", StringComparison.Ordinal) || relative.StartsWith(".git/", StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _watcher.Dispose();
        _signal.Dispose();
    }

    private void OnEvent(string? fullPath)
    {
        if (fullPath is null || IsIgnored(fullPath))
        {
            return;
        }
        Interlocked.Exchange(ref _lastEventTicks, Environment.TickCount64);
        try
        {
            _signal.Release();
        }
        catch (ObjectDisposedException)
        {
            // An event raced the end of watching.
        }
    }
}
