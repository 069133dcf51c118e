namespace LlmStruct.Llm;

/// <summary>An answer from the fallback chain: the text, who produced it, what it cost, and what was tried first.</summary>
public sealed record LlmAnswer
{
    /// <summary>The answer text.</summary>
    public required string Text { get; init; }

    /// <summary>Name of the provider that answered.</summary>
    public required string Provider { get; init; }

    /// <summary>Model that answered.</summary>
    public required string Model { get; init; }

    /// <summary>Prompt tokens (as the provider reported them, else counted).</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens (as the provider reported them, else counted).</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Wall-clock time of the whole request, fallbacks included.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Time to the first streamed text; null when the answer was not streamed.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Every provider tried, in order, with what happened to it (the last one answered).</summary>
    public IReadOnlyList<FallbackDecision> Decisions { get; init; } = [];
}

/// <summary>What the fallback chain did with one provider.</summary>
/// <param name="Provider">Provider name.</param>
/// <param name="Outcome">Answered, skipped or failed.</param>
/// <param name="Reason">Why, in words (secrets redacted); empty when it answered.</param>
public sealed record FallbackDecision(string Provider, FallbackOutcome Outcome, string Reason);

/// <summary>What happened to one provider in the fallback chain.</summary>
public enum FallbackOutcome
{
    /// <summary>The provider produced the answer.</summary>
    Answered,

    /// <summary>Skipped: the prompt does not fit its context window.</summary>
    SkippedContextWindow,

    /// <summary>Skipped: its daily request quota is used up.</summary>
    SkippedQuota,

    /// <summary>It failed (timeout, 429, 5xx, refused connection…) after its retries.</summary>
    Failed,
}

/// <summary>No provider could answer. The message lists each provider and why; it never contains a secret.</summary>
public sealed class LlmUnavailableException : Exception
{
    /// <summary>Creates the exception from the decisions taken.</summary>
    public LlmUnavailableException(IReadOnlyList<FallbackDecision> decisions)
        : base(Describe(decisions)) => Decisions = decisions;

    /// <summary>Every provider tried, in order, with what happened to it.</summary>
    public IReadOnlyList<FallbackDecision> Decisions { get; }

    private static string Describe(IReadOnlyList<FallbackDecision> decisions) =>
        decisions.Count == 0
            ? "no LLM provider is configured"
            : "no LLM provider could answer: " + string.Join("; ", decisions.Select(d => $"{d.Provider}: {d.Reason}"));
}

/// <summary>
/// A streamed answer broke off after its first piece (a stalled, dropped or garbled stream): what was streamed stands,
/// no other provider is asked. The message names the provider and the cause; it never contains a secret.
/// </summary>
public sealed class LlmStreamInterruptedException : Exception
{
    /// <summary>Creates the exception for <paramref name="provider"/> with a redacted <paramref name="reason"/>.</summary>
    public LlmStreamInterruptedException(string provider, string reason)
        : base($"the answer from {provider} broke off: {reason}") => (Provider, Reason) = (provider, reason);

    /// <summary>The provider whose stream broke off.</summary>
    public string Provider { get; }

    /// <summary>Why, in words (secrets redacted).</summary>
    public string Reason { get; }
}
