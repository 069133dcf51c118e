namespace LlmStruct.Llm;

/// <summary>What the fallback chain needs to know about one provider, whatever its kind.</summary>
public sealed record LlmProviderSettings
{
    /// <summary>Unique provider name (used in the fallback order, logs and metrics).</summary>
    public required string Name { get; init; }

    /// <summary>Model id or display name recorded with every call.</summary>
    public required string Model { get; init; }

    /// <summary>Context window in tokens; a prompt that does not fit with <see cref="MaxOutputTokens"/> skips the provider. Null: no check.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>Most tokens generated per answer, unless the request sets its own.</summary>
    public int MaxOutputTokens { get; init; } = 512;

    /// <summary>Requests per UTC day; when used up the provider is skipped. Null: unlimited.</summary>
    public int? DailyQuota { get; init; }

    /// <summary>Sampling temperature, unless the request sets its own. Null: the model's default.</summary>
    public float? Temperature { get; init; }
}
