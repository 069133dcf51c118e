using System.Text;
using LlmStruct.Llm.Tokens;
using LlmStruct.Model;

namespace LlmStruct.Llm.Context;

/// <summary>
/// The interim ask context: project and context summaries, key files, then a compact outline of modules and their
/// top-level definitions (key files first, then by path), cut at the last whole line that fits the budget.
/// </summary>
internal sealed class StructSummaryContext(IPromptTokenCounter? counter = null) : IAskContext
{
    private readonly IPromptTokenCounter _counter = counter ?? EstimatingTokenCounter.Instance;

    public string Render(StructDocument document, int tokenBudget)
    {
        ArgumentNullException.ThrowIfNull(document);
        var lines = new List<string> { $"# Project: {document.Project.Name}" };
        AddParagraph(lines, document.Project.Summary);
        AddParagraph(lines, document.Context.Summary);
        if (document.Context.Files.Length > 0)
        {
            lines.Add("");
            lines.Add("## Key files");
            lines.AddRange(document.Context.Files.Select(f => $"- {f.Path} ({f.Reason})"));
        }
        lines.Add("");
        lines.Add($"## Modules ({document.Stats.Modules} files, {document.Stats.Definitions} definitions)");
        var key = document.Context.Files.Select((f, i) => (f.Path, i)).GroupBy(p => p.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var modules = document.Modules
            .OrderBy(m => key.TryGetValue(m.Path, out int rank) ? rank : int.MaxValue)
            .ThenBy(m => m.Path, StringComparer.Ordinal);
        foreach (var module in modules)
        {
            lines.Add($"- {module.Path} ({module.Language}, {module.Lines} lines){Doc(module.Docstring)}");
            AddDefinitions(lines, module.Definitions, depth: 1);
        }
        return Fit(lines, tokenBudget);
    }

    // Namespaces and classes nest a few levels; deeper nesting (local functions in lambdas…) adds little for a reader.
    private const int MaxDepth = 4;

    private static void AddDefinitions(List<string> lines, IEnumerable<Definition> definitions, int depth)
    {
        foreach (var definition in definitions)
        {
            lines.Add($"{new string(' ', depth * 2)}- {definition.Kind} {definition.QualifiedName}{Signature(definition)} L{definition.StartLine}-{definition.EndLine}{Doc(definition.Docstring)}");
            if (depth < MaxDepth)
            {
                AddDefinitions(lines, definition.Children, depth + 1);
            }
        }
    }

    private string Fit(List<string> lines, int tokenBudget)
    {
        var text = new StringBuilder();
        int used = 0;
        foreach (var line in lines)
        {
            int cost = _counter.CountTokens(line) + 1;
            if (used + cost > tokenBudget)
            {
                text.Append("… (truncated to fit the context budget)\n");
                break;
            }
            used += cost;
            text.Append(line).Append('\n');
        }
        return text.ToString();
    }

    private static void AddParagraph(List<string> lines, string? paragraph)
    {
        if (!string.IsNullOrWhiteSpace(paragraph))
        {
            lines.Add("");
            lines.Add(paragraph.Trim());
        }
    }

    private static string Signature(Definition definition) =>
        definition.Kind is DefinitionKinds.Function or DefinitionKinds.Method
            ? "(" + string.Join(", ", definition.Parameters.Select(p => p.Name)) + ")" + (definition.ReturnType is { } r ? " -> " + r : "")
            : "";

    private static string Doc(string? docstring)
    {
        if (string.IsNullOrWhiteSpace(docstring))
        {
            return "";
        }
        var line = docstring.Split('\n')[0].Trim();
        return ": " + (line.Length <= 100 ? line : line[..100] + "…");
    }
}
