namespace LlmStruct.Speech.Whisper.Tests;

/// <summary>
/// A random-weight Whisper model written by the test (see <see cref="TinyWhisperModel"/>) in whisper.cpp's GGML format:
/// the header check accepts it and the real whisper.cpp loads every tensor of it. (Transcribing with it is not
/// tested: whisper.cpp 1.8 in Whisper.net 1.9.1 ends the process with std::out_of_range while decoding random
/// weights, which no managed code can catch; a real model runs in <see cref="RealModelTests"/>.)
/// </summary>
public sealed class TinyModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmstruct-whisper-tiny-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_random_weight_model_in_ggml_format_loads()
    {
        var model = Path.Combine(_dir, "ggml-tiny-random.bin");
        TinyWhisperModel.Write(model, seed: 25);
        Assert.Null(GgmlModelFile.Problem(model));
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = model, Threads = 1 });

        await client.LoadAsync();
        await client.LoadAsync(); // loaded once, a processor each time
    }

    [Fact]
    public async Task An_f32_model_is_refused_before_whisper_cpp_can_abort_on_it()
    {
        var model = Path.Combine(_dir, "ggml-f32.bin");
        TinyWhisperModel.Write(model, seed: 25);
        using (var file = new FileStream(model, FileMode.Open))
        {
            file.Position = 4 + 10 * sizeof(int); // ftype, the last hyper-parameter
            file.Write(BitConverter.GetBytes(0));
        }
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = model });

        var ex = await Assert.ThrowsAsync<WhisperSpeechException>(() => client.LoadAsync());

        Assert.Contains("ggml-f32.bin is an f32 model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_model_cut_short_is_refused_readably()
    {
        var whole = Path.Combine(_dir, "whole.bin");
        TinyWhisperModel.Write(whole, seed: 25);
        var bytes = File.ReadAllBytes(whole);
        var cut = Path.Combine(_dir, "ggml-cut.bin");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length - 1000).ToArray()); // the last tensor's data is missing
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = cut });

        var ex = await Assert.ThrowsAsync<WhisperSpeechException>(() => client.LoadAsync());

        Assert.Contains("ggml-cut.bin could not be loaded as a Whisper model", ex.Message, StringComparison.Ordinal);
    }
}
