using LlmStruct.Bot.Telegram.Configuration;
using LlmStruct.Bot.Telegram.Conversation;
using LlmStruct.Bot.Telegram.Speech;
using LlmStruct.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace LlmStruct.Bot.Telegram.Hosting;

/// <summary>
/// The Telegram bot of an LlmStruct project: long polling (<c>getUpdates</c> with an offset, so no public endpoint is
/// needed), one handler per update, a chat's long work as its one cancellable job. Bot API rate limits (429 with
/// <c>retry_after</c>) are waited out by Telegram.Bot's retry; other Bot API failures are logged (token scrubbed) and
/// polling goes on after a pause.
/// </summary>
public static partial class TelegramBot
{
    private static readonly UpdateType[] Wanted = [UpdateType.Message, UpdateType.CallbackQuery];

    /// <summary>
    /// Reads <c>[telegram]</c>, checks the project, then polls until <paramref name="cancellationToken"/> is cancelled
    /// (running jobs are cancelled and awaited). Throws <see cref="TelegramBotSetupException"/> when it cannot start.
    /// </summary>
    public static async Task RunAsync(TelegramBotRequest request, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("LlmStruct.Bot.Telegram");
        var (handler, bot, options) = await CreateAsync(request, logger, cancellationToken).ConfigureAwait(false);
        using (handler.Jobs)
        {
            var scrubber = new SecretScrubber(request.Token, request.ProjectDirectory);
            LogStarted(logger, options.AllowedUsers.Length, options.AllowedChats.Length);
            int? offset = null;
            var pause = TimeSpan.FromSeconds(1);
            while (!cancellationToken.IsCancellationRequested)
            {
                Update[] updates;
                try
                {
                    updates = await bot.GetUpdates(offset, 100, options.PollTimeoutSeconds, Wanted, cancellationToken).ConfigureAwait(false);
                    pause = TimeSpan.FromSeconds(1);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is RequestException or HttpRequestException or OperationCanceledException)
                {
                    LogPollFailed(logger, scrubber.Scrub(ex.Message), pause.TotalSeconds);
                    if (ex is ApiRequestException { ErrorCode: 401 or 404 })
                    {
                        throw new TelegramBotSetupException("Telegram refused the bot token (401/404): check TELEGRAM_BOT_TOKEN", ex);
                    }
                    try
                    {
                        await Task.Delay(pause, request.Time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                    pause = TimeSpan.FromSeconds(Math.Min(60, pause.TotalSeconds * 2));
                    continue;
                }
                foreach (var update in updates)
                {
                    offset = update.Id + 1;
                    try
                    {
                        await handler.HandleAsync(update, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // One bad update (or a Bot API failure while answering it) never stops the bot.
                        LogUpdateFailed(logger, update.Id, ex.GetType().Name, scrubber.Scrub(ex.Message));
                    }
                }
            }
            await handler.Jobs.DrainAsync().ConfigureAwait(false);
            LogStopped(logger);
        }
    }

    private static async Task<(UpdateHandler Handler, TelegramBotClient Bot, TelegramBotOptions Options)> CreateAsync(
        TelegramBotRequest request, ILogger logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Token))
        {
            throw new TelegramBotSetupException($"no bot token: set {TelegramBotRequest.TokenVariable} (from @BotFather)");
        }
        if (!Directory.Exists(request.ProjectDirectory))
        {
            throw new TelegramBotSetupException($"project folder not found: {request.ProjectDirectory}");
        }
        TelegramBotOptions options;
        try
        {
            (options, var warnings) = await TelegramConfigReader.ReadFileAsync(request.ConfigFile, cancellationToken).ConfigureAwait(false);
            foreach (var warning in warnings)
            {
                LogConfigWarning(logger, warning);
            }
        }
        catch (ConfigException ex)
        {
            throw new TelegramBotSetupException(ex.Message, ex);
        }
        ISpeechToTextClientHolder speech;
        try
        {
            speech = request.SpeechToText is { } given
                ? new(given, null)
                : new(SpeechToTextFactory.Create(options.Transcription, request.Environment ?? Environment.GetEnvironmentVariable, request.ProjectDirectory, request.LocalWhisper));
        }
        catch (ArgumentException ex)
        {
            throw new TelegramBotSetupException(ex.Message, ex);
        }
        var scrubber = new SecretScrubber(request.Token, request.ProjectDirectory);
        var http = new HttpClient(new BotApiLogging(logger) { InnerHandler = new SocketsHttpHandler() })
        {
            // Longer than a long poll, so the poll ends on Telegram's side first.
            Timeout = TimeSpan.FromSeconds(options.PollTimeoutSeconds + 60),
        };
        TelegramBotClientOptions clientOptions;
        try
        {
            clientOptions = new TelegramBotClientOptions(request.Token, request.ApiBaseUrl) { RetryThreshold = 60, RetryCount = 3 };
        }
        catch (ArgumentException ex)
        {
            throw new TelegramBotSetupException("the bot token is not of the form 123456:ABC… (from @BotFather): check " + TelegramBotRequest.TokenVariable, ex);
        }
        var bot = new TelegramBotClient(clientOptions, http, cancellationToken);
        var context = new BotContext(bot, request, options, scrubber, logger);
        var handler = new UpdateHandler(context, request.Time ?? TimeProvider.System, speech.Client, speech.Off);
        if (handler.NobodyAllowed)
        {
            LogNobodyAllowed(logger);
        }
        return (handler, bot, options);
    }

#pragma warning disable MEAI001 // experimental speech-to-text abstraction (see SpeechToTextFactory)
    private readonly record struct ISpeechToTextClientHolder(Microsoft.Extensions.AI.ISpeechToTextClient? Client, string? Off)
    {
        public ISpeechToTextClientHolder((Microsoft.Extensions.AI.ISpeechToTextClient? Client, string? Off) made) : this(made.Client, made.Off) { }
    }
#pragma warning restore MEAI001

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram bot polling: {Users} allowed user(s), {Chats} allowed chat(s)")]
    private static partial void LogStarted(ILogger logger, int users, int chats);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram bot stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No user or chat is allowed ([telegram] allowed_users / allowed_chats): the bot will refuse everyone")]
    private static partial void LogNobodyAllowed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogConfigWarning(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "getUpdates failed: {Reason}; trying again in {Seconds} s")]
    private static partial void LogPollFailed(ILogger logger, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Update {Update} failed: {Type}: {Reason}")]
    private static partial void LogUpdateFailed(ILogger logger, int update, string type, string reason);
}
