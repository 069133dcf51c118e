using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Llm.Work;
using LlmStruct.Llm.Work.Diffs;
using LlmStruct.Pipeline;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace LlmStruct.Bot.Telegram.Conversation;

internal sealed partial class UpdateHandler
{
    /// <summary>The longest request accepted (as serve's work endpoints).</summary>
    public const int MaxTaskChars = 20_000;

    private async Task StartFixAsync(long chat, string task, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            await context.SayAsync(chat, "Tell me what to change, e.g. /fix reject negative prices in total", ct).ConfigureAwait(false);
            return;
        }
        if (task.Length > MaxTaskChars)
        {
            await context.SayAsync(chat, $"That request is longer than {MaxTaskChars} characters; please shorten it.", ct).ConfigureAwait(false);
            return;
        }
        if (!Jobs.TryStart(chat, job => FixAsync(chat, task.Trim(), job, ct), ct))
        {
            await context.SayAsync(chat, "I am still working on your last request. Wait for it, or /cancel it.", ct).ConfigureAwait(false);
        }
    }

    private async Task FixAsync(long chat, string task, CancellationToken job, CancellationToken stopping)
    {
        Message? status = null;
        using var done = CancellationTokenSource.CreateLinkedTokenSource(job);
        Task typing = Task.CompletedTask;
        try
        {
            status = await context.SayAsync(chat, "Working on it: planning…", stopping).ConfigureAwait(false);
            typing = KeepTypingAsync(chat, done.Token);
            using var session = await OpenSessionAsync(job).ConfigureAwait(false);
            var document = await StructJson.ReadFileAsync(context.StructPath, job).ConfigureAwait(false);
            var plugin = session.CreatePlugin(document);
            var plan = await plugin.AnalyzeTaskAsync(task, job).ConfigureAwait(false);
            await context.SayAsync(chat, PlanText(plan), stopping).ConfigureAwait(false);
            await context.EditAsync(status, "Working on it: writing the diff…", stopping).ConfigureAwait(false);
            var focus = plan.AffectedFiles.Where(f => IsProjectFile(session.Root, f)).ToList();
            var proposal = await plugin.GenerateDiffAsync(WithPlan(task, plan), focus, job).ConfigureAwait(false);
            await done.CancelAsync().ConfigureAwait(false);
            var files = proposal.Changes.Select(c => $"{c.Kind} {c.Path}").ToList();
            var key = _pending.Add(new PendingDiff(chat, task, proposal.Diff, files));
            var row = new List<InlineKeyboardButton> { InlineKeyboardButton.WithCallbackData("Apply", "apply:" + key) };
            if (context.Options.GitHubRepository is { Length: > 0 })
            {
                row.Add(InlineKeyboardButton.WithCallbackData("Open pull request", "pr:" + key));
            }
            row.Add(InlineKeyboardButton.WithCallbackData("Discard", "discard:" + key));
            var buttons = new InlineKeyboardMarkup(row);
            var caption = $"The diff applies cleanly: {string.Join(", ", files)}";
            if (proposal.Diff.Length <= context.Options.InlineDiffChars)
            {
                await context.SayAsync(chat, proposal.Diff, stopping).ConfigureAwait(false);
            }
            await context.SendFileAsync(chat, "fix.diff", proposal.Diff, caption, stopping, buttons).ConfigureAwait(false);
            await context.EditAsync(status, "Done: Apply or Discard the diff below.", stopping).ConfigureAwait(false);
            LogDiffReady(_logger, chat, files.Count, key);
        }
        catch (Exception ex) when (job.IsCancellationRequested && !stopping.IsCancellationRequested && ex is OperationCanceledException or LlmStruct.Llm.LlmUnavailableException)
        {
            await ReportAsync(chat, status, "Cancelled: nothing was changed.", stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex) is { } reason)
        {
            LogFixFailed(_logger, chat, context.Scrubber.Scrub(ex.Message));
            await ReportAsync(chat, status, reason + "\nNothing was changed.", stopping).ConfigureAwait(false);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            await typing.ConfigureAwait(false);
        }
    }

    private async Task ReportAsync(long chat, Message? status, string text, CancellationToken stopping)
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        if (status is not null)
        {
            await context.EditAsync(status, text, stopping).ConfigureAwait(false);
        }
        else
        {
            await context.SayAsync(chat, text, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>Shows "typing…" while the model works (Telegram shows it for 5 seconds a time).</summary>
    private async Task KeepTypingAsync(long chat, CancellationToken until)
    {
        try
        {
            while (!until.IsCancellationRequested)
            {
                await context.Bot.SendChatAction(chat, ChatAction.Typing, cancellationToken: until).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(4), time, until).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is global::Telegram.Bot.Exceptions.RequestException or HttpRequestException)
        {
            LogTypingFailed(_logger, context.Scrubber.Scrub(ex.Message)); // cosmetic: the work goes on
        }
    }

    private async Task HandlePressAsync(CallbackQuery press, CancellationToken ct)
    {
        long? user = press.From?.Id;
        var chat = press.Message?.Chat.Id;
        var parts = (press.Data ?? "").Split(':', 2);
        if (chat is null || parts.Length != 2 || parts[0] is not ("apply" or "discard" or "pr"))
        {
            await context.Bot.AnswerCallbackQuery(press.Id, "Unknown button.", cancellationToken: ct).ConfigureAwait(false);
            return;
        }
        if (!_access.MayChange(user))
        {
            LogRefusedPress(_logger, user, chat.Value);
            await context.Bot.AnswerCallbackQuery(press.Id, "Only the users listed in allowed_users may do that.", showAlert: true, cancellationToken: ct).ConfigureAwait(false);
            return;
        }
        var pending = _pending.Take(parts[1], chat.Value);
        if (pending is null)
        {
            await context.Bot.AnswerCallbackQuery(press.Id, "This diff is no longer waiting (applied, discarded or forgotten).", cancellationToken: ct).ConfigureAwait(false);
            return;
        }
        if (parts[0] == "discard")
        {
            await context.Bot.AnswerCallbackQuery(press.Id, "Discarded.", cancellationToken: ct).ConfigureAwait(false);
            await context.SayAsync(chat.Value, "Discarded: nothing was changed.", ct).ConfigureAwait(false);
            LogDiscarded(_logger, chat.Value, user);
            return;
        }
        if (parts[0] == "pr")
        {
            await OpenPullRequestAsync(press, chat.Value, user, parts[1], pending, ct).ConfigureAwait(false);
            return;
        }
        await context.Bot.AnswerCallbackQuery(press.Id, "Applying…", cancellationToken: ct).ConfigureAwait(false);
        try
        {
            using var session = await OpenSessionAsync(ct).ConfigureAwait(false);
            var changes = await session.ApplyDiffAsync(pending.Diff, ct).ConfigureAwait(false);
            LogApplied(_logger, chat.Value, user, changes.Count);
            await context.SayAsync(chat.Value, "Applied:\n" + string.Join('\n', changes.Select(c => $"{c.Kind} {c.Path}")), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(ex) is { } reason)
        {
            LogApplyFailed(_logger, chat.Value, context.Scrubber.Scrub(ex.Message));
            await context.SayAsync(chat.Value, reason + "\nNothing was changed.", ct).ConfigureAwait(false);
        }
    }

    private async Task OpenPullRequestAsync(CallbackQuery press, long chat, long? user, string key, PendingDiff pending, CancellationToken ct)
    {
        if (context.Options.GitHubRepository is not { Length: > 0 })
        {
            _pending.Restore(key, pending);
            await context.Bot.AnswerCallbackQuery(press.Id, "Pull requests are not set up (github_repository in [telegram]).", cancellationToken: ct).ConfigureAwait(false);
            return;
        }
        await context.Bot.AnswerCallbackQuery(press.Id, "Opening a pull request…", cancellationToken: ct).ConfigureAwait(false);
        try
        {
            var reply = await PullRequestPublisher.OpenAsync(context, pending, key, (c, root) => OpenSessionAsync(c, root), ct).ConfigureAwait(false);
            if (!reply.StartsWith("Opened", StringComparison.Ordinal))
            {
                _pending.Restore(key, pending); // nothing happened: Apply and Discard still work
            }
            else
            {
                LogPullRequest(_logger, chat, user);
            }
            await context.SayAsync(chat, reply, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is GitException or LlmStruct.Tasks.Sync.TrackerException || Describe(ex) is not null)
        {
            _pending.Restore(key, pending);
            LogPullRequestFailed(_logger, chat, context.Scrubber.Scrub(ex.Message));
            var reason = Describe(ex) ?? ex.Message;
            await context.SayAsync(chat, $"I could not open the pull request: {reason}\nYour files were not changed; the diff still waits for Apply or Discard.", ct).ConfigureAwait(false);
        }
    }

    private Task<LlmWorkSession> OpenSessionAsync(CancellationToken ct, string? root = null) =>
        LlmWorkSession.OpenAsync(new LlmWorkSessionRequest
        {
            ConfigPath = context.Request.ConfigFile,
            ProjectDirectory = context.ProjectDirectory,
            Root = root ?? context.ProjectDirectory,
            Retries = context.Request.Retries,
        }, context.Request.LlmServices, ct);

    /// <summary>A failure told to the user in words (never a stack trace); null for a bug, which the update loop logs.</summary>
    private static string? Describe(Exception ex) => ex switch
    {
        LlmWorkSetupException setup => $"I cannot reach a model: {setup.Message}",
        LlmStruct.Llm.LlmUnavailableException unavailable => $"No model answered: {unavailable.Message}",
        LlmWorkException work => $"The model gave no usable answer: {work.Message}"
            + (work.Errors.Count > 0 ? "\nLast problem: " + work.Errors[^1] : ""),
        DiffException diff => $"The diff does not apply to the files as they are now: {diff.Message}",
        ConfigException config => $"llmstruct.toml has a problem: {config.Message}",
        FileNotFoundException => "There is no struct.json yet: run 'llmstruct parse' in the project first.",
        JsonException or InvalidStructException => "struct.json cannot be read: run 'llmstruct parse' again.",
        IOException or UnauthorizedAccessException => $"A file could not be read or written: {ex.Message}",
        InvalidOperationException => $"The model call failed: {ex.Message}",
        _ => null,
    };

    private static bool IsProjectFile(string root, string path)
    {
        try
        {
            return File.Exists(SafePaths.Resolve(root, path));
        }
        catch (Exception ex) when (ex is DiffException or ArgumentException or IOException)
        {
            return false; // a path the model made up outside the project is simply not shown to it
        }
    }

    private static string WithPlan(string task, TaskAnalysis plan) =>
        plan.Steps.Length == 0 ? task : task + "\n\nPlan:\n" + string.Join('\n', plan.Steps.Select(s => "- " + s));

    internal static string PlanText(TaskAnalysis plan)
    {
        var text = new StringBuilder("Plan: ").AppendLine(plan.Summary);
        for (int i = 0; i < plan.Steps.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {plan.Steps[i]}").AppendLine();
        }
        if (plan.AffectedFiles.Length > 0)
        {
            text.Append("Files: ").AppendLine(string.Join(", ", plan.AffectedFiles));
        }
        if (plan.Risks.Length > 0)
        {
            text.Append("Risks: ").AppendLine(string.Join("; ", plan.Risks));
        }
        if (plan.Estimate.Length > 0)
        {
            text.Append("Size: ").AppendLine(plan.Estimate);
        }
        return text.ToString().TrimEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat {Chat}: a diff of {Files} file(s) waits for Apply or Discard ({Key})")]
    private static partial void LogDiffReady(ILogger logger, long chat, int files, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {Chat}: /fix failed: {Reason}")]
    private static partial void LogFixFailed(ILogger logger, long chat, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {Chat}: applying failed: {Reason}")]
    private static partial void LogApplyFailed(ILogger logger, long chat, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat {Chat}: user {User} applied a diff to {Files} file(s)")]
    private static partial void LogApplied(ILogger logger, long chat, long? user, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat {Chat}: user {User} discarded a diff")]
    private static partial void LogDiscarded(ILogger logger, long chat, long? user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a button press from user {User} in chat {Chat}: not in [telegram] allowed_users")]
    private static partial void LogRefusedPress(ILogger logger, long? user, long chat);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat {Chat}: user {User} opened a pull request")]
    private static partial void LogPullRequest(ILogger logger, long chat, long? user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {Chat}: opening a pull request failed: {Reason}")]
    private static partial void LogPullRequestFailed(ILogger logger, long chat, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The typing action failed: {Reason}")]
    private static partial void LogTypingFailed(ILogger logger, string reason);
}
