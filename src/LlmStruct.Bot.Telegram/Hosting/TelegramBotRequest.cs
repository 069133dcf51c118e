using LlmStruct.Configuration;

namespace LlmStruct.Bot.Telegram.Hosting;

/// <summary>What <see cref="TelegramBot.RunAsync"/> needs.</summary>
public sealed record TelegramBotRequest
{
    /// <summary>The environment variable the token is read from by hosts (the CLI): never a file.</summary>
    public const string TokenVariable = "TELEGRAM_BOT_TOKEN";

    /// <summary>The project folder: struct.json, llmstruct.toml and the files diffs apply to.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The llmstruct.toml to read <c>[telegram]</c>, <c>[llm]</c> and the tasks from; null: the one in <see cref="ProjectDirectory"/>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The bot token (from <see cref="TokenVariable"/>); kept in memory only, scrubbed from every log line and reply.</summary>
    public required string Token { get; init; }

    /// <summary>The Bot API server (scheme, host and port); null: Telegram's. Tests and self-hosted Bot API servers set it.</summary>
    public string? ApiBaseUrl { get; init; }

    /// <summary>The host's composition of the LLM chain from <c>[llm]</c> and the project folder (as <c>ServeOptions.LlmServices</c>).</summary>
    public required Func<LlmOptions, string, IServiceProvider> LlmServices { get; init; }

    /// <summary>A speech-to-text client to use instead of the one <c>[telegram.transcription]</c> describes (a host's own, e.g. local Whisper).</summary>
#pragma warning disable MEAI001 // ISpeechToTextClient is experimental in Microsoft.Extensions.AI 10.11
    public Microsoft.Extensions.AI.ISpeechToTextClient? SpeechToText { get; init; }

    /// <summary>
    /// Makes a speech-to-text client over a local Whisper model file, given its full path: used when
    /// <c>whisper_model_path</c> in <c>[telegram.transcription]</c> names a file that exists (it wins over
    /// <c>endpoint</c>). The CLI passes LlmStruct.Speech.Whisper's client; null: local Whisper is not available.
    /// </summary>
    public Func<string, Microsoft.Extensions.AI.ISpeechToTextClient>? LocalWhisper { get; init; }
#pragma warning restore MEAI001

    /// <summary>Reads environment variables (the transcription API key); null: the process environment.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <summary>The clock (rate limits, struct.json's age); null: the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>How many times an invalid model answer is sent back (as <c>--retries</c>).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The configuration file in use.</summary>
    internal string ConfigFile => ConfigPath ?? Path.Combine(ProjectDirectory, LlmStructOptions.FileName);
}

/// <summary>The bot cannot start: no token, a bad <c>[telegram]</c> section, no project. The message says why, for a person.</summary>
public sealed class TelegramBotSetupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TelegramBotSetupException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public TelegramBotSetupException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public TelegramBotSetupException() { }
}
