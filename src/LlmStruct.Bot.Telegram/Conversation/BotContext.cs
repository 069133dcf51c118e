using LlmStruct.Bot.Telegram.Configuration;
using LlmStruct.Bot.Telegram.Hosting;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>What every part of a conversation shares: the Bot API client, the settings, and safe ways to reply.</summary>
internal sealed class BotContext(ITelegramBotClient bot, TelegramBotRequest request, TelegramBotOptions options, SecretScrubber scrubber, ILogger logger)
{
    /// <summary>Telegram's limit on a message's text.</summary>
    public const int MaxMessageChars = 4096;

    public ITelegramBotClient Bot { get; } = bot;

    public TelegramBotRequest Request { get; } = request;

    public TelegramBotOptions Options { get; } = options;

    public SecretScrubber Scrubber { get; } = scrubber;

    public ILogger Logger { get; } = logger;

    public string ProjectDirectory { get; } = Path.GetFullPath(request.ProjectDirectory);

    public string StructPath => Path.Combine(ProjectDirectory, "struct.json");

    /// <summary>Sends <paramref name="text"/> (scrubbed, cut to Telegram's limit) to <paramref name="chat"/>.</summary>
    public Task<Message> SayAsync(long chat, string text, CancellationToken ct, ReplyMarkup? markup = null) =>
        Bot.SendMessage(chat, Fit(text), replyMarkup: markup, cancellationToken: ct);

    /// <summary>Replaces the text of a status message.</summary>
    public Task EditAsync(Message message, string text, CancellationToken ct) =>
        Bot.EditMessageText(message.Chat.Id, message.Id, Fit(text), cancellationToken: ct);

    /// <summary>Sends a text file (UTF-8) with a caption and optional buttons.</summary>
    public Task<Message> SendFileAsync(long chat, string name, string content, string caption, CancellationToken ct, ReplyMarkup? markup = null)
    {
        var stream = new MemoryStream(new System.Text.UTF8Encoding(false).GetBytes(Scrubber.Scrub(content)));
        return Bot.SendDocument(chat, InputFile.FromStream(stream, name), caption: Fit(caption, 1024), replyMarkup: markup, cancellationToken: ct);
    }

    private string Fit(string text, int max = MaxMessageChars)
    {
        var safe = Scrubber.Scrub(text);
        return safe.Length <= max ? safe : safe[..(max - 1)] + "…";
    }
}
