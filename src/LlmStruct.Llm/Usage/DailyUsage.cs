namespace LlmStruct.Llm.Usage;

/// <summary>One provider's usage on one UTC day.</summary>
public sealed record DailyUsage
{
    /// <summary>The UTC day.</summary>
    public DateOnly Day { get; init; }

    /// <summary>Provider name.</summary>
    public string Provider { get; init; } = "";

    /// <summary>Calls (answered or failed).</summary>
    public long Calls { get; init; }

    /// <summary>Failed calls.</summary>
    public long Failures { get; init; }

    /// <summary>Prompt tokens.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Wall-clock milliseconds summed over the calls.</summary>
    public long LatencyMs { get; init; }

    /// <summary>The slowest call, in milliseconds.</summary>
    public long MaxLatencyMs { get; init; }

    /// <summary>Highest process peak working set after a call, in bytes.</summary>
    public long PeakRamBytes { get; init; }

    /// <summary>Highest GPU memory a backend reported, in bytes; null when none reported it.</summary>
    public long? PeakVramBytes { get; init; }

    /// <summary>Mean milliseconds per call.</summary>
    public long MeanLatencyMs => Calls == 0 ? 0 : LatencyMs / Calls;
}

/// <summary>Failed calls of one provider of one kind.</summary>
/// <param name="Provider">Provider name.</param>
/// <param name="Kind">The kind of failure (an exception type name, or <c>unknown</c>).</param>
/// <param name="Count">How many.</param>
public sealed record FailureCount(string Provider, string Kind, long Count);
