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

/// <summary>
/// A counter that knows how its model wraps a conversation (its chat template), so the chain's context-window check
/// counts the prompt the model will really see instead of the messages' text plus an allowance per message.
/// </summary>
internal interface IConversationTokenCounter
{
    /// <summary>Tokens the whole conversation takes once formatted for this model (with the reply's opening).</summary>
    int CountConversation(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages);
}
