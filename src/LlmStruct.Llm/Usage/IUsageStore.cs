using LlmStruct.Model;

namespace LlmStruct.Llm.Usage;

/// <summary>Where per-call usage is kept; the source of daily quotas and of struct.json's <c>metrics.llm</c>.</summary>
public interface IUsageStore
{
    /// <summary>Records one call.</summary>
    Task RecordAsync(UsageRecord record, CancellationToken cancellationToken = default);

    /// <summary>Calls (answered or failed) made to <paramref name="provider"/> on the UTC day <paramref name="day"/>.</summary>
    Task<long> CountCallsAsync(string provider, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Aggregates per provider and model, ordered by provider then model (ordinal).</summary>
    Task<IReadOnlyList<LlmUsageSummary>> SummarizeAsync(CancellationToken cancellationToken = default);
}
