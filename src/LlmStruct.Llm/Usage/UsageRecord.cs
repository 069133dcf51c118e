namespace LlmStruct.Llm.Usage;

/// <summary>One call to one provider, as the usage store keeps it.</summary>
public sealed record UsageRecord
{
    /// <summary>Provider name.</summary>
    public required string Provider { get; init; }

    /// <summary>Model id.</summary>
    public required string Model { get; init; }

    /// <summary>UTC day of the call (quotas are per day).</summary>
    public DateOnly Day { get; init; }

    /// <summary>True when the call produced an answer.</summary>
    public bool Succeeded { get; init; }

    /// <summary>For a failed call, the kind of failure (an exception type name, never a message).</summary>
    public string? ErrorKind { get; init; }

    /// <summary>Prompt tokens.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Wall-clock milliseconds of the call.</summary>
    public long LatencyMs { get; init; }

    /// <summary>Milliseconds to the first streamed text; null when not streamed.</summary>
    public long? FirstTokenMs { get; init; }

    /// <summary>Process CPU milliseconds spent during the call.</summary>
    public long CpuMs { get; init; }

    /// <summary>The process's peak working set after the call, in bytes.</summary>
    public long PeakRamBytes { get; init; }

    /// <summary>GPU memory in use as the backend reported it, in bytes; null when it reports none.</summary>
    public long? VramBytes { get; init; }
}
