using LlmStruct.Mcp;
using LlmStruct.Mcp.Project;
using LlmStruct.Mcp.Resources;
using LlmStruct.Mcp.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol.Protocol;

namespace LlmStruct;

/// <summary>Adds the MCP server package to an LlmStruct host.</summary>
public static class McpBuilderExtensions
{
    /// <summary>
    /// Registers the MCP server over one project (<see cref="StructMcpOptions"/>, configured by <paramref name="configure"/>):
    /// the tasks package, the project kept current, and the SDK's server with the code, task and LLM-work tools and the
    /// struct resources (source-generated JSON: Native AOT). <paramref name="server"/> adds the transport
    /// (<c>WithStdioServerTransport()</c>, <c>WithHttpTransport()</c>, a stream pair in tests). The LLM tools use the
    /// host's chain when it added one (<c>AddLlmStructLlm</c>), and answer with an error otherwise.
    /// </summary>
    public static LlmStructBuilder AddStructMcp(this LlmStructBuilder builder, Action<StructMcpOptions> configure, Action<IMcpServerBuilder>? server = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddTasks();
        builder.Services.Configure(configure);
        builder.Services.TryAddSingleton<McpProject>();
        var mcp = builder.Services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "llmstruct", Title = "LlmStruct", Version = typeof(McpBuilderExtensions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" };
                o.ServerInstructions = "Tools over this codebase's structure (struct.json): start with get_context, then find_symbol, get_definition, "
                    + "list_callers/list_callees and module_outline. Every tool takes a token budget. generate_diff never writes; apply_diff does.";
            })
            .WithTools<CodeTools>(McpJson.ToolOptions)
            .WithTools<TaskTools>(McpJson.ToolOptions)
            .WithTools<WorkTools>(McpJson.ToolOptions)
            .WithResources<StructResources>()
            .WithCompleteHandler(PathCompletion.CompleteAsync);
        server?.Invoke(mcp);
        return builder;
    }
}
