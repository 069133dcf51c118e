using LlmStruct.Context;
using LlmStruct.Serve.Project;

namespace LlmStruct.Serve.Api;

/// <summary>Renders a context with Core's context builder, as <c>llmstruct context</c> does (without the file cache).</summary>
internal static class ContextRendering
{
    /// <summary>The largest budget accepted.</summary>
    public const int MaxBudget = 1_000_000;

    /// <summary>The rendered context, or the input error.</summary>
    public static async Task<(ContextApiResult? Result, TaskInputException? Error)> RenderAsync(
        ServeProject project, IContextBuilder builder, IReadOnlyList<string> focus, int? budget, string? format, string? tokenizer, CancellationToken ct)
    {
        int b = budget ?? ContextRequest.DefaultBudget;
        if (b < 1 || b > MaxBudget)
        {
            return (null, new TaskInputException("budget", $"the budget must be between 1 and {MaxBudget}"));
        }
        var f = string.IsNullOrEmpty(format) ? ContextFormats.Markdown : format;
        if (!ContextFormats.All.Contains(f))
        {
            return (null, new TaskInputException("format", $"unknown format '{f}' (allowed: {string.Join(", ", ContextFormats.All)})"));
        }
        var t = string.IsNullOrEmpty(tokenizer) ? ContextTokenizers.O200k : tokenizer;
        if (!ContextTokenizers.All.Contains(t))
        {
            return (null, new TaskInputException("tokenizer", $"unknown tokenizer '{t}' (allowed: {string.Join(", ", ContextTokenizers.All)})"));
        }
        var loaded = await project.GetAsync(ct).ConfigureAwait(false);
        var request = new ContextRequest { Budget = b, Focus = [.. focus.Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim())], Format = f, Tokenizer = t };
        var result = builder.Build(loaded.Document, request);
        return (new ContextApiResult(result.Text, result.Tokens, result.Budget, result.FilesIncluded, result.FilesTotal), null);
    }
}
