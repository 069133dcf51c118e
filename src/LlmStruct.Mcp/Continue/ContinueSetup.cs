using LlmStruct.Configuration;
using LlmStruct.Model;

namespace LlmStruct.Mcp.Continue;

/// <summary>
/// What <see cref="ContinueConfig"/> writes into a project's <c>.continue/config.yaml</c>: the models (the provider chain
/// and each local model through <c>llmstruct serve</c>'s OpenAI-compatible endpoint, each cloud model of llmstruct.toml
/// directly), the <c>llmstruct mcp</c> server, and the struct's instructions as rules.
/// </summary>
public sealed record ContinueSetup
{
    /// <summary>The config's <c>name</c> when the file is new or has none (e.g. the project folder's name).</summary>
    public string Name { get; init; } = "llmstruct";

    /// <summary>The port <c>llmstruct serve</c> listens on (its endpoint is <c>http://127.0.0.1:PORT/v1</c>). Default 5170.</summary>
    public int ServePort { get; init; } = 5170;

    /// <summary><c>[[llm.providers]]</c> of llmstruct.toml, in order: local ones are reached through serve, cloud ones directly.</summary>
    public IReadOnlyList<LlmProviderOptions> Providers { get; init; } = [];

    /// <summary>struct.json's instructions: <c>base</c> and <c>custom</c> become one rule each.</summary>
    public InstructionSet Instructions { get; init; } = new();

    /// <summary>The command Continue runs for the MCP server (with the argument <c>mcp</c>). Default <c>llmstruct</c>, found on PATH.</summary>
    public string McpCommand { get; init; } = "llmstruct";
}
