using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LlmStruct.Context;
using LlmStruct.Llm.Work;
using LlmStruct.Mcp.Project;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace LlmStruct.Mcp.Tools;

/// <summary>
/// The code-structure tools: read-only queries over the current struct (<see cref="McpProject"/>), each result within
/// its token budget. Bad arguments (an unknown id or path, a budget out of range, a path outside the project) answer
/// with an MCP tool error that says what to send instead.
/// </summary>
[McpServerToolType]
internal sealed class CodeTools(McpProject project, IContextBuilder contextBuilder, IOptions<StructMcpOptions> options)
{
    private const string BudgetText = "Most tokens (o200k) the result may take; it is cut with a note past that. Default 4000.";

    /// <summary>A token-budgeted context of the codebase, ranked around the focus.</summary>
    [McpServerTool(Name = "get_context", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "Codebase context")]
    [Description("A token-budgeted overview of the codebase (project summary, ranked files with their definitions and signatures), ranked around the focus when one is given. Start here.")]
    public async Task<string> GetContextAsync(
        [Description("Files, folders (relative to the project root) or symbol ids/names to rank around; empty for the whole project.")] string[]? focus = null,
        [Description(BudgetText)] int? budget = null,
        [Description("md (default), xml or json.")] string? format = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        format = string.IsNullOrWhiteSpace(format) ? ContextFormats.Markdown : format.Trim().ToLowerInvariant();
        if (!ContextFormats.All.Contains(format))
        {
            throw new McpException($"format must be one of {string.Join(", ", ContextFormats.All)} (got '{format}')");
        }
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var entries = (focus ?? []).Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f.Trim()).ToList();
        foreach (var entry in entries.Where(e => !e.Contains('#', StringComparison.Ordinal)))
        {
            Resolve(entry);
        }
        var result = contextBuilder.Build(current.Document, new ContextRequest { Budget = limit, Focus = [.. entries], Format = format });
        return ResultBudget.FitText(result.Text, limit);
    }

    /// <summary>Definitions by id, qualified name or simple name, filtered by kind and language.</summary>
    [McpServerTool(Name = "find_symbol", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "Find a symbol")]
    [Description("Find definitions by id (path#Qualified.name), qualified name or simple name (exact first, then case-insensitive); returns ids, kinds, paths, lines, signatures and docstrings.")]
    public async Task<string> FindSymbolAsync(
        [Description("An id, a qualified name (pkg.Class.method) or a simple name.")] string name,
        [Description("Only this kind (function, class, method…).")] string? kind = null,
        [Description("Only this language (python, javascript, typescript, csharp).")] string? language = null,
        [Description(BudgetText)] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new McpException("name is empty: give an id, a qualified name or a simple name");
        }
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var found = current.Index.Find(name.Trim(), int.MaxValue)
            .Where(s => Wanted(kind, s.Kind))
            .Where(s => Wanted(language, current.Index.Module(s.Path)?.Language))
            .ToList();
        return Symbols(found, limit);
    }

    /// <summary>One definition: signature, docstring and its source lines.</summary>
    [McpServerTool(Name = "get_definition", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "Get a definition")]
    [Description("One definition by id: kind, path, lines, signature, docstring and its source text (secrets redacted).")]
    public async Task<string> GetDefinitionAsync(
        [Description("A definition id (path#Qualified.name), as find_symbol returns it.")] string id,
        [Description(BudgetText)] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var symbol = Known(current, id);
        var module = current.Index.ModuleOf(symbol.Id)!;
        string? source = await SourceLinesAsync(current, symbol, cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.Serialize(new DefinitionResult(symbol, module.Language, source), McpJsonContext.Results.DefinitionResult);
        if (ResultBudget.Count(json) <= limit || source is null)
        {
            return ResultBudget.FitText(json, limit);
        }
        // Too long: keep the metadata whole and cut the source to what is left.
        var bare = JsonSerializer.Serialize(new DefinitionResult(symbol, module.Language, ""), McpJsonContext.Results.DefinitionResult);
        int room = limit - ResultBudget.Count(bare) - 8;
        var cut = room > 0 ? ResultBudget.FitText(source, room) : "";
        return ResultBudget.FitText(JsonSerializer.Serialize(new DefinitionResult(symbol, module.Language, cut), McpJsonContext.Results.DefinitionResult), limit);
    }

    /// <summary>The definitions that call one.</summary>
    [McpServerTool(Name = "list_callers", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "List callers")]
    [Description("The definitions that call the definition with this id (linked call edges), sorted by id.")]
    public async Task<string> ListCallersAsync(
        [Description("A definition id (path#Qualified.name).")] string id,
        [Description(BudgetText)] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var symbol = Known(current, id);
        return Symbols([.. current.Index.CallersOf(symbol.Id).Select(current.Index.Get).OfType<SymbolInfo>()], limit);
    }

    /// <summary>The calls one definition makes.</summary>
    [McpServerTool(Name = "list_callees", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "List callees")]
    [Description("The calls the definition with this id makes, in source order, with the id of each target when it is linked.")]
    public async Task<string> ListCalleesAsync(
        [Description("A definition id (path#Qualified.name).")] string id,
        [Description(BudgetText)] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var symbol = Known(current, id);
        var calls = current.Index.Definition(symbol.Id)!.Calls.Select(c => new CalleeInfo(c.Callee, c.Target, c.Line, c.Count)).ToList();
        return ResultBudget.FitList(calls, limit, (kept, omitted) =>
            JsonSerializer.Serialize(new CalleeList(symbol.Id, kept, calls.Count, omitted), McpJsonContext.Results.CalleeList));
    }

    /// <summary>The outline of one source file.</summary>
    [McpServerTool(Name = "module_outline", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "Module outline")]
    [Description("Outline one source file: language, docstring, imports (with the files they resolve to) and its nested definitions with ids, lines and signatures.")]
    public async Task<string> ModuleOutlineAsync(
        [Description("The file's path relative to the project root, as struct.json writes it (src/app/models.py).")] string path,
        [Description(BudgetText)] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return ResultBudget.FitText(StructIndex.Outline(KnownModule(current, path)), limit);
    }

    /// <summary>Definitions whose names or docstrings contain words of the query.</summary>
    [McpServerTool(Name = "search_code", ReadOnly = true, Idempotent = true, OpenWorld = false, Title = "Search names and docstrings")]
    [Description("Search definitions by name and docstring (case-insensitive): names containing the query first, then docstrings containing it, then docstrings containing every word of it.")]
    public async Task<string> SearchCodeAsync(
        [Description("Words to look for.")] string query,
        [Description("Only this kind (function, class, method…).")] string? kind = null,
        [Description(BudgetText)] int? budget = null,
        CancellationToken cancellationToken = default)
    {
        int limit = ResultBudget.Check(budget, options.Value.DefaultBudget);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new McpException("query is empty");
        }
        var current = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        var q = query.Trim();
        var words = q.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ranked = current.Index.All()
            .Where(s => Wanted(kind, s.Kind))
            .Select(s => (Symbol: s, Rank: Rank(s, q, words)))
            .Where(r => r.Rank < 4)
            .OrderBy(r => r.Rank).ThenBy(r => r.Symbol.Id, StringComparer.Ordinal)
            .Select(r => r.Symbol).ToList();
        return Symbols(ranked, limit);
    }

    private static int Rank(SymbolInfo s, string query, string[] words)
    {
        if (string.Equals(s.QualifiedName.Split('.')[^1], query, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
        if (s.QualifiedName.Contains(query, StringComparison.OrdinalIgnoreCase))
        {
            return 1;
        }
        var doc = s.Docstring ?? "";
        if (doc.Contains(query, StringComparison.OrdinalIgnoreCase))
        {
            return 2;
        }
        return words.Length > 1 && words.All(w => doc.Contains(w, StringComparison.OrdinalIgnoreCase) || s.QualifiedName.Contains(w, StringComparison.OrdinalIgnoreCase)) ? 3 : 4;
    }

    private static string Symbols(IReadOnlyList<SymbolInfo> found, int limit) =>
        ResultBudget.FitList(found, limit, (kept, omitted) =>
            JsonSerializer.Serialize(new SymbolList(kept, found.Count, omitted), McpJsonContext.Results.SymbolList));

    private async Task<McpStruct> CurrentAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await project.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (McpProjectException ex)
        {
            throw new McpException(ex.Message, ex);
        }
    }

    private string Resolve(string path)
    {
        try
        {
            return project.Resolve(path);
        }
        catch (McpProjectException ex)
        {
            throw new McpException(ex.Message, ex);
        }
    }

    private static SymbolInfo Known(McpStruct current, string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new McpException("id is empty: give a definition id as find_symbol returns it (path#Qualified.name)");
        }
        if (current.Index.Get(id.Trim()) is { } symbol)
        {
            return symbol;
        }
        var near = current.Index.Suggest(id.Trim());
        throw new McpException(near.Count == 0
            ? $"unknown id '{id}': find it with find_symbol"
            : $"unknown id '{id}'; did you mean {string.Join(" or ", near.Select(n => $"'{n}'"))}?");
    }

    private LlmStruct.Model.ModuleInfo KnownModule(McpStruct current, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new McpException("path is empty: give a file path relative to the project root");
        }
        Resolve(path.Trim());
        var normalized = path.Trim().Replace('\\', '/').TrimStart('.', '/');
        return current.Index.Module(normalized) ?? throw new McpException($"no module '{path}' in the struct (a file the parsers read, relative to the project root)");
    }

    private async Task<string?> SourceLinesAsync(McpStruct current, SymbolInfo symbol, CancellationToken cancellationToken)
    {
        string full;
        try
        {
            full = project.Resolve(symbol.Path);
        }
        catch (McpProjectException)
        {
            return null;
        }
        if (!File.Exists(full))
        {
            return null;
        }
        var lines = await File.ReadAllLinesAsync(full, cancellationToken).ConfigureAwait(false);
        int start = Math.Clamp(symbol.StartLine, 1, Math.Max(1, lines.Length)), end = Math.Clamp(symbol.EndLine, start, lines.Length);
        var text = new StringBuilder();
        for (int i = start; i <= end && i <= lines.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i,5}  ").Append(lines[i - 1]).Append('\n');
        }
        var source = text.ToString();
        return current.Redactor.AppliesTo(symbol.Path) ? current.Redactor.Redact(source) : source;
    }

    /// <summary>Whether <paramref name="actual"/> passes an optional filter (none given, or equal ignoring case).</summary>
    private static bool Wanted(string? filter, string? actual) =>
        string.IsNullOrWhiteSpace(filter) || string.Equals(actual, filter.Trim(), StringComparison.OrdinalIgnoreCase);
}
