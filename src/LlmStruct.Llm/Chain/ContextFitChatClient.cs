using LlmStruct.Llm.Tokens;
using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Chain;

/// <summary>Skips the provider when the prompt plus the answer it may generate does not fit its context window.</summary>
internal sealed class ContextFitChatClient(IChatClient inner, LlmProviderSettings settings) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        EnsureFits(list, options);
        return base.GetResponseAsync(list, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        EnsureFits(list, options);
        return base.GetStreamingResponseAsync(list, options, cancellationToken);
    }

    private void EnsureFits(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (settings.ContextWindow is not int window)
        {
            return;
        }
        var counter = InnerClient.GetService<IPromptTokenCounter>() ?? EstimatingTokenCounter.Instance;
        int prompt = ConversationTokens.Count(messages, counter);
        int output = options?.MaxOutputTokens ?? settings.MaxOutputTokens;
        if (prompt + output > window)
        {
            throw new ProviderSkippedException(
                FallbackOutcome.SkippedContextWindow,
                $"prompt of {prompt} tokens plus {output} for the answer does not fit the {window}-token context window");
        }
    }
}
