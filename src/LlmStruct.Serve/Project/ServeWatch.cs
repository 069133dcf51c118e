using LlmStruct.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Project;

/// <summary>
/// Follows the project's files while the server runs (<see cref="ServeOptions.Watch"/>), the way
/// <c>llmstruct parse --watch</c> does: after each quiet burst of changes (Core's <see cref="TreeWatcher"/>;
/// struct.json, llmstruct.toml, <c>.llmstruct/</c> and <c>.git/</c> ignored) the project is parsed again
/// incrementally through the parse cache (<see cref="ServeProject.RefreshAsync"/>). A failed refresh is logged and
/// the last good code map kept; a tree that cannot be watched (the system's inotify limit) is logged and served as is.
/// </summary>
internal sealed class ServeWatch(ServeProject project, IOptions<ServeOptions> options, ILogger<ServeWatch> logger) : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Watch || !project.CanParse)
        {
            return;
        }
        TreeWatcher watcher;
        try
        {
            watcher = new TreeWatcher(project.Root, [project.StructFile, project.ConfigFile]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // E.g. the system's inotify watch limit: serving goes on without following changes.
            logger.LogWarning("Not following changes under {Root}: {Reason}", project.Root, ex.Message);
            return;
        }
        using var _ = watcher;
        logger.LogInformation("Following changes under {Root}", project.Root);
        try
        {
            while (true)
            {
                await watcher.WaitForChangesAsync(options.Value.WatchDebounceMs, stoppingToken).ConfigureAwait(false);
                try
                {
                    await project.RefreshAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (ServeProjectException ex)
                {
                    logger.LogWarning("Could not follow a change: {Reason}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The server is stopping.
        }
    }
}
