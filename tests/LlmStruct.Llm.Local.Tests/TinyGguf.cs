using System.Text;

namespace LlmStruct.Llm.Local.Tests;

/// <summary>
/// Writes a tiny but complete GGUF v3 model: llama architecture, 2 layers, 64-wide embeddings, 4 heads (2 KV heads),
/// an SPM vocabulary (special tokens, the 256 byte tokens, a few words) and seeded random F32 weights. About half a
/// megabyte; it loads in milliseconds and generates (meaningless) tokens.
/// </summary>
internal static class TinyGguf
{
    public const int ContextLength = 256;
    private const int Embedding = 64;
    private const int Layers = 2;
    private const int Heads = 4;
    private const int KvHeads = 2;
    private const int FeedForward = 128;
    private const int Alignment = 32;

    // GGUF metadata value types.
    private const uint TypeUInt32 = 4;
    private const uint TypeInt32 = 5;
    private const uint TypeFloat32 = 6;
    private const uint TypeString = 8;
    private const uint TypeArray = 9;

    public static readonly string[] Words =
    [
        "▁hello", "▁world", "▁the", "▁code", "▁struct", "▁parser", "▁module", "▁function", "▁class", "▁file",
        "▁a", "▁is", "▁in", "▁of", "▁to", "▁and", "▁answer", "▁question", "▁project", "▁test",
    ];

    public static string Write(string path, int seed = 7, string? chatTemplate = null)
    {
        var (tokens, scores, types) = Vocabulary();
        var tensors = Tensors(tokens.Count, new Random(seed));

        using var stream = File.Create(path);
        using var w = new BinaryWriter(stream, Encoding.UTF8);
        var metadata = new List<Action>
        {
            () => { Key(w, "general.architecture"); w.Write(TypeString); Str(w, "llama"); },
            () => { Key(w, "general.name"); w.Write(TypeString); Str(w, "llmstruct-tiny-test"); },
            () => { Key(w, "general.alignment"); w.Write(TypeUInt32); w.Write((uint)Alignment); },
            () => U32(w, "llama.context_length", ContextLength),
            () => U32(w, "llama.embedding_length", Embedding),
            () => U32(w, "llama.block_count", Layers),
            () => U32(w, "llama.feed_forward_length", FeedForward),
            () => U32(w, "llama.attention.head_count", Heads),
            () => U32(w, "llama.attention.head_count_kv", KvHeads),
            () => U32(w, "llama.rope.dimension_count", Embedding / Heads),
            () => { Key(w, "llama.attention.layer_norm_rms_epsilon"); w.Write(TypeFloat32); w.Write(1e-5f); },
            () => { Key(w, "tokenizer.ggml.model"); w.Write(TypeString); Str(w, "llama"); },
            () => { Key(w, "tokenizer.ggml.tokens"); w.Write(TypeArray); w.Write(TypeString); w.Write((ulong)tokens.Count); tokens.ForEach(t => Str(w, t)); },
            () => { Key(w, "tokenizer.ggml.scores"); w.Write(TypeArray); w.Write(TypeFloat32); w.Write((ulong)scores.Count); scores.ForEach(w.Write); },
            () => { Key(w, "tokenizer.ggml.token_type"); w.Write(TypeArray); w.Write(TypeInt32); w.Write((ulong)types.Count); types.ForEach(w.Write); },
            () => U32(w, "tokenizer.ggml.unknown_token_id", 0),
            () => U32(w, "tokenizer.ggml.bos_token_id", 1),
            () => U32(w, "tokenizer.ggml.eos_token_id", 2),
        };
        if (chatTemplate is not null)
        {
            metadata.Add(() => { Key(w, "tokenizer.chat_template"); w.Write(TypeString); Str(w, chatTemplate); });
        }

        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)metadata.Count);
        metadata.ForEach(m => m());

        ulong offset = 0;
        foreach (var (name, dims, _) in tensors)
        {
            Str(w, name);
            w.Write((uint)dims.Length);
            foreach (var d in dims)
            {
                w.Write((ulong)d);
            }
            w.Write(0u); // GGML_TYPE_F32
            w.Write(offset);
            offset += Align((ulong)(dims.Aggregate(1L, (a, b) => a * b) * 4));
        }
        Pad(w);
        foreach (var (_, _, data) in tensors)
        {
            foreach (var value in data)
            {
                w.Write(value);
            }
            Pad(w);
        }
        return path;
    }

    private static (List<string> Tokens, List<float> Scores, List<int> Types) Vocabulary()
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { 2, 3, 3 }; // unknown, control, control
        for (int b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(6); // byte
        }
        foreach (var c in "▁abcdefghijklmnopqrstuvwxyz")
        {
            tokens.Add(c.ToString());
            types.Add(1);
        }
        // SPM builds a word by merging adjacent pieces, so every prefix of a word must be a token too.
        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        foreach (var word in Words)
        {
            for (int length = 2; length <= word.Length; length++)
            {
                if (seen.Add(word[..length]))
                {
                    tokens.Add(word[..length]);
                    types.Add(1);
                }
            }
        }
        tokens.AddRange(["<|im_start|>", "<|im_end|>"]);
        types.AddRange([3, 3]);
        // SPM merges the highest-scoring pair first: longer pieces score higher.
        var scores = tokens.Select((t, i) => types[i] == 1 ? -10f + t.Length : 0f).ToList();
        return (tokens, scores, types);
    }

    private static List<(string Name, long[] Dims, float[] Data)> Tensors(int vocab, Random random)
    {
        int headDim = Embedding / Heads;
        var list = new List<(string, long[], float[])>();
        void Add(string name, params long[] dims) => list.Add((name, dims, Weights(dims, random, ones: false)));
        void Norm(string name) => list.Add((name, [Embedding], Weights([Embedding], random, ones: true)));

        Add("token_embd.weight", Embedding, vocab);
        for (int i = 0; i < Layers; i++)
        {
            Norm($"blk.{i}.attn_norm.weight");
            Add($"blk.{i}.attn_q.weight", Embedding, Heads * headDim);
            Add($"blk.{i}.attn_k.weight", Embedding, KvHeads * headDim);
            Add($"blk.{i}.attn_v.weight", Embedding, KvHeads * headDim);
            Add($"blk.{i}.attn_output.weight", Heads * headDim, Embedding);
            Norm($"blk.{i}.ffn_norm.weight");
            Add($"blk.{i}.ffn_gate.weight", Embedding, FeedForward);
            Add($"blk.{i}.ffn_up.weight", Embedding, FeedForward);
            Add($"blk.{i}.ffn_down.weight", FeedForward, Embedding);
        }
        Norm("output_norm.weight");
        Add("output.weight", Embedding, vocab);
        return list;
    }

    private static float[] Weights(long[] dims, Random random, bool ones)
    {
        var data = new float[dims.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = ones ? 1f : (float)((random.NextDouble() * 2 - 1) * 0.5);
        }
        return data;
    }

    private static void U32(BinaryWriter w, string key, uint value)
    {
        Key(w, key);
        w.Write(TypeUInt32);
        w.Write(value);
    }

    private static void Key(BinaryWriter w, string key) => Str(w, key);

    private static void Str(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static ulong Align(ulong n) => (n + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        long position = w.BaseStream.Position;
        long padded = (long)Align((ulong)position);
        for (long i = position; i < padded; i++)
        {
            w.Write((byte)0);
        }
    }
}
