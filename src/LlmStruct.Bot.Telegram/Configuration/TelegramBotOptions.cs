using System.Collections.Immutable;

namespace LlmStruct.Bot.Telegram.Configuration;

/// <summary>
/// The <c>[telegram]</c> section of <c>llmstruct.toml</c>: who the bot answers, how often, and how voice is transcribed.
/// The bot token is never configured here: it comes from the <c>TELEGRAM_BOT_TOKEN</c> environment variable.
/// </summary>
public sealed record TelegramBotOptions
{
    /// <summary>The section's name in llmstruct.toml.</summary>
    public const string SectionName = "telegram";

    /// <summary>Telegram user ids the bot answers anywhere; only they may press Apply (<c>allowed_users</c>).</summary>
    public ImmutableArray<long> AllowedUsers { get; init; } = [];

    /// <summary>Chat ids (groups) whose members the bot answers; Apply still needs an allowed user (<c>allowed_chats</c>).</summary>
    public ImmutableArray<long> AllowedChats { get; init; } = [];

    /// <summary>Most requests one user may make in a minute (<c>requests_per_minute</c>, default 10).</summary>
    public int RequestsPerMinute { get; init; } = 10;

    /// <summary>
    /// The largest voice message accepted, in bytes, as Telegram reports it before anything is downloaded
    /// (<c>max_voice_bytes</c>, default 20 MB: the most the Bot API lets a bot download).
    /// </summary>
    public long MaxVoiceBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Seconds each <c>getUpdates</c> long poll waits for news (<c>poll_timeout_seconds</c>, default 50).</summary>
    public int PollTimeoutSeconds { get; init; } = 50;

    /// <summary>A diff up to this many characters is also shown inline, not only as a file (<c>inline_diff_chars</c>, default 3000).</summary>
    public int InlineDiffChars { get; init; } = 3000;

    /// <summary>
    /// The GitHub repository (<c>OWNER/REPO</c>) the <b>Open pull request</b> button opens pull requests in
    /// (<c>github_repository</c>); null: no such button. The token comes from <c>GITHUB_TOKEN</c>.
    /// </summary>
    public string? GitHubRepository { get; init; }

    /// <summary>The git remote the pull request's branch is pushed to (<c>git_remote</c>, default <c>origin</c>).</summary>
    public string GitRemote { get; init; } = "origin";

    /// <summary>The GitHub API root (<c>github_api_url</c>); null: api.github.com (GitHub Enterprise: <c>https://HOST/api/v3/</c>).</summary>
    public string? GitHubApiUrl { get; init; }

    /// <summary>How voice messages become text (<c>[telegram.transcription]</c>).</summary>
    public TranscriptionOptions Transcription { get; init; } = new();
}

/// <summary>
/// <c>[telegram.transcription]</c>: an OpenAI-compatible <c>/v1/audio/transcriptions</c> endpoint (cloud or local
/// server), or a local Whisper model file. Without either, voice messages are answered with how to set one up.
/// </summary>
public sealed record TranscriptionOptions
{
    /// <summary>The OpenAI-compatible API root, e.g. <c>https://api.openai.com/v1</c> (<c>endpoint</c>).</summary>
    public string? Endpoint { get; init; }

    /// <summary>The transcription model (<c>model</c>, default <c>whisper-1</c>).</summary>
    public string Model { get; init; } = "whisper-1";

    /// <summary>The environment variable holding the endpoint's API key (<c>api_key_env</c>, default <c>OPENAI_API_KEY</c>).</summary>
    public string ApiKeyEnv { get; init; } = "OPENAI_API_KEY";

    /// <summary>The spoken language as an ISO-639-1 code (<c>language</c>, e.g. <c>ru</c>); null lets the model detect it.</summary>
    public string? Language { get; init; }

    /// <summary>A local Whisper GGML model file (<c>whisper_model_path</c>, relative to the project); used, when it exists, through <c>TelegramBotRequest.LocalWhisper</c> (LlmStruct.Speech.Whisper in the CLI), before <see cref="Endpoint"/>.</summary>
    public string? WhisperModelPath { get; init; }
}
