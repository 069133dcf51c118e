using System.ComponentModel;
using System.Text.Json;
using LlmStruct.Llm;
using LlmStruct.Llm.Work;
using LlmStruct.Llm.Work.Diffs;
using LlmStruct.Mcp.Project;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace LlmStruct.Mcp.Tools;

/// <summary>
/// LLM work over the project through the host's provider chain (<c>AddLlmStructLlm</c>, with its fallback, quotas and
/// usage metering): <c>analyze_task</c> plans, <c>generate_diff</c> proposes a diff checked to apply but never written,
/// and <c>apply_diff</c> writes a diff the client passes back, inside the project only.
/// </summary>
[McpServerToolType]
internal sealed class WorkTools(McpProject project, IServiceProvider services, IOptions<StructMcpOptions> options)
{
    /// <summary>A validated plan for a task.</summary>
    [McpServerTool(Name = "analyze_task", ReadOnly = true, Idempotent = false, OpenWorld = true, Title = "Analyze a task")]
    [Description("Plan a change with the project's configured LLMs: summary, affected files, affected symbol ids (each checked against the struct), ordered steps, risks and an estimate.")]
    public async Task<string> AnalyzeTaskAsync(
        [Description("The task, in plain words, or a task id of the project (TSK-001).")] string task,
        [Description("Most tokens (o200k) the result may take; it is cut with a note past that. Default 4000.")] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new McpException("task is empty");
        }
        var (plugin, current) = await PluginAsync(cancellationToken).ConfigureAwait(false);
        var text = task.Trim();
        if (current.Document.Tasks.FirstOrDefault(t => t.Id == text) is { } item)
        {
            text = $"{item.Title}\n\n{item.Description}\n\nFiles: {string.Join(", ", item.Files)}\nSymbols: {string.Join(", ", item.Symbols)}".Trim();
        }
        var analysis = await RunAsync(() => plugin.AnalyzeTaskAsync(text, cancellationToken)).ConfigureAwait(false);
        return ResultBudget.FitText(JsonSerializer.Serialize(analysis, McpJsonContext.Results.TaskAnalysis), limit);
    }

    /// <summary>A diff for a task, checked to apply; nothing is written.</summary>
    [McpServerTool(Name = "generate_diff", ReadOnly = true, Idempotent = false, OpenWorld = true, Title = "Generate a diff")]
    [Description("Ask the project's configured LLMs for a unified diff doing a task, with the full text of the focus files in the prompt; the diff is checked to apply cleanly to the working tree. Nothing is written: pass the diff to apply_diff to write it.")]
    public async Task<string> GenerateDiffAsync(
        [Description("The change to make, in plain words.")] string task,
        [Description("Files or folders (relative to the project root) whose full text the model should see.")] string[]? focus = null,
        [Description("Most tokens (o200k) the result may take; it is cut with a note past that. Default 4000.")] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new McpException("task is empty");
        }
        var paths = (focus ?? []).Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f.Trim()).ToList();
        foreach (var path in paths)
        {
            Resolve(path);
        }
        var (plugin, _) = await PluginAsync(cancellationToken).ConfigureAwait(false);
        var proposal = await RunAsync(() => plugin.GenerateDiffAsync(task.Trim(), paths, cancellationToken)).ConfigureAwait(false);
        var result = new DiffResult(proposal.Diff, [.. proposal.Changes.Select(c => $"{c.Kind} {c.Path}")], proposal.Attempts);
        return ResultBudget.FitText(JsonSerializer.Serialize(result, McpJsonContext.Results.DiffResult), limit);
    }

    /// <summary>Writes a unified diff to the project.</summary>
    [McpServerTool(Name = "apply_diff", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false, Title = "Apply a diff")]
    [Description("Apply a unified diff (as generate_diff returns it) to the project's files: every path must be inside the project, and every hunk must apply cleanly, or nothing is written. Each changed file is written atomically.")]
    public async Task<string> ApplyDiffAsync(
        [Description("The unified diff.")] string diff,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(diff))
        {
            throw new McpException("diff is empty");
        }
        McpStruct current;
        try
        {
            current = await project.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (McpProjectException ex)
        {
            throw new McpException(ex.Message, ex);
        }
        try
        {
            var changes = DiffApplier.Apply(project.Root, diff, current.Redactor);
            if (changes.Count == 0)
            {
                throw new McpException("the diff changes no file");
            }
            await DiffApplier.WriteAsync(project.Root, changes, cancellationToken).ConfigureAwait(false);
            project.Invalidate();
            return JsonSerializer.Serialize(new ApplyResult([.. changes.Select(c => $"{c.Kind} {c.Path}")]), McpJsonContext.Results.ApplyResult);
        }
        catch (Exception ex) when (ex is DiffException or IOException or UnauthorizedAccessException)
        {
            throw new McpException($"the diff was not applied: {ex.Message}", ex);
        }
    }

    private async Task<(StructWorkPlugin Plugin, McpStruct Current)> PluginAsync(CancellationToken cancellationToken)
    {
        var assistant = services.GetService<LlmAssistant>()
            ?? throw new McpException("no LLM is configured: add [[llm.providers]] to llmstruct.toml (see docs/llm.md) and start the server again");
        McpStruct current;
        try
        {
            current = await project.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (McpProjectException ex)
        {
            throw new McpException(ex.Message, ex);
        }
        return (assistant.CreateWorkPlugin(current.Document, project.Root, new WorkOptions { Redactor = current.Redactor, ContextTokens = current.Options.Llm.ContextTokens }), current);
    }

    private void Resolve(string path)
    {
        try
        {
            project.Resolve(path);
        }
        catch (McpProjectException ex)
        {
            throw new McpException(ex.Message, ex);
        }
    }

    private static async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LlmWorkException or LlmUnavailableException or DiffException or IOException or InvalidOperationException)
        {
            throw new McpException(ex.Message, ex);
        }
    }
}
