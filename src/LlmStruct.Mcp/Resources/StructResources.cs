using System.ComponentModel;
using System.Text;
using LlmStruct.Json;
using LlmStruct.Llm.Work;
using LlmStruct.Mcp.Project;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LlmStruct.Mcp.Resources;

/// <summary>
/// The resources: <c>llmstruct://struct.json</c> (the current struct, canonical bytes) and the template
/// <c>llmstruct://outline/{path}</c> (one module's outline, as <c>module_outline</c> writes it).
/// </summary>
[McpServerResourceType]
internal sealed class StructResources(McpProject project)
{
    /// <summary>The URI of the struct.</summary>
    public const string StructUri = "llmstruct://struct.json";

    /// <summary>The URI template of module outlines.</summary>
    public const string OutlineTemplate = "llmstruct://outline/{+path}";

    /// <summary>The current struct.json.</summary>
    [McpServerResource(UriTemplate = StructUri, Name = "struct.json", Title = "The project's struct.json", MimeType = "application/json")]
    [Description("The project's structure as struct.json (schema: schema/struct.schema.json): modules, definitions with ids, signatures, calls and callers, imports, tasks. Kept current while the server runs.")]
    public async Task<string> StructJsonAsync(CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(StructJson.Serialize(current.Document));
    }

    /// <summary>One module's outline.</summary>
    [McpServerResource(UriTemplate = OutlineTemplate, Name = "module-outline", Title = "Outline of a source file", MimeType = "text/plain")]
    [Description("The outline of one source file (path relative to the project root): docstring, imports and definitions with ids, lines and signatures.")]
    public async Task<string> OutlineAsync(string path, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var module = current.Index.Module(Uri.UnescapeDataString(path ?? "").Replace('\\', '/'))
            ?? throw new McpProtocolException($"no module '{path}' in the struct", McpErrorCode.ResourceNotFound);
        return StructIndex.Outline(module);
    }

    private async Task<McpStruct> CurrentAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await project.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (McpProjectException ex)
        {
            throw new McpProtocolException(ex.Message, McpErrorCode.InternalError);
        }
    }
}
