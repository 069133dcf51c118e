using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Puts every array of a document into its documented order, so equal content always gives equal bytes:
/// modules by ordinal path; definitions and children by start line, then name, then id; calls by line, then
/// callee; imports and variables by line (source order kept within a line); errors by file, line, column,
/// reason; skipped files by path; tasks by id; called_by, modifiers and a task's lists ordinally.
/// Arrays already in order are kept as they are (no copy), so canonicalizing a canonical document is cheap.
/// </summary>
public static class StructCanonicalizer
{
    private static readonly Comparison<ModuleInfo> ModuleOrder = (a, b) => string.CompareOrdinal(a.Path, b.Path);
    private static readonly Comparison<ImportInfo> ImportOrder = (a, b) => a.Line.CompareTo(b.Line);
    private static readonly Comparison<VariableInfo> VariableOrder = (a, b) => a.Line.CompareTo(b.Line);
    private static readonly Comparison<SkippedFile> SkippedOrder = (a, b) =>
        string.CompareOrdinal(a.Path, b.Path) is var c && c != 0 ? c : string.CompareOrdinal(a.Reason, b.Reason);
    private static readonly Comparison<TaskItem> TaskOrder = (a, b) => string.CompareOrdinal(a.Id, b.Id);
    private static readonly Comparison<LlmUsageSummary> UsageOrder = (a, b) =>
        string.CompareOrdinal(a.Provider, b.Provider) is var c && c != 0 ? c : string.CompareOrdinal(a.Model, b.Model);
    private static readonly Comparison<LanguageStats> LanguageOrder = (a, b) => string.CompareOrdinal(a.Language, b.Language);
    private static readonly Comparison<string> Ordinal = string.CompareOrdinal;
    private static readonly Comparison<CallInfo> CallOrder = (a, b) =>
        a.Line != b.Line ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.Callee, b.Callee);
    private static readonly Comparison<Definition> DefinitionOrder = (a, b) =>
        a.StartLine != b.StartLine ? a.StartLine.CompareTo(b.StartLine)
        : string.CompareOrdinal(a.Name, b.Name) is var c && c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    private static readonly Comparison<ParseError> ErrorOrder = (a, b) =>
        string.CompareOrdinal(a.File, b.File) is var f && f != 0 ? f
        : a.Line != b.Line ? a.Line.CompareTo(b.Line)
        : a.Column != b.Column ? a.Column.CompareTo(b.Column)
        : string.CompareOrdinal(a.Reason, b.Reason);

    /// <summary>Returns the document with every array in canonical order.</summary>
    public static StructDocument Canonicalize(StructDocument document) => Canonicalize(document, null);

    /// <summary>
    /// Like <see cref="Canonicalize(StructDocument)"/>, with <paramref name="then"/> applied to each module right after
    /// it is put in order, on the same thread (while it is in cache); <paramref name="then"/> must keep the module's
    /// path and the order of its arrays.
    /// </summary>
    internal static StructDocument Canonicalize(StructDocument document, Func<ModuleInfo, ModuleInfo>? then) =>
        CanonicalizeParts(document with { Modules = MapInParallel(document.Modules, then is null ? Canonicalize : m => then(Canonicalize(m))) });

    /// <summary>The document with its modules in path order and its other arrays in canonical order; each module's own arrays are taken as they are.</summary>
    internal static StructDocument CanonicalizeParts(StructDocument document) => document with
    {
        Modules = Sort(document.Modules, ModuleOrder),
        Errors = Sort(document.Errors, ErrorOrder),
        Skipped = Sort(document.Skipped, SkippedOrder),
        Tasks = Sort(Map(document.Tasks, CanonicalTask), TaskOrder),
        Metrics = SameOrWith(document.Metrics, document.Metrics.Llm, Sort(document.Metrics.Llm, UsageOrder), l => document.Metrics with { Llm = l }),
        Stats = SameOrWith(document.Stats, document.Stats.Languages, Sort(document.Stats.Languages, LanguageOrder), l => document.Stats with { Languages = l }),
    };

    /// <summary>The tasks in id order, each task's lists (labels, assignees, depends_on, files, symbols, unresolved) sorted ordinally.</summary>
    public static ImmutableArray<TaskItem> CanonicalizeTasks(ImmutableArray<TaskItem> tasks) => Sort(Map(tasks, CanonicalTask), TaskOrder);

    private static TaskItem CanonicalTask(TaskItem t)
    {
        var labels = Sort(t.Labels, Ordinal);
        var assignees = Sort(t.Assignees, Ordinal);
        var dependsOn = Sort(t.DependsOn, Ordinal);
        var files = Sort(t.Files, Ordinal);
        var symbols = Sort(t.Symbols, Ordinal);
        var unresolved = Sort(t.Unresolved, Ordinal);
        return Same(labels, t.Labels) && Same(assignees, t.Assignees) && Same(dependsOn, t.DependsOn) && Same(files, t.Files)
            && Same(symbols, t.Symbols) && Same(unresolved, t.Unresolved)
            ? t
            : t with { Labels = labels, Assignees = assignees, DependsOn = dependsOn, Files = files, Symbols = symbols, Unresolved = unresolved };
    }

    private static bool Same(ImmutableArray<string> a, ImmutableArray<string> b) => a == b;

    /// <summary>Returns the module with its imports, variables and definitions in canonical order.</summary>
    public static ModuleInfo Canonicalize(ModuleInfo module)
    {
        var imports = Sort(module.Imports, ImportOrder);
        var variables = Sort(module.Variables, VariableOrder);
        var definitions = SortDefinitions(module.Definitions);
        return imports == module.Imports && variables == module.Variables && definitions == module.Definitions
            ? module
            : module with { Imports = imports, Variables = variables, Definitions = definitions };
    }

    /// <summary>Sorts errors by file, line, column, then reason (ordinal).</summary>
    public static ImmutableArray<ParseError> SortErrors(IEnumerable<ParseError> errors) => Sort([.. errors], ErrorOrder);

    private static ImmutableArray<Definition> SortDefinitions(ImmutableArray<Definition> definitions) =>
        Sort(Map(definitions, CanonicalizeDefinition), DefinitionOrder);

    private static Definition CanonicalizeDefinition(Definition d)
    {
        var children = SortDefinitions(d.Children);
        var calls = Sort(d.Calls, CallOrder);
        var calledBy = Sort(d.CalledBy, Ordinal);
        var modifiers = Sort(d.Modifiers, Ordinal);
        return children == d.Children && calls == d.Calls && calledBy == d.CalledBy && modifiers == d.Modifiers
            ? d
            : d with { Children = children, Calls = calls, CalledBy = calledBy, Modifiers = modifiers };
    }

    private static T SameOrWith<T, TItem>(T value, ImmutableArray<TItem> before, ImmutableArray<TItem> after, Func<ImmutableArray<TItem>, T> with) =>
        before == after ? value : with(after);

    /// <summary>Applies <paramref name="map"/> to each item; returns the same array when no item changed.</summary>
    private static ImmutableArray<T> Map<T>(ImmutableArray<T> items, Func<T, T> map)
        where T : class
    {
        if (items.IsDefaultOrEmpty)
        {
            return items.IsDefault ? [] : items;
        }
        T[]? changed = null;
        for (int i = 0; i < items.Length; i++)
        {
            var mapped = map(items[i]);
            if (!ReferenceEquals(mapped, items[i]))
            {
                changed ??= [.. items];
                changed[i] = mapped;
            }
        }
        return changed is null ? items : ImmutableArray.Create(changed);
    }

    /// <summary>Like <see cref="Map{T}"/>, items mapped in parallel (modules are independent; a large document has thousands).</summary>
    private static ImmutableArray<T> MapInParallel<T>(ImmutableArray<T> items, Func<T, T> map)
        where T : class
    {
        if (items.IsDefaultOrEmpty || items.Length < 256)
        {
            return Map(items, map);
        }
        var mapped = new T[items.Length];
        Parallel.For(0, items.Length, i => mapped[i] = map(items[i]));
        for (int i = 0; i < mapped.Length; i++)
        {
            if (!ReferenceEquals(mapped[i], items[i]))
            {
                return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(mapped);
            }
        }
        return items;
    }

    /// <summary>A stable sort; the same array when it is already in order (the common case), never a default array.</summary>
    private static ImmutableArray<T> Sort<T>(ImmutableArray<T> items, Comparison<T> comparison)
    {
        if (items.IsDefault)
        {
            return [];
        }
        for (int i = 1; i < items.Length; i++)
        {
            if (comparison(items[i - 1], items[i]) > 0)
            {
                // Stable: LINQ's OrderBy keeps equal items in their original order.
                return [.. items.OrderBy(x => x, Comparer<T>.Create(comparison))];
            }
        }
        return items;
    }
}
