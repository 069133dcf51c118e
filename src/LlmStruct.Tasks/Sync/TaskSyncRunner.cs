using LlmStruct.Tasks.Service;
using LlmStruct.Tasks.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Tasks.Sync;

/// <summary>What <c>llmstruct tasks sync</c> is asked to do.</summary>
public sealed record TaskSyncRequest
{
    /// <summary>The project folder; the store is <see cref="TasksOptions.DatabasePath"/> under it.</summary>
    public string ProjectDirectory { get; init; } = ".";

    /// <summary>The tracker.</summary>
    public TaskTracker Tracker { get; init; }

    /// <summary><c>OWNER/REPO</c> (GitHub) or <c>GROUP/PROJECT</c> (GitLab).</summary>
    public string Remote { get; init; } = "";

    /// <summary>The API token (from <c>GITHUB_TOKEN</c> / <c>GITLAB_TOKEN</c>); used for requests only, never stored or logged.</summary>
    public string Token { get; init; } = "";

    /// <summary>The API root (GitHub Enterprise <c>https://HOST/api/v3/</c>, self-managed GitLab <c>https://HOST/api/v4/</c>), or null for the public service.</summary>
    public Uri? ApiUrl { get; init; }

    /// <summary>Only read the tracker and report the plan.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The project's llmstruct.toml, the tasks' source of truth: mirrored into the store before the sync, and given
    /// back what the sync changed (issue numbers, a state pulled from the tracker) after it. Null syncs the store alone.
    /// </summary>
    public string? ConfigFile { get; init; }

    /// <summary>Retry and wait settings, or null for the defaults.</summary>
    public TrackerRetryOptions? Retry { get; init; }

    // The record's ToString leaves the token out: a request that ends up in a log or an exception shows no secret.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ProjectDirectory = ").Append(ProjectDirectory)
            .Append(", Tracker = ").Append(Tracker)
            .Append(", Remote = ").Append(Remote)
            .Append(", Token = ").Append(Token.Length == 0 ? "(none)" : "(set)")
            .Append(", ApiUrl = ").Append(ApiUrl)
            .Append(", DryRun = ").Append(DryRun);
        return true;
    }
}

/// <summary>The one entry point behind <c>llmstruct tasks sync</c>: opens the store, makes the tracker client, syncs.</summary>
public static class TaskSyncRunner
{
    /// <summary>Makes the <see cref="IIssueTracker"/> for <paramref name="request"/>.</summary>
    public static IIssueTracker CreateTracker(TaskSyncRequest request, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Tracker == TaskTracker.GitHub
            ? new GitHubIssueTracker(request.Remote, request.Token, request.ApiUrl, request.Retry, logger)
            : new GitLabIssueTracker(request.Remote, request.Token, request.ApiUrl, request.Retry, logger);
    }

    /// <summary>
    /// Syncs the tasks of the project's store with the tracker. Throws <see cref="TrackerException"/> when the tracker
    /// fails, <see cref="TaskStoreException"/> when the store cannot be opened, <see cref="ArgumentException"/> for a
    /// malformed remote.
    /// </summary>
    public static async Task<TaskSyncReport> RunAsync(
        TaskSyncRequest request, TasksOptions? options = null, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= new TasksOptions();
        loggers ??= NullLoggerFactory.Instance;
        // llmstruct.toml first: the store syncs what the file says now, and what the sync changes goes back into the
        // file, or the next read of the file would undo it (and the sync after that would push the old state back).
        var service = request.ConfigFile is null ? null : new TaskService(Microsoft.Extensions.Options.Options.Create(options), loggers.CreateLogger<TaskService>());
        if (service is not null)
        {
            await service.LoadAsync(request.ConfigFile!, cancellationToken).ConfigureAwait(false);
        }
        TaskSyncReport report;
        var tracker = CreateTracker(request, loggers.CreateLogger("LlmStruct.Tasks.Sync.Tracker"));
        try
        {
            await using var store = await TaskStore.OpenAsync(
                Path.Combine(request.ProjectDirectory, options.DatabasePath), loggers.CreateLogger<TaskStore>(), busyTimeoutMs: options.LockTimeoutMs,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            report = await new TaskSyncService(loggers.CreateLogger<TaskSyncService>()).SyncAsync(store, tracker, request.DryRun, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            (tracker as IDisposable)?.Dispose();
        }
        if (service is not null && !report.DryRun)
        {
            var source = request.Tracker == TaskTracker.GitHub ? TaskEventSource.GitHub : TaskEventSource.GitLab;
            foreach (var changed in report.ChangedTasks)
            {
                await service.UpdateAsync(request.ConfigFile!, changed.Id, _ => changed, source, cancellationToken).ConfigureAwait(false);
            }
        }
        return report;
    }
}
