using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmStruct.Bot.Telegram.Tests.Fakes;
using LlmStruct.Llm.Tests.Servers;

namespace LlmStruct.Bot.Telegram.Tests;

/// <summary>
/// Voice messages: real OGG/Opus speech served by the fake Bot API, downloaded by the bot, sent as multipart to an
/// OpenAI-compatible transcription server through Microsoft.Extensions.AI's speech-to-text client, the transcript shown
/// and then run as a /fix.
/// </summary>
public sealed class VoiceTests
{
    private const long Owner = BotScenario.Owner;

    private static string Readable(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [SpokenAudioFact]
    public async Task A_voice_message_is_transcribed_shown_and_drives_fix()
    {
        const string said = "Reject negative prices in total";
        var audio = SpokenAudio.Make(said, "en");
        await using var s = await BotScenario.StartAsync(transcription: said);
        s.Telegram.AddFile("voice-1", "voice/file_1.oga", audio);
        s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok(BotScenario.Diff));

        s.Telegram.Push(Updates.Voice(Owner, "voice-1", audio.Length));

        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty), s.Log);
        var request = Assert.Single(s.Speech.Requests);
        Assert.Equal("whisper-test", request.Model);
        Assert.Equal(audio, request.Audio); // the very file, downloaded and passed on
        Assert.Equal("OggS", System.Text.Encoding.ASCII.GetString(request.Audio, 0, 4));
        Assert.Equal("Bearer stt-key-123", request.Authorization);
        var texts = s.Telegram.TextsTo(Owner);
        int heard = texts.FindIndex(t => t == $"I heard: «{said}»");
        int working = texts.FindIndex(t => t.StartsWith("Working on it", StringComparison.Ordinal));
        Assert.True(heard >= 0 && heard < working, string.Join(" | ", texts)); // shown before anything runs
        Assert.Contains(s.Llm.Requests, r => r.Body.Contains(said, StringComparison.Ordinal));
        Assert.Equal(1, s.Telegram.Downloads["voice/file_1.oga"]);
    }

    [SpokenAudioFact]
    public async Task A_Russian_voice_message_goes_through_with_its_language()
    {
        const string said = "Дружище, сделай код хорошо: запрети отрицательные цены";
        var audio = SpokenAudio.Make(said, "ru");
        await using var s = await BotScenario.StartAsync(transcription: said, transcriptionToml: "language = \"ru\"");
        s.Telegram.AddFile("voice-ru", "voice/file_2.oga", audio);
        s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok(BotScenario.Diff));

        s.Telegram.Push(Updates.Voice(Owner, "voice-ru", audio.Length));

        await s.Telegram.WaitForTextAsync(Owner, $"I heard: «{said}»");
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty), s.Log);
        var request = Assert.Single(s.Speech.Requests);
        Assert.Equal("ru", request.Language);
        Assert.Contains(s.Llm.Requests, r => Readable(r.Body).Contains(said, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_50_MB_voice_message_is_refused_by_its_reported_size_and_never_downloaded()
    {
        await using var s = await BotScenario.StartAsync();

        s.Telegram.Push(Updates.Voice(Owner, "huge", 50L * 1024 * 1024));

        var reply = await s.Telegram.WaitForTextAsync(Owner, "That voice message is 50 MB");
        Assert.Contains("at most 20 MB", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Telegram.Calls, c => c.Method is "getFile" or "file");
        Assert.Empty(s.Speech.Requests);
        Assert.Empty(s.Llm.Requests);
    }

    [Fact]
    public void Local_Whisper_needs_a_model_file()
    {
        // No model file and no endpoint: the bot says how to turn voice on instead of failing.
        var (client, off) = LlmStruct.Bot.Telegram.Speech.SpeechToTextFactory.Create(
            new Configuration.TranscriptionOptions { WhisperModelPath = "models/ggml-base.bin" }, _ => null);
        Assert.Null(client);
        Assert.Contains("whisper_model_path", off, StringComparison.Ordinal);
    }
}
