using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Puts every array of a document into its documented order, so equal content always gives equal bytes:
/// modules by ordinal path; definitions and children by start line, then name, then id; calls by line, then
/// callee; imports and variables by line (source order kept within a line); errors by file, line, column,
/// reason; skipped files by path; tasks by id; called_by and labels ordinally.
/// </summary>
public static class StructCanonicalizer
{
    /// <summary>Returns the document with every array in canonical order.</summary>
    public static StructDocument Canonicalize(StructDocument document) => document with
    {
        Modules = [.. document.Modules.Select(Canonicalize).OrderBy(m => m.Path, StringComparer.Ordinal)],
        Errors = SortErrors(document.Errors),
        Skipped = [.. document.Skipped.OrderBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Reason, StringComparer.Ordinal)],
        Tasks = [.. document.Tasks.Select(t => t with { Labels = SortOrdinal(t.Labels) }).OrderBy(t => t.Id, StringComparer.Ordinal)],
        Metrics = document.Metrics with
        {
            Llm = [.. document.Metrics.Llm.OrderBy(u => u.Provider, StringComparer.Ordinal).ThenBy(u => u.Model, StringComparer.Ordinal)],
        },
        Stats = document.Stats with
        {
            Languages = [.. document.Stats.Languages.OrderBy(l => l.Language, StringComparer.Ordinal)],
        },
    };

    /// <summary>Returns the module with its imports, variables and definitions in canonical order.</summary>
    public static ModuleInfo Canonicalize(ModuleInfo module) => module with
    {
        Imports = [.. module.Imports.OrderBy(i => i.Line)],
        Variables = [.. module.Variables.OrderBy(v => v.Line)],
        Definitions = SortDefinitions(module.Definitions),
    };

    /// <summary>Sorts errors by file, line, column, then reason (ordinal).</summary>
    public static ImmutableArray<ParseError> SortErrors(IEnumerable<ParseError> errors) =>
    [
        .. errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column)
            .ThenBy(e => e.Reason, StringComparer.Ordinal),
    ];

    private static ImmutableArray<Definition> SortDefinitions(ImmutableArray<Definition> definitions) =>
    [
        .. definitions
            .Select(d => d with
            {
                Children = SortDefinitions(d.Children),
                Calls = [.. d.Calls.OrderBy(c => c.Line).ThenBy(c => c.Callee, StringComparer.Ordinal)],
                CalledBy = SortOrdinal(d.CalledBy),
                Modifiers = SortOrdinal(d.Modifiers),
            })
            .OrderBy(d => d.StartLine).ThenBy(d => d.Name, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal),
    ];

    private static ImmutableArray<string> SortOrdinal(ImmutableArray<string> values) =>
        values.IsDefaultOrEmpty ? [] : [.. values.Order(StringComparer.Ordinal)];
}
