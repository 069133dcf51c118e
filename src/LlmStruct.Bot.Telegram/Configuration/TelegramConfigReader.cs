using System.Collections.Immutable;
using LlmStruct.Configuration;
using LlmStruct.Tasks.Toml;
using Tomlyn.Syntax;

namespace LlmStruct.Bot.Telegram.Configuration;

/// <summary>
/// Reads <c>[telegram]</c> and <c>[telegram.transcription]</c> from llmstruct.toml's syntax tree (Core leaves the section
/// to this package). A wrongly typed value is a <see cref="ConfigException"/> naming the file, line and key; an unknown
/// key is a warning.
/// </summary>
public static class TelegramConfigReader
{
    private static readonly string[] MainKeys =
        ["allowed_users", "allowed_chats", "requests_per_minute", "max_voice_bytes", "poll_timeout_seconds", "inline_diff_chars",
            "github_repository", "git_remote", "github_api_url"];

    private static readonly string[] TranscriptionKeys = ["endpoint", "model", "api_key_env", "language", "whisper_model_path"];

    /// <summary>Reads <paramref name="path"/>; a missing file gives the defaults (nobody allowed).</summary>
    public static async Task<(TelegramBotOptions Options, IReadOnlyList<string> Warnings)> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return (new TelegramBotOptions(), []);
        }
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{Path.GetFileName(path)}: cannot read: {ex.Message}", ex);
        }
        return Read(text, Path.GetFileName(path));
    }

    /// <summary>Reads the section from <paramref name="text"/>; <paramref name="sourceName"/> is used in messages.</summary>
    public static (TelegramBotOptions Options, IReadOnlyList<string> Warnings) Read(string text, string sourceName = LlmStructOptions.FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var syntax = TaskTomlReader.ParseSyntax(text, sourceName);
        var options = new TelegramBotOptions();
        var transcription = new TranscriptionOptions();
        var warnings = new List<string>();
        foreach (var table in syntax.Tables)
        {
            var name = TaskTomlReader.KeyPath(table.Name!);
            bool main = name is ["telegram"];
            bool voice = name is ["telegram", "transcription"];
            if (!main && !voice)
            {
                if (name is ["telegram", ..])
                {
                    warnings.Add($"{sourceName}:{TaskTomlReader.Line(table)}: unknown table [{string.Join('.', name)}] is ignored");
                }
                continue;
            }
            foreach (var kv in table.Items)
            {
                var key = string.Join('.', TaskTomlReader.KeyPath(kv.Key!));
                var where = $"{sourceName}:{TaskTomlReader.Line(kv)}: {string.Join('.', name)}.{key}";
                if (main)
                {
                    options = key switch
                    {
                        "allowed_users" => options with { AllowedUsers = Ids(kv.Value!, where) },
                        "allowed_chats" => options with { AllowedChats = Ids(kv.Value!, where) },
                        "requests_per_minute" => options with { RequestsPerMinute = (int)Positive(kv.Value!, where, 10_000) },
                        "max_voice_bytes" => options with { MaxVoiceBytes = Positive(kv.Value!, where, long.MaxValue) },
                        "poll_timeout_seconds" => options with { PollTimeoutSeconds = (int)Positive(kv.Value!, where, 600) },
                        "inline_diff_chars" => options with { InlineDiffChars = (int)Positive(kv.Value!, where, 4000) },
                        "github_repository" => options with { GitHubRepository = String(kv.Value!, where) },
                        "git_remote" => options with { GitRemote = String(kv.Value!, where) },
                        "github_api_url" => options with { GitHubApiUrl = String(kv.Value!, where) },
                        _ => Unknown(options, warnings, where),
                    };
                }
                else
                {
                    transcription = key switch
                    {
                        "endpoint" => transcription with { Endpoint = String(kv.Value!, where) },
                        "model" => transcription with { Model = String(kv.Value!, where) },
                        "api_key_env" => transcription with { ApiKeyEnv = String(kv.Value!, where) },
                        "language" => transcription with { Language = String(kv.Value!, where) },
                        "whisper_model_path" => transcription with { WhisperModelPath = String(kv.Value!, where) },
                        _ => Unknown(transcription, warnings, where),
                    };
                }
            }
        }
        return (options with { Transcription = transcription }, warnings);
    }

    /// <summary>The keys <c>[telegram]</c> knows, then those of <c>[telegram.transcription]</c>.</summary>
    internal static IReadOnlyList<string> Keys => [.. MainKeys, .. TranscriptionKeys];

    private static T Unknown<T>(T value, List<string> warnings, string where)
    {
        warnings.Add($"{where}: unknown key is ignored");
        return value;
    }

    private static ImmutableArray<long> Ids(ValueSyntax value, string where)
    {
        if (value is not ArraySyntax array)
        {
            throw new ConfigException($"{where} must be an array of numeric ids ([123456789])");
        }
        var ids = ImmutableArray.CreateBuilder<long>();
        foreach (var item in array.Items)
        {
            ids.Add(item.Value is IntegerValueSyntax n ? n.Value : throw new ConfigException($"{where} must be an array of numeric ids ([123456789])"));
        }
        return ids.ToImmutable();
    }

    private static long Positive(ValueSyntax value, string where, long max) =>
        value is IntegerValueSyntax { Value: > 0 } n && n.Value <= max
            ? n.Value
            : throw new ConfigException($"{where} must be a whole number from 1 to {max}");

    private static string String(ValueSyntax value, string where) =>
        value is StringValueSyntax s ? s.Value ?? "" : throw new ConfigException($"{where} must be a string");
}
