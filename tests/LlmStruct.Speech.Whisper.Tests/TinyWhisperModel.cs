using System.Text;

namespace LlmStruct.Speech.Whisper.Tests;

/// <summary>
/// A Whisper model with random weights, written by the test in whisper.cpp's GGML format: the magic, the
/// hyper-parameters (Whisper's vocabulary, mel bins and context lengths, a width of 8 and one layer), the mel filters,
/// a vocabulary of made-up words, then every tensor whisper.cpp expects, by name and shape (ggml order: the innermost
/// dimension first), as an f16 model (weight matrices in f16). About 1 MB; it loads and runs end to end and transcribes gibberish.
/// </summary>
internal static class TinyWhisperModel
{
    private const int Vocab = 51865, AudioCtx = 1500, TextCtx = 448, Mels = 80, State = 8, Heads = 2;

    public static void Write(string path, int seed)
    {
        var random = new Random(seed);
        using var file = File.Create(path);
        using var w = new BinaryWriter(file);
        w.Write(0x67676d6c);
        foreach (var h in new[] { Vocab, AudioCtx, State, Heads, 1, TextCtx, State, Heads, 1, Mels, 1 /* f16 */ })
        {
            w.Write(h);
        }
        w.Write(Mels);
        w.Write(201);
        for (int i = 0; i < Mels * 201; i++)
        {
            w.Write((float)(random.NextDouble() * 0.01));
        }
        // Every token id has a word (whisper.cpp looks some up by id without a fallback): the ordinary tokens are made up.
        w.Write(Vocab);
        for (int i = 0; i < Vocab; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(i < 256 ? ((char)(i % 94 + 33)).ToString() : $" w{i}");
            w.Write((uint)bytes.Length);
            w.Write(bytes);
        }
        // As whisper.cpp's converter writes an f16 model: weight matrices in f16, biases, norms and positions in f32.
        void Tensor(string name, params int[] shape) => Typed(name, half: shape.Length >= 2 && name.EndsWith(".weight", StringComparison.Ordinal), shape);

        void Typed(string name, bool half, params int[] shape)
        {
            var bytes = Encoding.ASCII.GetBytes(name);
            w.Write(shape.Length);
            w.Write(bytes.Length);
            w.Write(half ? 1 : 0); // GGML_TYPE_F16 or GGML_TYPE_F32
            foreach (var d in shape)
            {
                w.Write(d);
            }
            w.Write(bytes);
            long count = shape.Aggregate(1L, (a, b) => a * b);
            for (long i = 0; i < count; i++)
            {
                var value = (random.NextDouble() - 0.5) * 0.2;
                if (half)
                {
                    w.Write((Half)value);
                }
                else
                {
                    w.Write((float)value);
                }
            }
        }
        Tensor("encoder.positional_embedding", State, AudioCtx);
        Tensor("encoder.conv1.weight", 3, Mels, State);
        Tensor("encoder.conv1.bias", 1, State);
        Tensor("encoder.conv2.weight", 3, State, State);
        Tensor("encoder.conv2.bias", 1, State);
        Tensor("encoder.ln_post.weight", State);
        Tensor("encoder.ln_post.bias", State);
        Block("encoder.blocks.0", cross: false);
        Tensor("decoder.positional_embedding", State, TextCtx);
        Tensor("decoder.token_embedding.weight", State, Vocab);
        Tensor("decoder.ln.weight", State);
        Tensor("decoder.ln.bias", State);
        Block("decoder.blocks.0", cross: true);

        void Block(string prefix, bool cross)
        {
            Tensor($"{prefix}.mlp_ln.weight", State);
            Tensor($"{prefix}.mlp_ln.bias", State);
            Tensor($"{prefix}.mlp.0.weight", State, 4 * State);
            Tensor($"{prefix}.mlp.0.bias", 4 * State);
            Tensor($"{prefix}.mlp.2.weight", 4 * State, State);
            Tensor($"{prefix}.mlp.2.bias", State);
            Attention($"{prefix}.attn");
            if (cross)
            {
                Attention($"{prefix}.cross_attn");
            }
        }

        void Attention(string prefix)
        {
            Tensor($"{prefix}_ln.weight", State);
            Tensor($"{prefix}_ln.bias", State);
            Tensor($"{prefix}.query.weight", State, State);
            Tensor($"{prefix}.query.bias", State);
            Tensor($"{prefix}.key.weight", State, State);
            Tensor($"{prefix}.value.weight", State, State);
            Tensor($"{prefix}.value.bias", State);
            Tensor($"{prefix}.out.weight", State, State);
            Tensor($"{prefix}.out.bias", State);
        }
    }
}
