using LlmStruct.Bot.Telegram.Speech;
using LlmStruct.Bot.Telegram.Tests.Fakes;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Speech.Whisper;
using LlmStruct.Speech.Whisper.Tests;
using Microsoft.Extensions.AI;

namespace LlmStruct.Bot.Telegram.Tests;

#pragma warning disable MEAI001 // experimental speech-to-text abstraction

/// <summary>
/// <c>whisper_model_path</c>: the local Whisper client (LlmStruct.Speech.Whisper, wired as the CLI wires it) is picked
/// when the file exists, wins over <c>endpoint</c>, and a bad model file becomes a readable reply in the chat. With a
/// real model (<c>LLMSTRUCT_WHISPER_MODEL</c>) a spoken voice message goes all the way to a /fix.
/// </summary>
public sealed class LocalWhisperTests : IDisposable
{
    private const long Owner = BotScenario.Owner;
    private readonly string _dir = Directory.CreateTempSubdirectory("llmstruct-whisper-bot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Func<string, ISpeechToTextClient> Real => path => new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = path });

    [Fact]
    public void An_existing_model_file_picks_local_Whisper_over_the_endpoint()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "models"));
        File.WriteAllBytes(Path.Combine(_dir, "models", "ggml-base.bin"), [0x6c, 0x6d, 0x67, 0x67]);
        string? given = null;
        var (client, off) = SpeechToTextFactory.Create(
            new Configuration.TranscriptionOptions { WhisperModelPath = "models/ggml-base.bin", Endpoint = "http://127.0.0.1:9/v1" }, _ => null, _dir,
            path => { given = path; return Real(path); });
        Assert.Null(off);
        Assert.IsType<WhisperSpeechToTextClient>(client);
        Assert.Equal(Path.Combine(_dir, "models", "ggml-base.bin"), given); // resolved against the project
    }

    [Fact]
    public void A_missing_model_file_falls_back_to_the_endpoint_or_says_so()
    {
        var missing = new Configuration.TranscriptionOptions { WhisperModelPath = "models/ggml-small.bin" };
        var (none, off) = SpeechToTextFactory.Create(missing, _ => null, _dir, Real);
        Assert.Null(none);
        Assert.Contains("models/ggml-small.bin (whisper_model_path) was not found", off, StringComparison.Ordinal);

        var (endpoint, on) = SpeechToTextFactory.Create(missing with { Endpoint = "http://127.0.0.1:9/v1" }, _ => null, _dir, Real);
        Assert.Null(on);
        Assert.NotNull(endpoint);
        Assert.IsNotType<WhisperSpeechToTextClient>(endpoint);
    }

    [Fact]
    public void A_model_file_without_the_add_on_says_how_to_get_voice()
    {
        File.WriteAllBytes(Path.Combine(_dir, "ggml-base.bin"), [0x6c, 0x6d, 0x67, 0x67]);
        var (client, off) = SpeechToTextFactory.Create(new Configuration.TranscriptionOptions { WhisperModelPath = "ggml-base.bin" }, _ => null, _dir, localWhisper: null);
        Assert.Null(client);
        Assert.Contains("TelegramBotRequest.LocalWhisper", off, StringComparison.Ordinal);
    }

    [SpokenAudioFact]
    public async Task A_corrupt_model_file_is_a_readable_reply_and_the_bot_keeps_going()
    {
        var audio = SpokenAudio.Make("Reject negative prices", "en");
        await using var s = await BotScenario.StartAsync(
            transcriptionToml: "whisper_model_path = \"models/ggml-broken.bin\"",
            beforeStart: scenario => { scenario.Write("models/ggml-broken.bin", "lmgg but then nothing that a Whisper model needs, written by hand for this test"); return Task.CompletedTask; },
            localWhisper: Real);
        s.Telegram.AddFile("voice-bad", "voice/file_9.oga", audio);

        s.Telegram.Push(Updates.Voice(Owner, "voice-bad", audio.Length));

        await s.Telegram.WaitForTextAsync(Owner, "I could not transcribe that voice message: ggml-broken.bin has an implausible header (hyper-parameter 1 is 1953849888).");
        Assert.Empty(s.Speech.Requests); // the local model, not the endpoint
        Assert.Empty(s.Llm.Requests);
        s.Telegram.Push(Updates.Text(Owner, "/tasks"));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => s.Telegram.TextsTo(Owner).Any(t => t.Contains("TSK-001", StringComparison.Ordinal))), s.Log);
    }

    [RealWhisperFact]
    public async Task A_voice_message_is_transcribed_by_the_local_model_and_drives_fix()
    {
        var model = Environment.GetEnvironmentVariable(RealWhisperFactAttribute.ModelVariable)!;
        var audio = SpokenAudio.Make("Reject negative prices in the total.", "en");
        await using var s = await BotScenario.StartAsync(transcriptionToml: $"language = \"en\"\nwhisper_model_path = '{model}'", localWhisper: Real);
        s.Telegram.AddFile("voice-local", "voice/file_10.oga", audio);
        s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok(BotScenario.Diff));

        s.Telegram.Push(Updates.Voice(Owner, "voice-local", audio.Length));

        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty), s.Log);
        var heard = Assert.Single(s.Telegram.TextsTo(Owner), t => t.StartsWith("I heard: «", StringComparison.Ordinal));
        Assert.Contains("negative", heard, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(s.Speech.Requests);
        Assert.Contains(s.Llm.Requests, r => r.Body.Contains("negative", StringComparison.OrdinalIgnoreCase));
    }
}
