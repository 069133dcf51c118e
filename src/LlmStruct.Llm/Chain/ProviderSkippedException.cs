namespace LlmStruct.Llm.Chain;

/// <summary>Thrown by a provider's middleware before any request is made, to tell the fallback chain to move on.</summary>
internal sealed class ProviderSkippedException(FallbackOutcome outcome, string reason) : Exception(reason)
{
    public FallbackOutcome Outcome { get; } = outcome;
}
