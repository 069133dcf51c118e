using System.CommandLine;
using System.Globalization;
using System.Text;
using LlmStruct.Ci.Errors;
using LlmStruct.Ci.Git;
using LlmStruct.Ci.Report;
using LlmStruct.Ci.Update;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct ci report|check|update|errors</c>: thin commands over the LlmStruct.Ci package for pipelines (the
/// GitHub Action and the GitLab template call them). Tokens come from <c>GITHUB_TOKEN</c> / <c>GITLAB_TOKEN</c> only.
/// </summary>
internal static class CiCommand
{
    /// <summary>The marker of the one pull request comment (merge request note) a report keeps.</summary>
    public const string ReportMarker = "<!-- llmstruct:ci-report -->";

    public static Command Create(CliConsole console, Func<ServiceProvider> services) =>
        new("ci", "Pipeline commands: review a change, check or update struct.json, keep parse-error issues.")
        {
            Report(console, services), Check(console, services), Update(console, services), Errors(console, services),
        };

    private static Command Report(CliConsole console, Func<ServiceProvider> services)
    {
        var baseRef = new Option<string>("--base") { Description = "The base revision (a branch, tag or commit).", Required = true };
        var headRef = new Option<string>("--head") { Description = "The head revision (default: HEAD).", DefaultValueFactory = _ => "HEAD" };
        var format = new Option<string>("--format") { Description = "md or json.", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "json");
        var budget = new Option<int>("--budget") { Description = "Entries shown per list; the rest are counted.", DefaultValueFactory = _ => ReportWriter.DefaultBudget };
        var repo = new Option<DirectoryInfo>("--repo") { Description = "A folder of the git repository (default: the current folder)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Also write the report to this file (atomically)." };
        var failOnNewErrors = new Option<bool>("--fail-on-new-errors") { Description = "Exit with 1 when the head has parse errors the base had not." };
        var (github, gitlab, apiUrl) = TrackerOptions("post the report as the one comment of a pull request (--pull)", "of a merge request (--merge-request)");
        var pull = new Option<long?>("--pull") { Description = "With --github: the pull request to comment on." };
        var mergeRequest = new Option<long?>("--merge-request") { Description = "With --gitlab: the merge request (iid) to comment on." };
        var command = new Command("report", "Report the structural change between two revisions, read from git's objects.")
        {
            baseRef, headRef, format, budget, repo, output, failOnNewErrors, github, gitlab, apiUrl, pull, mergeRequest,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            int size = result.GetValue(budget);
            if (size < 1)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, "--budget must be at least 1").ConfigureAwait(false);
            }
            var target = await TrackerTargetAsync(console, result.GetValue(github), result.GetValue(gitlab), result.GetValue(apiUrl), result.GetValue(pull), result.GetValue(mergeRequest), required: false).ConfigureAwait(false);
            if (target is { Failed: true })
            {
                return ExitCodes.UsageOrIo;
            }
            using var provider = services();
            ChangeReport report;
            try
            {
                report = await provider.GetRequiredService<ChangeReporter>().CreateAsync(
                    result.GetValue(repo)?.FullName ?? Directory.GetCurrentDirectory(), result.GetValue(baseRef)!, result.GetValue(headRef)!, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is GitException or ConfigException)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
            var text = result.GetValue(format) == "json" ? Encoding.UTF8.GetString(ReportWriter.Json(report, size)) : ReportWriter.Markdown(report, size);
            await console.Out.WriteAsync(text).ConfigureAwait(false);
            if (result.GetValue(output) is { } file)
            {
                try
                {
                    await StructFileWriter.WriteAtomicAsync(file.FullName, Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return await console.FailAsync(ExitCodes.UsageOrIo, $"cannot write {file}: {ex.Message}").ConfigureAwait(false);
                }
            }
            if (target is { Tracker: { } tracker })
            {
                using (tracker as IDisposable)
                {
                    try
                    {
                        var markdown = ReportWriter.Markdown(report, size);
                        var comment = tracker is GitLabIssueTracker gl
                            ? await gl.UpsertMergeRequestNoteAsync(target.Number, ReportMarker, markdown, cancellationToken).ConfigureAwait(false)
                            : await tracker.UpsertCommentAsync(target.Number, ReportMarker, markdown, cancellationToken).ConfigureAwait(false);
                        await console.Error.WriteLineAsync($"report comment {comment.Id.ToString(CultureInfo.InvariantCulture)} on {tracker.Remote} {(tracker is GitLabIssueTracker ? "!" : "#")}{target.Number.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                    }
                    catch (TrackerException ex)
                    {
                        return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
                    }
                }
            }
            if (result.GetValue(failOnNewErrors) && report.NewErrors.Length > 0)
            {
                await console.Error.WriteLineAsync($"{report.NewErrors.Length} new parse error(s)").ConfigureAwait(false);
                return ExitCodes.Findings;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Check(CliConsole console, Func<ServiceProvider> services)
    {
        var (input, structFile, config) = ProjectOptions();
        var command = new Command("check", "Exit with 1 when struct.json is not what a fresh parse writes (like a formatter's --check).") { input, structFile, config };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (await ProjectAsync(console, result.GetValue(input), result.GetValue(structFile), result.GetValue(config), cancellationToken).ConfigureAwait(false) is not { } project)
            {
                return ExitCodes.UsageOrIo;
            }
            using var provider = services();
            var check = await provider.GetRequiredService<StructUpdater>().CheckAsync(project.Root, project.Struct, project.Options, project.ConfigPath, cancellationToken).ConfigureAwait(false);
            var name = Path.GetRelativePath(Directory.GetCurrentDirectory(), project.Struct);
            if (!check.Stale)
            {
                await console.Out.WriteLineAsync($"{name} is up to date").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            await console.Out.WriteLineAsync($"{name} is stale: {Summary(check)}").ConfigureAwait(false);
            await console.Error.WriteLineAsync("run 'llmstruct ci update' (or 'llmstruct parse') and commit struct.json").ConfigureAwait(false);
            return ExitCodes.Findings;
        });
        return command;
    }

    private static Command Update(CliConsole console, Func<ServiceProvider> services)
    {
        var (input, structFile, config) = ProjectOptions();
        var commit = new Option<bool>("--commit") { Description = "Commit struct.json alone when it changed (bot identity, a [skip ci] message)." };
        var message = new Option<string>("--message", "-m") { Description = "The commit message.", DefaultValueFactory = _ => CommitOptions.DefaultMessage };
        var command = new Command("update", "Write struct.json when it is stale and, with --commit, commit that file alone.") { input, structFile, config, commit, message };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValue(message)))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, "--message is empty").ConfigureAwait(false);
            }
            if (await ProjectAsync(console, result.GetValue(input), result.GetValue(structFile), result.GetValue(config), cancellationToken).ConfigureAwait(false) is not { } project)
            {
                return ExitCodes.UsageOrIo;
            }
            using var provider = services();
            StructUpdate update;
            try
            {
                update = await provider.GetRequiredService<StructUpdater>().UpdateAsync(project.Root, project.Struct, project.Options, project.ConfigPath,
                    result.GetValue(commit) ? new CommitOptions { Message = result.GetValue(message)! } : null, cancellationToken).ConfigureAwait(false);
            }
            catch (GitException ex)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"cannot write {project.Struct}: {ex.Message}").ConfigureAwait(false);
            }
            var name = Path.GetRelativePath(Directory.GetCurrentDirectory(), project.Struct);
            await console.Out.WriteLineAsync(!update.Written ? $"{name} is up to date" : update.Check.Missing ? $"{name} created" : $"{name} updated: {Summary(update.Check)}").ConfigureAwait(false);
            if (update.Commit is not null)
            {
                await console.Out.WriteLineAsync($"committed {update.Commit}").ConfigureAwait(false);
            }
            else if (result.GetValue(commit))
            {
                await console.Out.WriteLineAsync("nothing to commit").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Errors(CliConsole console, Func<ServiceProvider> services)
    {
        var (input, structFile, config) = ProjectOptions();
        structFile.Description = "Read the errors from this struct.json instead of parsing the input folder.";
        var (github, gitlab, apiUrl) = TrackerOptions("keep one issue per file with parse errors", "");
        var command = new Command("errors", "Keep one tracker issue per file with parse errors: opened, updated, closed when the file parses again.")
        {
            input, structFile, config, github, gitlab, apiUrl,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var target = await TrackerTargetAsync(console, result.GetValue(github), result.GetValue(gitlab), result.GetValue(apiUrl), null, null, required: true).ConfigureAwait(false);
            if (target is not { Tracker: { } tracker })
            {
                return ExitCodes.UsageOrIo;
            }
            using (tracker as IDisposable)
            {
                IReadOnlyList<ParseError> errors;
                if (result.GetValue(structFile) is { } file)
                {
                    try
                    {
                        errors = (await StructJson.ReadFileAsync(file.FullName, cancellationToken).ConfigureAwait(false)).Errors;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or FormatException)
                    {
                        return await console.FailAsync(ExitCodes.UsageOrIo, $"cannot read {file}: {ex.Message}").ConfigureAwait(false);
                    }
                }
                else
                {
                    if (await ProjectAsync(console, result.GetValue(input), null, result.GetValue(config), cancellationToken).ConfigureAwait(false) is not { } project)
                    {
                        return ExitCodes.UsageOrIo;
                    }
                    using var parsing = services();
                    var parsed = await parsing.GetRequiredService<StructPipeline>().RunAsync(
                        new PipelineRequest { Root = project.Root, Options = project.Options, ConfigPath = project.ConfigPath }, cancellationToken: cancellationToken).ConfigureAwait(false);
                    errors = parsed.Document.Errors;
                }
                using var provider = services();
                ErrorIssueReport report;
                try
                {
                    report = await provider.GetRequiredService<ErrorIssueSync>().SyncAsync(tracker, errors, cancellationToken).ConfigureAwait(false);
                }
                catch (TrackerException ex)
                {
                    return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
                }
                foreach (var (verb, files) in new[] { ("opened", report.Created), ("updated", report.Updated), ("closed", report.Closed) })
                {
                    foreach (var path in files)
                    {
                        await console.Out.WriteLineAsync($"{verb} {CliText.Escape(path)}").ConfigureAwait(false);
                    }
                }
                await console.Error.WriteLineAsync($"parse-error issues: {report.Created.Length} opened, {report.Updated.Length} updated, {report.Closed.Length} closed, {report.Unchanged.Length} unchanged").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static string Summary(StructCheck check)
    {
        if (check.Missing)
        {
            return "the file does not exist";
        }
        if (check.Changes is not { } c)
        {
            return "the file is not a readable struct.json";
        }
        var parts = new List<string>();
        void Add(int count, string what, IReadOnlyList<string> examples)
        {
            if (count > 0)
            {
                var shown = string.Join(", ", examples.Take(3).Select(CliText.Escape)) + (examples.Count > 3 ? ", …" : "");
                parts.Add($"{count} {what} ({shown})");
            }
        }
        Add(c.ModulesAdded.Count, "module(s) added", c.ModulesAdded);
        Add(c.ModulesRemoved.Count, "module(s) removed", c.ModulesRemoved);
        Add(c.ModulesChanged.Count, "module(s) changed", c.ModulesChanged);
        Add(c.DefinitionsAdded.Count, "definition(s) added", c.DefinitionsAdded);
        Add(c.DefinitionsRemoved.Count, "definition(s) removed", c.DefinitionsRemoved);
        Add(c.DefinitionsChanged.Count, "definition(s) changed", c.DefinitionsChanged);
        return parts.Count == 0 ? "its bytes differ (links, tasks, stats or layout)" : string.Join("; ", parts);
    }

    private static (Option<DirectoryInfo> Input, Option<FileInfo> Struct, Option<FileInfo> Config) ProjectOptions() => (
        new Option<DirectoryInfo>("--input", "-i") { Description = "The project folder (default: the current folder)." },
        new Option<FileInfo>("--struct", "-s") { Description = "The struct.json (default: struct.json in the project folder)." },
        new Option<FileInfo>("--config", "-c") { Description = "Configuration file (default: llmstruct.toml in the project folder)." });

    private sealed record Project(string Root, string Struct, LlmStructOptions Options, string ConfigPath);

    private static async Task<Project?> ProjectAsync(CliConsole console, DirectoryInfo? input, FileInfo? structFile, FileInfo? config, CancellationToken cancellationToken)
    {
        var root = input?.FullName ?? Directory.GetCurrentDirectory();
        if (!Directory.Exists(root))
        {
            await console.FailAsync(ExitCodes.UsageOrIo, $"input folder not found: {input}").ConfigureAwait(false);
            return null;
        }
        try
        {
            var path = ConfigFile.Find(config, root);
            var loaded = await ConfigLoader.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (var warning in loaded.Warnings)
            {
                await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
            }
            return new Project(root, structFile?.FullName ?? Path.Combine(root, "struct.json"), loaded.Options, path);
        }
        catch (ConfigException ex)
        {
            await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            return null;
        }
    }

    private static (Option<string> GitHub, Option<string> GitLab, Option<string> ApiUrl) TrackerOptions(string githubUse, string gitlabUse) => (
        new Option<string>("--github") { Description = $"GitHub repository OWNER/REPO: {githubUse}; token from GITHUB_TOKEN." },
        new Option<string>("--gitlab") { Description = $"GitLab project GROUP/PROJECT: {(gitlabUse.Length == 0 ? githubUse : gitlabUse)}; token from GITLAB_TOKEN." },
        new Option<string>("--api-url") { Description = "API root for GitHub Enterprise (https://HOST/api/v3) or self-managed GitLab (https://HOST/api/v4); default: GITHUB_API_URL / CI_API_V4_URL, else the public service." });

    private sealed record TrackerTarget(IIssueTracker? Tracker, long Number, bool Failed);

    private static async Task<TrackerTarget?> TrackerTargetAsync(CliConsole console, string? github, string? gitlab, string? apiUrl, long? pull, long? mergeRequest, bool required)
    {
        async Task<TrackerTarget> Fail(string message)
        {
            await console.FailAsync(ExitCodes.UsageOrIo, message).ConfigureAwait(false);
            return new TrackerTarget(null, 0, true);
        }
        if (github is not null && gitlab is not null)
        {
            return await Fail("give one of --github OWNER/REPO or --gitlab GROUP/PROJECT").ConfigureAwait(false);
        }
        if (github is null && gitlab is null)
        {
            if (required)
            {
                return await Fail("give one of --github OWNER/REPO or --gitlab GROUP/PROJECT").ConfigureAwait(false);
            }
            return pull is not null || mergeRequest is not null ? await Fail("--pull needs --github, --merge-request needs --gitlab").ConfigureAwait(false) : null;
        }
        long number = 0;
        if (!required)
        {
            var given = github is not null ? pull : mergeRequest;
            if (given is not > 0)
            {
                return await Fail(github is not null ? "--github needs --pull N (the pull request to comment on)" : "--gitlab needs --merge-request IID").ConfigureAwait(false);
            }
            number = given.Value;
        }
        var variable = github is not null ? "GITHUB_TOKEN" : "GITLAB_TOKEN";
        var token = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(token))
        {
            return await Fail($"{variable} is not set: export a token that may write issues and comments").ConfigureAwait(false);
        }
        apiUrl ??= Environment.GetEnvironmentVariable(github is not null ? "GITHUB_API_URL" : "CI_API_V4_URL") is { Length: > 0 } fromEnv ? fromEnv : null;
        Uri? api = null;
        if (apiUrl is not null && (!Uri.TryCreate(apiUrl, UriKind.Absolute, out api) || api.Scheme is not ("http" or "https")))
        {
            return await Fail($"--api-url '{apiUrl}' is not an http(s) address").ConfigureAwait(false);
        }
        try
        {
            IIssueTracker tracker = github is not null
                ? new GitHubIssueTracker(github, token, api, null, null)
                : new GitLabIssueTracker(gitlab!, token, api, null, null);
            return new TrackerTarget(tracker, number, false);
        }
        catch (ArgumentException ex)
        {
            return await Fail(ex.Message.Split(" (Parameter", 2)[0]).ConfigureAwait(false);
        }
    }
}
