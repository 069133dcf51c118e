using LlmStruct.Model;

namespace LlmStruct.Llm.Usage;

/// <summary>Folds the usage store into struct.json's <c>metrics.llm</c>.</summary>
public static class UsageMetrics
{
    /// <summary>
    /// The document with <c>metrics.llm</c> replaced by the store's aggregates (per provider and model, ordered).
    /// The same store contents always give the same document: only sums, counts and maxima, never timestamps.
    /// </summary>
    public static async Task<StructDocument> WithUsageAsync(StructDocument document, IUsageStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(store);
        var summaries = await store.SummarizeAsync(cancellationToken).ConfigureAwait(false);
        return document with { Metrics = document.Metrics with { Llm = [.. summaries] } };
    }
}
