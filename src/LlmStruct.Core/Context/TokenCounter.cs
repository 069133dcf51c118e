using Microsoft.ML.Tokenizers;

namespace LlmStruct.Context;

/// <summary>The tokenizers, created once (loading the vocabulary takes a moment) and shared; counting is thread-safe.</summary>
internal static class TokenCounter
{
    private static readonly Lazy<Tokenizer> O200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    public static Tokenizer Get(string name) => name switch
    {
        ContextTokenizers.O200k => O200k.Value,
        ContextTokenizers.Cl100k => Cl100k.Value,
        _ => throw new ArgumentException($"unknown tokenizer '{name}' (expected {string.Join(" or ", ContextTokenizers.All)})", nameof(name)),
    };

    public static int Count(Tokenizer tokenizer, string text) => text.Length == 0 ? 0 : tokenizer.CountTokens(text);
}
