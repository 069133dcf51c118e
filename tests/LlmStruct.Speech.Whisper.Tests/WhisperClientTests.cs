using LlmStruct.Bot.Telegram.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace LlmStruct.Speech.Whisper.Tests;

#pragma warning disable MEAI001 // experimental speech-to-text abstraction

/// <summary>
/// Bad model files and bad audio: a readable <see cref="WhisperSpeechException"/>, never a crash. These run without a
/// real model (none can be downloaded in CI).
/// </summary>
public sealed class WhisperClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("llmstruct-whisper-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<WhisperSpeechException> TranscribeFailsAsync(string model)
    {
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = model });
        using var audio = new MemoryStream(new byte[16]);
        return await Assert.ThrowsAsync<WhisperSpeechException>(() => client.GetTextAsync(audio));
    }

    [Fact]
    public async Task A_missing_model_file_is_a_readable_error()
    {
        var ex = await TranscribeFailsAsync(Path.Combine(_dir, "ggml-base.bin"));
        Assert.Contains("ggml-base.bin was not found", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_dir, ex.Message, StringComparison.Ordinal); // the file name, not where it lives
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2 })]
    [InlineData(new byte[] { (byte)'G', (byte)'G', (byte)'U', (byte)'F', 3, 0, 0, 0 })] // a llama.cpp GGUF file
    [InlineData(new byte[] { 0x80, 0x02, 0x63, 0x74, 0x6f, 0x72, 0x63, 0x68 })] // a PyTorch pickle
    public async Task A_file_that_is_not_a_ggml_whisper_model_is_a_readable_error(byte[] bytes)
    {
        var ex = await TranscribeFailsAsync(Write("ggml-bad.bin", bytes));
        Assert.Contains("ggml-bad.bin is not a Whisper model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_model_with_the_right_magic_is_a_readable_error()
    {
        // The magic, then hparams cut short: whisper.cpp's loader must refuse it, not read past the end.
        var bytes = new byte[] { 0x6c, 0x6d, 0x67, 0x67, 0x00, 0xc4, 0x00, 0x00 };
        var ex = await TranscribeFailsAsync(Write("ggml-cut.bin", bytes));
        Assert.Contains("ggml-cut.bin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_with_the_right_magic_and_random_bytes_is_a_readable_error()
    {
        var bytes = new byte[4096];
        new Random(25).NextBytes(bytes);
        bytes[0] = 0x6c; bytes[1] = 0x6d; bytes[2] = 0x67; bytes[3] = 0x67;
        var ex = await TranscribeFailsAsync(Write("ggml-noise.bin", bytes));
        Assert.Contains("ggml-noise.bin", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A sound header (Whisper tiny's hyper-parameters, mel filters, a vocabulary) and then tensors that are not Whisper's.</summary>
    private static byte[] TinyHeader(string tensorName)
    {
        using var bytes = new MemoryStream();
        using var w = new BinaryWriter(bytes);
        w.Write(0x67676d6c);
        foreach (var h in new[] { 51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1 })
        {
            w.Write(h);
        }
        w.Write(80);
        w.Write(201);
        w.Write(new byte[80 * 201 * 4]);
        w.Write(3);
        foreach (var word in new[] { "a", "b", "c" })
        {
            w.Write((uint)word.Length);
            w.Write(System.Text.Encoding.ASCII.GetBytes(word));
        }
        w.Write(1); // n_dims
        w.Write(tensorName.Length);
        w.Write(0); // f32
        w.Write(4); // ne[0]
        w.Write(System.Text.Encoding.ASCII.GetBytes(tensorName));
        w.Write(new byte[16]);
        return bytes.ToArray();
    }

    [Theory]
    [InlineData("not.a.whisper.tensor")]
    [InlineData("encoder.conv1.bias")]
    public async Task A_sound_header_with_wrong_tensors_is_refused_by_whisper_cpp_readably(string tensor)
    {
        var ex = await TranscribeFailsAsync(Write("ggml-tensors.bin", TinyHeader(tensor)));
        Assert.Contains("ggml-tensors.bin could not be loaded as a Whisper model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_load_is_tried_again_so_a_fixed_file_is_picked_up()
    {
        var model = Path.Combine(_dir, "ggml-later.bin");
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = model });
        var first = await Assert.ThrowsAsync<WhisperSpeechException>(() => client.GetTextAsync(new MemoryStream()));
        Assert.Contains("not found", first.Message, StringComparison.Ordinal);
        File.WriteAllBytes(model, [1, 2, 3, 4]);
        var second = await Assert.ThrowsAsync<WhisperSpeechException>(() => client.GetTextAsync(new MemoryStream()));
        Assert.Contains("not a Whisper model", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_describes_itself()
    {
        using var client = new WhisperSpeechToTextClient(new WhisperOptions { ModelPath = "models/ggml-base.bin" });
        var metadata = Assert.IsType<SpeechToTextClientMetadata>(client.GetService(typeof(SpeechToTextClientMetadata)));
        Assert.Equal("whisper.net", metadata.ProviderName);
        Assert.Equal("ggml-base.bin", metadata.DefaultModelId);
        Assert.Same(client, client.GetService(typeof(ISpeechToTextClient)));
        Assert.Null(client.GetService(typeof(string)));
    }

    [Fact]
    public async Task Without_ffmpeg_decoding_says_how_to_install_it()
    {
        var ex = await Assert.ThrowsAsync<WhisperSpeechException>(() =>
            AudioDecoder.DecodeAsync(new MemoryStream([1, 2, 3]), Path.Combine(_dir, "no-ffmpeg"), TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Contains("needs ffmpeg", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install ffmpeg", ex.Message, StringComparison.Ordinal);
    }

    [SpokenAudioFact]
    public async Task Ffmpeg_decodes_a_telegram_voice_note_to_16_kHz_mono_samples()
    {
        var ogg = SpokenAudio.Make("one two three", "en");
        var samples = await AudioDecoder.DecodeAsync(new MemoryStream(ogg), "ffmpeg", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.InRange(samples.Length, AudioDecoder.SampleRate / 2, AudioDecoder.SampleRate * 5); // about a second of speech
        Assert.Contains(samples, s => Math.Abs(s) > 0.05f); // sound, not silence
        Assert.All(samples, s => Assert.InRange(s, -1.5f, 1.5f));
    }

    [SpokenAudioFact]
    public async Task Audio_ffmpeg_cannot_read_is_a_readable_error()
    {
        var ex = await Assert.ThrowsAsync<WhisperSpeechException>(() =>
            AudioDecoder.DecodeAsync(new MemoryStream("this is not audio"u8.ToArray()), "ffmpeg", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.StartsWith("ffmpeg could not read the audio", ex.Message, StringComparison.Ordinal);
    }

    [SpokenAudioFact]
    public async Task Audio_longer_than_the_bound_is_refused()
    {
        var ogg = SpokenAudio.Make("this sentence takes well over one second to say", "en");
        var ex = await Assert.ThrowsAsync<WhisperSpeechException>(() =>
            AudioDecoder.DecodeAsync(new MemoryStream(ogg), "ffmpeg", TimeSpan.FromSeconds(0.5), CancellationToken.None));
        Assert.Contains("longer than", ex.Message, StringComparison.Ordinal);
    }
}
