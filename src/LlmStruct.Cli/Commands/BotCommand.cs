using System.CommandLine;
using LlmStruct.Bot.Telegram.Hosting;
using LlmStruct.Configuration;
using LlmStruct.Speech.Whisper;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// <c>llmstruct bot telegram [--input DIR]</c>: the project's Telegram bot (<see cref="TelegramBot"/>), long polling until
/// Ctrl+C or SIGTERM. The token comes from <c>TELEGRAM_BOT_TOKEN</c> only. Exit 0 when stopped, 2 for a setup problem.
/// </summary>
internal static class BotCommand
{
    public static Command Create(CliConsole console, Action<ILoggingBuilder> logging, Func<LlmOptions, string, IServiceProvider> llm)
    {
        var input = new Option<DirectoryInfo>("--input", "-i") { Description = "Project folder with struct.json (default: the current folder).", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var config = new Option<FileInfo>("--config", "-c") { Description = "Configuration file (default: llmstruct.toml in the project folder)." };
        var apiUrl = new Option<string>("--api-url") { Description = "Bot API server (default: Telegram's; set it for a self-hosted telegram-bot-api)." };
        var telegram = new Command("telegram", $"Answer /fix, voice, tasks, context and status in Telegram (token from ${TelegramBotRequest.TokenVariable}; only the ids in [telegram] of llmstruct.toml).")
        {
            input, config, apiUrl,
        };
        telegram.SetAction(async (result, cancellationToken) =>
        {
            var project = result.GetValue(input)!.FullName;
            string configPath;
            try
            {
                configPath = ConfigFile.Find(result.GetValue(config), project);
            }
            catch (ConfigException ex)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
            if (!File.Exists(Path.Combine(project, "struct.json")))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"struct file not found in {project} (run 'llmstruct parse' first)").ConfigureAwait(false);
            }
            var token = Environment.GetEnvironmentVariable(TelegramBotRequest.TokenVariable);
            if (string.IsNullOrWhiteSpace(token))
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, $"set {TelegramBotRequest.TokenVariable} to the bot's token (from @BotFather; see docs/telegram.md)").ConfigureAwait(false);
            }
            using var loggers = LoggerFactory.Create(logging);
            var request = new TelegramBotRequest
            {
                ProjectDirectory = project,
                ConfigPath = configPath,
                Token = token,
                ApiBaseUrl = result.GetValue(apiUrl),
                LlmServices = llm,
                // whisper_model_path naming an existing file: voice is transcribed in-process (docs/telegram.md).
#pragma warning disable MEAI001 // ISpeechToTextClient is experimental in Microsoft.Extensions.AI 10.11
                LocalWhisper = model => new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = model }, loggers.CreateLogger<WhisperSpeechToTextClient>()),
#pragma warning restore MEAI001
            };
            await console.Out.WriteLineAsync("polling Telegram for updates; press Ctrl+C to stop").ConfigureAwait(false);
            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await TelegramBot.RunAsync(request, loggers, cancellationToken).ConfigureAwait(false);
            }
            catch (TelegramBotSetupException ex)
            {
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        return new Command("bot", "Chat front doors over the project (telegram).") { telegram };
    }
}
