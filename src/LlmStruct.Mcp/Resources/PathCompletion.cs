using LlmStruct.Mcp.Project;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace LlmStruct.Mcp.Resources;

/// <summary>
/// <c>completion/complete</c>: the <c>path</c> of the outline template completes to the struct's module paths that start
/// with (else contain) what was typed, at most 100; any other reference has no suggestions.
/// </summary>
internal static class PathCompletion
{
    private const int MaxValues = 100;

    public static async ValueTask<CompleteResult> CompleteAsync(RequestContext<CompleteRequestParams> context, CancellationToken cancellationToken)
    {
        var request = context.Params;
        if (request?.Ref is not ResourceTemplateReference { Uri: StructResources.OutlineTemplate } || request.Argument.Name != "path"
            || context.Services?.GetService<McpProject>() is not { } project)
        {
            return new CompleteResult { Completion = new Completion { Values = [], Total = 0, HasMore = false } };
        }
        McpStruct current;
        try
        {
            current = await project.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (McpProjectException)
        {
            return new CompleteResult { Completion = new Completion { Values = [], Total = 0, HasMore = false } };
        }
        var typed = request.Argument.Value ?? "";
        var paths = current.Document.Modules.Select(m => m.Path).ToList();
        var matches = paths.Where(p => p.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Concat(paths.Where(p => !p.StartsWith(typed, StringComparison.OrdinalIgnoreCase) && p.Contains(typed, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        return new CompleteResult
        {
            Completion = new Completion { Values = [.. matches.Take(MaxValues)], Total = matches.Count, HasMore = matches.Count > MaxValues },
        };
    }
}
