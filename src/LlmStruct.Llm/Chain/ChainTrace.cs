namespace LlmStruct.Llm.Chain;

/// <summary>
/// What the fallback chain did during one request, readable by the caller that started it even when the request
/// went through Semantic Kernel (which does not carry response metadata back): the chain writes into the trace
/// that flows with the async context.
/// </summary>
internal sealed class ChainTrace
{
    private static readonly AsyncLocal<ChainTrace?> Ambient = new();

    public static ChainTrace? Current => Ambient.Value;

    public List<FallbackDecision> Decisions { get; } = [];

    public string? Provider { get; set; }

    public string? Model { get; set; }

    public long PromptTokens { get; set; }

    public long CompletionTokens { get; set; }

    /// <summary>Answered calls in this trace.</summary>
    public int Calls { get; set; }

    /// <summary>Starts a trace for the calls made from here on in this async flow.</summary>
    public static ChainTrace Begin()
    {
        var trace = new ChainTrace();
        Ambient.Value = trace;
        return trace;
    }
}
