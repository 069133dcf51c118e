using System.Text;
using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Tokens;

/// <summary>
/// A tokenizer-free estimate for models whose tokenizer is not at hand: one token per three UTF-8 bytes, rounded up.
/// BPE vocabularies average three to four bytes a token on English and code, so this errs towards "does not fit".
/// </summary>
internal sealed class EstimatingTokenCounter : IPromptTokenCounter
{
    public static EstimatingTokenCounter Instance { get; } = new();

    public int CountTokens(string text) => (Encoding.UTF8.GetByteCount(text) + 2) / 3;
}

/// <summary>
/// Counts the tokens of a whole conversation: exactly, with a counter that knows the model's chat template; else the
/// messages' tokens with a per-message allowance for role markers.
/// </summary>
internal static class ConversationTokens
{
    // Chat templates wrap every message in a few special tokens (role, start, end).
    private const int PerMessageOverhead = 4;

    public static int Count(IEnumerable<ChatMessage> messages, IPromptTokenCounter counter)
    {
        if (counter is IConversationTokenCounter exact)
        {
            return exact.CountConversation(messages);
        }
        int total = 0;
        foreach (var message in messages)
        {
            total += PerMessageOverhead + counter.CountTokens(message.Text);
        }
        return total;
    }
}
