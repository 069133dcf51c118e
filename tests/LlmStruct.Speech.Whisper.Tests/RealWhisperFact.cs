using LlmStruct.Bot.Telegram.Tests.Fakes;

namespace LlmStruct.Speech.Whisper.Tests;

/// <summary>
/// A test that needs a real Whisper model (<c>LLMSTRUCT_WHISPER_MODEL=/path/ggml-*.bin</c>; none can be downloaded in
/// CI) and the speech tools (espeak-ng, ffmpeg); skipped with the reason otherwise. Shared with the bot's tests.
/// </summary>
public sealed class RealWhisperFactAttribute : FactAttribute
{
    /// <summary>The variable naming the model file.</summary>
    public const string ModelVariable = "LLMSTRUCT_WHISPER_MODEL";

    public RealWhisperFactAttribute()
    {
        var model = Environment.GetEnvironmentVariable(ModelVariable);
        Skip = string.IsNullOrWhiteSpace(model) ? $"set {ModelVariable} to a Whisper GGML model file (ggml-*.bin) to run the local Whisper tests"
            : !File.Exists(model) ? $"{ModelVariable} names {model}, which does not exist"
            : SpokenAudio.SkipReason;
    }
}
