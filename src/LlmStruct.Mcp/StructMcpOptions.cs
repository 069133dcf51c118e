namespace LlmStruct.Mcp;

/// <summary>Options of the MCP server over one project (<c>AddStructMcp</c>).</summary>
public sealed class StructMcpOptions
{
    /// <summary>The largest budget a tool call may ask for, in tokens.</summary>
    public const int MaxBudget = 200_000;

    /// <summary>The project folder: its struct.json is served (else it is parsed), and every path a tool takes is inside it.</summary>
    public string ProjectRoot { get; set; } = "";

    /// <summary>
    /// Watch the project's files while the server runs: a change to a source file parses the project again (incrementally,
    /// through the parse cache) before the next call is answered. Off: struct.json is read again only when it changes.
    /// </summary>
    public bool WatchFiles { get; set; } = true;

    /// <summary>The result budget of a tool call that gives none, in tokens (o200k). Default 4,000.</summary>
    public int DefaultBudget { get; set; } = 4_000;
}
