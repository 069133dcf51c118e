using System.ComponentModel;
using System.Text;
using System.Text.Json;
using LlmStruct.Context;
using LlmStruct.Llm.Work.Diffs;
using LlmStruct.Model;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace LlmStruct.Llm.Work;

/// <summary>
/// Semantic Kernel plugin for LLM work over a struct.json: <c>analyze_task</c> (a validated plan), <c>generate_diff</c>
/// (a unified diff checked to apply to the tree in memory) and queries for agents (<c>find_symbol</c>,
/// <c>list_callers</c>, <c>list_callees</c>, <c>module_outline</c>). Invalid answers are sent back to the model with
/// the reason, at most <see cref="WorkOptions.MaxRetries"/> times. Add it with <c>kernel.Plugins.AddFromObject(plugin, "struct")</c>.
/// </summary>
public sealed partial class StructWorkPlugin
{
    private readonly IChatClient _chat;
    private readonly IContextBuilder _contextBuilder;
    private readonly WorkOptions _options;
    private readonly StructIndex _index;

    /// <summary>Creates the plugin over <paramref name="document"/>, whose paths are relative to <paramref name="root"/>.</summary>
    /// <param name="chat">The model (usually <see cref="LlmAssistant.ChatClient"/>, the fallback chain).</param>
    /// <param name="document">The struct.json of the project.</param>
    /// <param name="root">The project root: focused files are read from it and diffs apply to it.</param>
    /// <param name="contextBuilder">The context builder (default: a new <see cref="ContextBuilder"/>).</param>
    /// <param name="options">Retry budget and sizes (default: <see cref="WorkOptions"/>'s defaults).</param>
    public StructWorkPlugin(IChatClient chat, StructDocument document, string root, IContextBuilder? contextBuilder = null, WorkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _chat = chat;
        _index = new StructIndex(document);
        Root = Path.GetFullPath(root);
        _contextBuilder = contextBuilder ?? new ContextBuilder();
        _options = options ?? new WorkOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxRetries);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ContextTokens, 1);
    }

    /// <summary>The project root (full path).</summary>
    public string Root { get; }

    /// <summary>
    /// Plans <paramref name="task"/>: summary, affected files and symbols (ids that exist in struct.json), ordered
    /// steps, risks and an estimate. Throws <see cref="LlmWorkException"/> when no valid plan came within the retry budget.
    /// </summary>
    [KernelFunction("analyze_task"), Description("Plan a change to the project: summary, affected files and symbol ids, ordered steps, risks, estimate.")]
    public async Task<TaskAnalysis> AnalyzeTaskAsync([Description("The task, in plain words.")] string task, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        var context = ContextFor([]);
        var system = BuildAnalyzePrompt(context);
        var schema = AnalysisSchema(context.Files);
        var options = NewOptions();
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "task_analysis", "A plan for a code change.");
        return await AskUntilValidAsync("task analysis", system, task, options,
            (text, attempt) => ValidateAnalysis(text) with { Attempts = attempt }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks for a unified diff doing <paramref name="task"/>, with the full text of <paramref name="focus"/> (files or
    /// folders relative to the root) in the prompt, and checks that it applies cleanly in memory. Nothing is written:
    /// pass <see cref="DiffProposal.Changes"/> to <see cref="DiffApplier.WriteAsync"/> for that. Throws
    /// <see cref="LlmWorkException"/> when no diff applied within the retry budget, or at once when a diff names a path outside the root.
    /// </summary>
    public async Task<DiffProposal> GenerateDiffAsync(string task, IReadOnlyList<string>? focus = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(task);
        focus ??= [];
        var system = BuildDiffPrompt(focus);
        return await AskUntilValidAsync("diff", system, task, NewOptions(), (text, attempt) =>
        {
            var diff = UnifiedDiff.Extract(text);
            var changes = DiffApplier.Apply(Root, diff, _options.Redactor);
            return new DiffProposal { Diff = diff, Changes = changes, Attempts = attempt };
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The kernel form of <see cref="GenerateDiffAsync"/>: focus paths separated by commas or new lines; returns the diff text.</summary>
    [KernelFunction("generate_diff"), Description("Write a unified diff that does a task; it is checked to apply cleanly to the working tree (nothing is written).")]
    public async Task<string> GenerateDiffTextAsync(
        [Description("The task, in plain words.")] string task,
        [Description("Files or folders (relative to the root) whose full text the model should see, separated by commas.")] string? focus = null,
        CancellationToken cancellationToken = default)
    {
        var paths = (focus ?? "").Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (await GenerateDiffAsync(task, paths, cancellationToken).ConfigureAwait(false)).Diff;
    }

    /// <summary>The system prompt of <c>analyze_task</c> (exposed for tests and for callers that log prompts).</summary>
    internal string BuildAnalyzePrompt(IReadOnlyList<string> focus) => BuildAnalyzePrompt(ContextFor(focus));

    private string BuildAnalyzePrompt(ContextResult context) => WorkPrompts.Render("analyze_task", new Dictionary<string, string>
    {
        ["instructions"] = Instructions(),
        ["context"] = context.Text.TrimEnd('\n'),
    });

    /// <summary>The system prompt of <c>generate_diff</c>.</summary>
    internal string BuildDiffPrompt(IReadOnlyList<string> focus) => WorkPrompts.Render("generate_diff", new Dictionary<string, string>
    {
        ["instructions"] = Instructions(),
        ["context"] = Context(focus),
        ["files"] = FocusFiles(focus),
    });

    /// <summary>
    /// The JSON schema of a plan. affected_symbols is an enum of ids, so a model that samples under the schema (a local
    /// one, through its grammar) can only name symbols that exist: every id of a struct.json of at most
    /// <see cref="MaxSymbolEnum"/> definitions, else those of the files the prompt's context shows (<paramref name="shownFiles"/>,
    /// in the context's order, at most <see cref="MaxSymbolEnum"/>); with none, affected_symbols must stay empty.
    /// affected_files may name any of those files (or a new one, by the safe-path pattern).
    /// </summary>
    internal JsonElement AnalysisSchema(IReadOnlyList<string>? shownFiles = null)
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(WorkPrompts.ReadResource("task_analysis.schema.json"))!.AsObject();
        var properties = schema["properties"]!.AsObject();
        List<string> ids, paths;
        if (_index.Count <= MaxSymbolEnum)
        {
            ids = [.. _index.Ids];
            paths = [.. _index.Document.Modules.Select(m => m.Path)];
        }
        else
        {
            paths = [.. (shownFiles ?? ContextFor([]).Files).Where(p => _index.Module(p) is not null).Distinct(StringComparer.Ordinal)];
            ids = [.. paths.SelectMany(p => _index.Module(p)!.Definitions).Select(d => d.Id).Distinct(StringComparer.Ordinal).Take(MaxSymbolEnum)];
        }
        if (ids.Count == 0)
        {
            properties["affected_symbols"]!["maxItems"] = 0;
        }
        else
        {
            properties["affected_symbols"]!["items"] = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "string",
                ["enum"] = new System.Text.Json.Nodes.JsonArray([.. ids.Select(id => System.Text.Json.Nodes.JsonValue.Create(id))]),
            };
        }
        if (paths.Count > 0)
        {
            var pattern = properties["affected_files"]!["items"]!.DeepClone();
            properties["affected_files"]!["items"] = new System.Text.Json.Nodes.JsonObject
            {
                ["anyOf"] = new System.Text.Json.Nodes.JsonArray(
                    new System.Text.Json.Nodes.JsonObject { ["type"] = "string", ["enum"] = new System.Text.Json.Nodes.JsonArray([.. paths.Select(p => System.Text.Json.Nodes.JsonValue.Create(p))]) },
                    pattern),
            };
        }
        using var document = JsonDocument.Parse(schema.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>Most ids the plan schema lists as an enum (all of a struct this small, else those of the files shown).</summary>
    internal const int MaxSymbolEnum = 500;

    private ChatOptions NewOptions() => new() { Temperature = _options.Temperature };

    private async Task<T> AskUntilValidAsync<T>(
        string what, string system, string task, ChatOptions options, Func<string, int, T> validate, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, system), new(ChatRole.User, task) };
        var errors = new List<string>();
        int attempts = _options.MaxRetries + 1;
        for (int attempt = 1; attempt <= attempts; attempt++)
        {
            var response = await _chat.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            var text = response.Text ?? "";
            try
            {
                return validate(text, attempt);
            }
            catch (UnsafeDiffPathException ex)
            {
                errors.Add(ex.Message);
                throw new LlmWorkException($"the {what} was refused: {ex.Message}", errors, refused: true, ex);
            }
            catch (Exception ex) when (ex is DiffException or WorkValidationException)
            {
                errors.Add(ex.Message);
                messages.Add(new ChatMessage(ChatRole.Assistant, text));
                messages.Add(new ChatMessage(ChatRole.User, WorkPrompts.Render("retry", new Dictionary<string, string>
                {
                    ["error"] = ex.Message,
                    ["attempt"] = (attempt + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["attempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                })));
            }
        }
        throw new LlmWorkException(
            $"the model did not produce a valid {what} in {attempts} attempt{(attempts == 1 ? "" : "s")}; last error: {errors[^1]}", errors);
    }

    private TaskAnalysis ValidateAnalysis(string text)
    {
        int start = text.IndexOf('{', StringComparison.Ordinal), end = text.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            throw new WorkValidationException("the answer is not a JSON object");
        }
        TaskAnalysis? analysis;
        JsonElement root;
        try
        {
            using var json = JsonDocument.Parse(text[start..(end + 1)]);
            root = json.RootElement.Clone();
            analysis = root.Deserialize(WorkJson.Default.TaskAnalysis);
        }
        catch (JsonException ex)
        {
            throw new WorkValidationException($"the answer is not valid JSON: {ex.Message}");
        }
        var missing = new[] { "summary", "affected_files", "affected_symbols", "steps", "risks", "estimate" }
            .Where(p => root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(p, out _)).ToList();
        if (analysis is null || missing.Count > 0)
        {
            throw new WorkValidationException($"the JSON lacks required properties: {string.Join(", ", missing)}");
        }
        if (string.IsNullOrWhiteSpace(analysis.Summary) || analysis.Steps.IsDefaultOrEmpty)
        {
            throw new WorkValidationException("'summary' must not be empty and 'steps' must list at least one step");
        }
        var unknown = analysis.AffectedSymbols.Where(id => !_index.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var detail = string.Join("; ", unknown.Select(id =>
            {
                var near = _index.Suggest(id);
                return near.Count == 0 ? $"'{id}'" : $"'{id}' (did you mean {string.Join(" or ", near.Select(n => $"'{n}'"))}?)";
            }));
            throw new WorkValidationException($"affected_symbols has ids that are not in struct.json: {detail}. Use ids exactly as the structure writes them, or leave them out.");
        }
        foreach (var file in analysis.AffectedFiles)
        {
            try
            {
                SafePaths.Resolve(Root, file);
            }
            catch (UnsafeDiffPathException ex)
            {
                throw new WorkValidationException($"affected_files: {ex.Message}");
            }
        }
        return analysis;
    }

    private string Instructions()
    {
        var instructions = _index.Document.Instructions;
        var lines = instructions.Base.Concat(instructions.Custom).Select(l => "- " + l).ToList();
        return lines.Count == 0 ? "(none)" : string.Join("\n", lines);
    }

    private string Context(IReadOnlyList<string> focus) => ContextFor(focus).Text.TrimEnd('\n');

    private ContextResult ContextFor(IReadOnlyList<string> focus) =>
        _contextBuilder.Build(_index.Document, new ContextRequest { Budget = _options.ContextTokens, Focus = [.. focus] });

    private string FocusFiles(IReadOnlyList<string> focus)
    {
        var files = new List<string>();
        foreach (var entry in focus)
        {
            var relative = entry.Replace('\\', '/').Trim('/');
            var full = SafePaths.Resolve(Root, relative);
            if (Directory.Exists(full))
            {
                files.AddRange(_index.Document.Modules.Select(m => m.Path).Where(p => p.StartsWith(relative + "/", StringComparison.Ordinal)));
            }
            else if (File.Exists(full))
            {
                files.Add(relative);
            }
            else
            {
                throw new FileNotFoundException($"focus path not found under the root: {entry}", full);
            }
        }
        if (files.Count == 0)
        {
            return "(none)";
        }
        var text = new StringBuilder();
        foreach (var path in files.Distinct(StringComparer.Ordinal))
        {
            var content = File.ReadAllText(SafePaths.Resolve(Root, path)).Replace("\r\n", "\n", StringComparison.Ordinal);
            // The model sees «redacted:RULE» for every secret; DiffApplier puts the secrets back when its diff applies.
            if (_options.Redactor.AppliesTo(path))
            {
                content = _options.Redactor.Redact(content);
            }
            var fence = content.Contains("```", StringComparison.Ordinal) ? "~~~~" : "```";
            text.Append("### ").Append(path).Append('\n').Append(fence).Append('\n').Append(content);
            if (!content.EndsWith('\n'))
            {
                text.Append("\n(no newline at end of file)\n");
            }
            text.Append(fence).Append("\n\n");
            if (text.Length > _options.MaxFocusChars)
            {
                throw new InvalidOperationException($"the focused files exceed {_options.MaxFocusChars} characters; focus on fewer files");
            }
        }
        return text.ToString().TrimEnd('\n');
    }
}

/// <summary>An answer that does not satisfy the expected shape; its message goes back to the model.</summary>
internal sealed class WorkValidationException(string message) : Exception(message);
