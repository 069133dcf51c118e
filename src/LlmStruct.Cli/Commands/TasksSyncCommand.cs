using System.CommandLine;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Store;
using LlmStruct.Tasks.Sync;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct tasks sync --github OWNER/REPO | --gitlab GROUP/PROJECT [--api-url URL] [--dry-run]</c>: syncs the
/// tasks with a tracker's issues (token from <c>GITHUB_TOKEN</c> / <c>GITLAB_TOKEN</c>).
/// </summary>
internal static class TasksSyncCommand
{
    public static Command Create(CliConsole console)
    {
        var github = new Option<string>("--github") { Description = "Sync with the issues of this GitHub repository (OWNER/REPO); token from GITHUB_TOKEN." };
        var gitlab = new Option<string>("--gitlab") { Description = "Sync with the issues of this GitLab project (GROUP/PROJECT); token from GITLAB_TOKEN." };
        var apiUrl = new Option<string>("--api-url") { Description = "API root for GitHub Enterprise (https://HOST/api/v3) or self-managed GitLab (https://HOST/api/v4)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan; write nothing to the tracker or the store." };
        var project = new Option<DirectoryInfo>("--project", "-p") { Description = "Project folder (default: the current folder)." };
        var command = new Command("sync", "Create and update tracker issues for the tasks, and take back what changed there.")
        {
            github, gitlab, apiUrl, dryRun, project,
        };
        command.SetAction(async (result, cancellationToken) => await RunAsync(
            console, result.GetValue(github), result.GetValue(gitlab), result.GetValue(apiUrl), result.GetValue(dryRun),
            result.GetValue(project)?.FullName ?? Directory.GetCurrentDirectory(), cancellationToken).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console, string? github, string? gitlab, string? apiUrl, bool dryRun, string projectDirectory, CancellationToken cancellationToken)
    {
        if ((github is null) == (gitlab is null))
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, "give one of --github OWNER/REPO or --gitlab GROUP/PROJECT").ConfigureAwait(false);
        }
        var tracker = github is not null ? TaskTracker.GitHub : TaskTracker.GitLab;
        var variable = tracker == TaskTracker.GitHub ? "GITHUB_TOKEN" : "GITLAB_TOKEN";
        var token = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(token))
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, $"{variable} is not set: export a token that may read and write the issues").ConfigureAwait(false);
        }
        Uri? api = null;
        if (apiUrl is not null && (!Uri.TryCreate(apiUrl, UriKind.Absolute, out api) || api.Scheme is not ("http" or "https")))
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, $"--api-url '{apiUrl}' is not an http(s) address").ConfigureAwait(false);
        }
        var request = new TaskSyncRequest
        {
            ProjectDirectory = projectDirectory,
            ConfigFile = Path.Combine(projectDirectory, "llmstruct.toml") is var toml && File.Exists(toml) ? toml : null,
            Tracker = tracker,
            Remote = github ?? gitlab!,
            Token = token.Trim(),
            ApiUrl = api,
            DryRun = dryRun,
        };
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new WarningsToStderr(console.Error)));
        TaskSyncReport report;
        try
        {
            report = await TaskSyncRunner.RunAsync(request, loggers: loggers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TrackerException or TaskStoreException or ArgumentException or LlmStruct.Configuration.ConfigException or IOException)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
        }
        foreach (var action in report.Actions.Where(a => a.Kind != TaskSyncActionKind.Unchanged))
        {
            await console.Out.WriteLineAsync(action.Describe(action.TaskId)).ConfigureAwait(false);
        }
        foreach (var warning in report.Warnings)
        {
            await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }
        var counts = string.Join(", ", report.Actions.GroupBy(a => a.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        var name = tracker == TaskTracker.GitHub ? "GitHub" : "GitLab";
        await console.Error.WriteLineAsync(report.DryRun
            ? $"{name} {report.Remote}: dry run, nothing written ({(counts.Length == 0 ? "no tasks" : counts)})"
            : $"{name} {report.Remote}: {(counts.Length == 0 ? "no tasks" : counts)}; {report.TrackerWrites} tracker writes, {report.ChangedTasks.Length} tasks updated").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Tracker warnings (rate-limit waits, retries) to stderr as <c>warning: …</c>; nothing below warning.</summary>
    private sealed class WarningsToStderr(TextWriter error) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (error)
                {
                    error.WriteLine($"warning: {formatter(state, exception)}");
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
