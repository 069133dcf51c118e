namespace LlmStruct.Llm.Usage;

/// <summary>Failed calls of one provider of one kind.</summary>
/// <param name="Provider">Provider name.</param>
/// <param name="Kind">The kind of failure (an exception type name, or <c>unknown</c>).</param>
/// <param name="Count">How many.</param>
public sealed record FailureCount(string Provider, string Kind, long Count);
