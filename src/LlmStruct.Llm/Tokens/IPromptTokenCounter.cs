namespace LlmStruct.Llm.Tokens;

/// <summary>
/// Counts tokens the way one model does. A provider's <see cref="Microsoft.Extensions.AI.IChatClient"/> offers it through
/// <c>GetService(typeof(IPromptTokenCounter))</c> when it knows its tokenizer (local GGUF models do); otherwise a
/// conservative estimate is used.
/// </summary>
public interface IPromptTokenCounter
{
    /// <summary>Tokens <paramref name="text"/> takes in this model.</summary>
    int CountTokens(string text);
}
