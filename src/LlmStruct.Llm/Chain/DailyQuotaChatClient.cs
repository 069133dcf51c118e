using LlmStruct.Llm.Usage;
using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Chain;

/// <summary>Skips the provider once it has taken its daily (UTC) number of requests, counted in the usage store.</summary>
internal sealed class DailyQuotaChatClient(IChatClient inner, LlmProviderSettings settings, IUsageStore store, TimeProvider time)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await EnsureQuotaLeftAsync(cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureQuotaLeftAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private async Task EnsureQuotaLeftAsync(CancellationToken cancellationToken)
    {
        if (settings.DailyQuota is not int quota)
        {
            return;
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        long used = await store.CountCallsAsync(settings.Name, today, cancellationToken).ConfigureAwait(false);
        if (used >= quota)
        {
            throw new ProviderSkippedException(FallbackOutcome.SkippedQuota, $"daily quota of {quota} requests used up ({used} today, UTC)");
        }
    }
}
