using LlmStruct.Bot.Telegram.Configuration;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>
/// Turns one update into replies: access check (strangers refused once, logged), the per-user rate limit, then the
/// command. Long work (/fix) runs as the chat's one job so the next updates (/cancel) are read meanwhile.
/// </summary>
#pragma warning disable MEAI001 // ISpeechToTextClient is experimental in Microsoft.Extensions.AI 10.11
internal sealed partial class UpdateHandler(BotContext context, TimeProvider time, Microsoft.Extensions.AI.ISpeechToTextClient? speech, string? speechOff)
#pragma warning restore MEAI001
{
    private readonly AccessPolicy _access = new(context.Options);
    private readonly RateLimiter _rate = new(context.Options.RequestsPerMinute, time);
    private readonly PendingDiffs _pending = new();
    private readonly ILogger _logger = context.Logger;

    /// <summary>The running jobs (the host drains them when it stops).</summary>
    public ChatJobs Jobs { get; } = new();

    /// <summary>True when no user or chat is allowed.</summary>
    public bool NobodyAllowed => _access.Empty;

    public const string Help = """
        I work on this project for you.
        /fix <what to do> — plan it, then propose a diff (Apply / Discard); in a private chat plain text and voice work too
        /cancel — stop the running request
        /tasks — open tasks; /task ID — one task; /done ID — mark it done; /new <title> — add a task
        /context <path> — the code context around a file or folder
        /status — struct.json's age, the model chain, today's usage
        """;

    /// <summary>Handles one update; never throws for the content of an update (Bot API failures do propagate).</summary>
    public async Task HandleAsync(Update update, CancellationToken ct)
    {
        if (update.CallbackQuery is { } press)
        {
            await HandlePressAsync(press, ct).ConfigureAwait(false);
            return;
        }
        if (update.Message is not { } message)
        {
            return;
        }
        long chat = message.Chat.Id;
        long? user = message.From?.Id;
        if (!_access.MayTalk(user, chat))
        {
            if (_access.FirstRefusal(user, chat))
            {
                LogRefused(_logger, user, chat);
                await context.SayAsync(chat, $"Sorry, I only answer the people my owner listed. Your user id is {user?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}.", ct).ConfigureAwait(false);
            }
            return;
        }
        if (!_rate.TryTake(user ?? chat))
        {
            await context.SayAsync(chat, $"Slow down, please: at most {context.Options.RequestsPerMinute} requests a minute.", ct).ConfigureAwait(false);
            return;
        }
        if (message.Voice is { } voice)
        {
            await HandleVoiceAsync(message, voice, ct).ConfigureAwait(false);
        }
        else if (message.Text is { } text)
        {
            await HandleTextAsync(message, text, ct).ConfigureAwait(false);
        }
    }

    private async Task HandleTextAsync(Message message, string text, CancellationToken ct)
    {
        long chat = message.Chat.Id;
        var (command, argument) = SplitCommand(text);
        switch (command)
        {
            case null when message.Chat.Type == ChatType.Private:
                await StartFixAsync(chat, text, ct).ConfigureAwait(false);
                break;
            case null:
                break; // plain talk in a group is not for the bot
            case "start" or "help":
                await context.SayAsync(chat, Help, ct).ConfigureAwait(false);
                break;
            case "fix":
                await StartFixAsync(chat, argument, ct).ConfigureAwait(false);
                break;
            case "cancel":
                await context.SayAsync(chat, Jobs.Cancel(chat) ? "Cancelling…" : "Nothing is running.", ct).ConfigureAwait(false);
                break;
            case "tasks":
                await context.SayAsync(chat, await TaskReplies.ListAsync(context, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                break;
            case "task":
                await context.SayAsync(chat, await TaskReplies.ShowAsync(context, argument, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                break;
            case "done":
                await context.SayAsync(chat, await TaskReplies.DoneAsync(context, argument, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                break;
            case "new":
                await context.SayAsync(chat, await TaskReplies.AddAsync(context, argument, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                break;
            case "context":
                await ContextReply.SendAsync(context, chat, argument, ct).ConfigureAwait(false);
                break;
            case "status":
                await context.SayAsync(chat, await StatusReply.RenderAsync(context, time, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                break;
            default:
                await context.SayAsync(chat, $"I do not know /{command}.\n\n{Help}", ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// <c>/fix@MyBot make it so</c> gives ("fix", "make it so"); text that is not a command gives (null, text).
    /// </summary>
    internal static (string? Command, string Argument) SplitCommand(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('/') || trimmed.Length == 1)
        {
            return (null, trimmed);
        }
        int space = trimmed.IndexOfAny([' ', '\n', '\t']);
        var head = space < 0 ? trimmed[1..] : trimmed[1..space];
        int at = head.IndexOf('@', StringComparison.Ordinal);
        var command = (at < 0 ? head : head[..at]).ToLowerInvariant();
        return (command, space < 0 ? "" : trimmed[(space + 1)..].Trim());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a message from user {User} in chat {Chat}: not in [telegram] allowed_users or allowed_chats")]
    private static partial void LogRefused(ILogger logger, long? user, long chat);
}
