using LlmStruct.Bot.Telegram.Configuration;
using LlmStruct.Configuration;

namespace LlmStruct.Bot.Telegram.Tests;

/// <summary>The [telegram] section of llmstruct.toml.</summary>
public sealed class ConfigTests
{
    [Fact]
    public void The_section_binds_and_unknown_keys_warn()
    {
        var (options, warnings) = TelegramConfigReader.Read("""
            [llm]
            order = []

            [telegram]
            allowed_users = [111, 222]
            allowed_chats = [-100777]
            requests_per_minute = 5
            max_voice_bytes = 1048576
            colour = "blue"

            [telegram.transcription]
            endpoint = "http://127.0.0.1:8000/v1"
            model = "whisper-large-v3"
            language = "ru"
            """);

        Assert.Equal([111L, 222L], options.AllowedUsers.ToArray());
        Assert.Equal([-100777L], options.AllowedChats.ToArray());
        Assert.Equal(5, options.RequestsPerMinute);
        Assert.Equal(1_048_576, options.MaxVoiceBytes);
        Assert.Equal("whisper-large-v3", options.Transcription.Model);
        Assert.Equal("ru", options.Transcription.Language);
        Assert.Equal("OPENAI_API_KEY", options.Transcription.ApiKeyEnv);
        var warning = Assert.Single(warnings);
        Assert.Contains("telegram.colour", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allowed_users = \"111\"", "allowed_users must be an array of numeric ids")]
    [InlineData("allowed_users = [\"ann\"]", "allowed_users must be an array of numeric ids")]
    [InlineData("requests_per_minute = 0", "requests_per_minute must be a whole number from 1")]
    [InlineData("poll_timeout_seconds = 100000", "poll_timeout_seconds must be a whole number from 1 to 600")]
    public void Wrong_values_name_the_line_and_key(string line, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => TelegramConfigReader.Read($"[telegram]\n{line}\n"));
        Assert.Contains("llmstruct.toml:2: telegram.", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Core_leaves_the_section_to_the_bot_and_no_section_means_nobody_is_allowed()
    {
        var loaded = ConfigLoader.Parse("[telegram]\nallowed_users = [1]\n");
        Assert.Empty(loaded.Warnings);
        var (options, warnings) = TelegramConfigReader.Read("[project]\nname = \"x\"\n");
        Assert.Empty(options.AllowedUsers);
        Assert.Empty(options.AllowedChats);
        Assert.Empty(warnings);
    }
}
