using LlmStruct.Bot.Telegram.Tests.Fakes;

namespace LlmStruct.Speech.Whisper.Tests;

#pragma warning disable MEAI001 // experimental speech-to-text abstraction

/// <summary>
/// A real Whisper model (<c>LLMSTRUCT_WHISPER_MODEL=/path/ggml-*.bin</c>, e.g. ggml-base.bin from whisper.cpp's model
/// list) transcribing real speech made by espeak-ng and encoded as Telegram's OGG/Opus by ffmpeg. Skipped with the
/// reason when the variable, the file, espeak-ng or ffmpeg is missing.
/// </summary>
public sealed class RealModelTests
{
    [RealWhisperFact]
    public async Task English_speech_is_transcribed()
    {
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = Environment.GetEnvironmentVariable(RealWhisperFactAttribute.ModelVariable)!, Language = "en" });
        var ogg = SpokenAudio.Make("Reject negative prices in the total.", "en");
        var response = await client.GetTextAsync(new MemoryStream(ogg));
        var text = response.Text.ToLowerInvariant();
        Assert.Contains("negative", text, StringComparison.Ordinal);
        Assert.Contains("price", text, StringComparison.Ordinal);
    }

    [RealWhisperFact]
    public async Task The_language_is_detected_when_not_given()
    {
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = Environment.GetEnvironmentVariable(RealWhisperFactAttribute.ModelVariable)!, Language = "auto" });
        var ogg = SpokenAudio.Make("Hello world, this is a test.", "en");
        var response = await client.GetTextAsync(new MemoryStream(ogg));
        Assert.Contains("world", response.Text.ToLowerInvariant(), StringComparison.Ordinal);
    }

    [RealWhisperFact]
    public async Task A_cancelled_request_stops()
    {
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = Environment.GetEnvironmentVariable(RealWhisperFactAttribute.ModelVariable)! });
        var ogg = SpokenAudio.Make("Cancel me.", "en");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetTextAsync(new MemoryStream(ogg), null, cancel.Token));
    }
}
