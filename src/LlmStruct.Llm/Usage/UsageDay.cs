namespace LlmStruct.Llm.Usage;

/// <summary>
/// One UTC day of one provider and model in the usage store: what <c>llmstruct metrics</c> prints (and, with the
/// provider's models summed, what the serve usage page charts).
/// </summary>
public sealed record UsageDay
{
    /// <summary>The UTC day.</summary>
    public required DateOnly Day { get; init; }

    /// <summary>Provider name.</summary>
    public required string Provider { get; init; }

    /// <summary>Model id; empty where the provider's models are summed (<see cref="SqliteUsageStore.SummarizeByDayAsync"/>).</summary>
    public required string Model { get; init; }

    /// <summary>Calls made (answered or failed).</summary>
    public long Calls { get; init; }

    /// <summary>Calls that failed.</summary>
    public long Failures { get; init; }

    /// <summary>Prompt (input) tokens.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion (output) tokens.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Sum of the calls' wall-clock milliseconds.</summary>
    public long LatencyMs { get; init; }

    /// <summary>The slowest call, in milliseconds.</summary>
    public long MaxLatencyMs { get; init; }

    /// <summary>Process CPU milliseconds spent during the calls.</summary>
    public long CpuMs { get; init; }

    /// <summary>Largest peak working set seen after a call, in bytes.</summary>
    public long PeakRamBytes { get; init; }

    /// <summary>Largest GPU memory reported, in bytes; null when the backend reports none.</summary>
    public long? PeakVramBytes { get; init; }

    /// <summary>Mean milliseconds per call.</summary>
    public long MeanLatencyMs => Calls == 0 ? 0 : LatencyMs / Calls;
}
