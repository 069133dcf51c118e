using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using LlmStruct.Ranking;

namespace LlmStruct.Linking;

/// <summary>
/// Turns per-file structure into a linked graph and fills the document's derived parts: imports → project
/// modules (<see cref="ImportInfo.Resolved"/>), calls → definition ids (<see cref="CallInfo.Target"/>; a call
/// left without a target is unresolved), <see cref="Definition.CalledBy"/>, the link counts in
/// <see cref="StructStats"/>, <see cref="ContextInfo.Files"/> (entry points, then top-ranked files) and
/// <see cref="InstructionSet.Base"/>. Pure and deterministic: the same document gives the same bytes, whatever
/// the order of its modules; linking a linked document again changes nothing.
/// </summary>
public sealed class StructLinker
{
    private readonly Dictionary<string, ILanguageLinker> _linkers = new(StringComparer.Ordinal);

    /// <summary>Creates a linker over per-language resolvers (the last one registered for a language wins).</summary>
    public StructLinker(IEnumerable<ILanguageLinker> linkers)
    {
        ArgumentNullException.ThrowIfNull(linkers);
        foreach (var linker in linkers)
        {
            _linkers[linker.Language] = linker;
        }
    }

    /// <summary>A linker with the built-in Python, JavaScript and C# resolvers.</summary>
    public static StructLinker Default { get; } = new([new PythonLinker(), new JavaScriptLinker(), new TypeScriptLinker(), new CSharpLinker()]);

    /// <summary>The per-language resolvers, by language id.</summary>
    internal IEnumerable<ILanguageLinker> Linkers => _linkers.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value);

    /// <summary>Language ids that have a resolver, sorted.</summary>
    public IEnumerable<string> Languages => _linkers.Keys.Order(StringComparer.Ordinal);

    /// <summary>Links <paramref name="document"/> and returns the canonical, linked document.</summary>
    public StructDocument Link(StructDocument document, LinkOptions? options = null) => Link(document, options, null);

    /// <summary>
    /// Links like <see cref="Link(StructDocument, LinkOptions?)"/>, calling <paramref name="lap"/> with the name of each
    /// step as it ends (for <c>--timings</c>). <paramref name="freshModules"/>: every module is canonical already and
    /// holds no links (straight from the parse pipeline), so only their order and the document's other parts are checked.
    /// </summary>
    internal StructDocument Link(StructDocument document, LinkOptions? options, Action<string>? lap, bool freshModules = false)
    {
        ArgumentNullException.ThrowIfNull(document);
        options ??= new LinkOptions();
        // Canonical order first: linking keeps every array's order (targets and callers are not sort keys), so the
        // linked document is canonical without a second pass, and "the first definition named x" means the same
        // whatever order the modules' parts came in. Old links are dropped in the same walk of each module.
        document = freshModules ? StructCanonicalizer.CanonicalizeParts(document) : StructCanonicalizer.Canonicalize(document, Reset);
        var modules = document.Modules.ToArray();

        // 1. Imports (resolved against the unlinked index: import resolution needs only paths and definitions).
        var index = new LinkIndex(modules, options);
        lap?.Invoke("link-index");
        var withImports = new ModuleInfo[modules.Length];
        Parallel.For(0, modules.Length, i => withImports[i] = ResolveImports(modules[i], index));
        lap?.Invoke("link-imports");

        // 2. Calls (name bindings follow the resolved imports): each call's target, in the order a walk of the
        //    module's definitions meets the calls.
        index = index.WithImportsOf(withImports);
        var targets = new string?[]?[modules.Length];
        Parallel.For(0, modules.Length, i => targets[i] = ResolveTargets(withImports[i], index));
        lap?.Invoke("link-calls");

        // 3. called_by, from every resolved call: each target's callers, sorted ordinally without repeats. Then each
        //    module is rebuilt once, with its calls' targets and its definitions' callers. The edges are gathered by
        //    the module of their target (the path part of the target's id), so each module's callers are sorted and
        //    applied on their own, in parallel; with ids outside their module's path, or paths that repeat, they are
        //    gathered for the whole document instead.
        var linked = new ModuleInfo[withImports.Length];
        var slots = ModuleSlots(withImports);
        if (slots is null || index.HasForeignIds)
        {
            var callers = DocumentCallers(withImports, targets);
            Parallel.For(0, withImports.Length, i => linked[i] = Apply(withImports[i], targets[i], callers));
        }
        else
        {
            // Each edge's target module is looked up in parallel with the walk; only the gathering runs on one thread.
            var edges = new List<(string Caller, string Target)>?[withImports.Length];
            var edgeSlots = new int[]?[withImports.Length];
            var lookup = slots.GetAlternateLookup<ReadOnlySpan<char>>();
            Parallel.For(0, withImports.Length, i =>
            {
                if (targets[i] is not { } moduleTargets)
                {
                    return;
                }
                var moduleEdges = Edges(withImports[i].Definitions, moduleTargets);
                var at = new int[moduleEdges.Count];
                for (int k = 0; k < at.Length; k++)
                {
                    at[k] = lookup.TryGetValue(Parsing.DefinitionIds.PathSpanOf(moduleEdges[k].Target), out int slot) ? slot : -1;
                }
                edges[i] = moduleEdges;
                edgeSlots[i] = at;
            });
            var byTarget = new List<(string Caller, string Target)>?[withImports.Length];
            for (int m = 0; m < edges.Length; m++)
            {
                if (edges[m] is not { } moduleEdges)
                {
                    continue;
                }
                var at = edgeSlots[m]!;
                for (int k = 0; k < at.Length; k++)
                {
                    if (at[k] >= 0)
                    {
                        (byTarget[at[k]] ??= []).Add(moduleEdges[k]);
                    }
                }
            }
            Parallel.For(0, withImports.Length, i => linked[i] = Apply(withImports[i], targets[i], CallersOf(byTarget[i])));
        }

        var result = document with { Modules = ImmutableCollectionsMarshal.AsImmutableArray(linked) };
        result = result with { Stats = StructAssembler.ComputeStats(result) };
        lap?.Invoke("link-called-by");

        // 4. Derived reader-facing parts: key files and base instructions (independent: ranked on another thread
        //    while the instructions are derived here).
        var ranking = Task.Run(() => StructRanker.Rank(result, []));
        var entryPoints = EntryPoints.Find(result, index);
        var instructions = InstructionDeriver.Derive(result, entryPoints);
        var done = result with
        {
            Context = result.Context with { Files = ContextFiles(entryPoints.Select(e => e.Path), ranking.GetAwaiter().GetResult(), options.ContextFileCount) },
            Instructions = result.Instructions with { Base = instructions },
        };
        lap?.Invoke("link-rank-instructions");
        return done;
    }

    /// <summary>Key files: entry points first, then the top-ranked files, <paramref name="count"/> at most.</summary>
    internal static ImmutableArray<ContextFile> ContextFiles(IEnumerable<string> entryPoints, RankResult ranking, int count)
    {
        var files = new List<ContextFile>();
        foreach (var path in entryPoints.Take(count))
        {
            files.Add(new ContextFile { Path = path, Reason = EntryPointReason });
        }
        foreach (var file in ranking.Files)
        {
            if (files.Count >= count)
            {
                break;
            }
            if (!files.Any(f => f.Path == file.Path) && file.Score > 0)
            {
                files.Add(new ContextFile { Path = file.Path, Reason = "top_ranked" });
            }
        }
        return [.. files];
    }

    /// <summary>The <see cref="ContextFile.Reason"/> of an entry point.</summary>
    internal const string EntryPointReason = "entry_point";

    // A freshly parsed document carries no links, so resetting is a read-only walk: only a module or definition
    // that really holds an old link (a document read back from struct.json) is copied.
    private static ModuleInfo Reset(ModuleInfo module)
    {
        bool resolved = false;
        foreach (var import in module.Imports)
        {
            resolved |= import.Resolved is not null;
        }
        var imports = resolved
            ? [.. module.Imports.Select(i => i.Resolved is null ? i : i with { Resolved = null })]
            : module.Imports;
        var definitions = ResetDefinitions(module.Definitions);
        return imports == module.Imports && definitions == module.Definitions
            ? module
            : module with { Imports = imports, Definitions = definitions };
    }

    private static ImmutableArray<Definition> ResetDefinitions(ImmutableArray<Definition> definitions)
    {
        if (definitions.IsDefaultOrEmpty)
        {
            return definitions.IsDefault ? [] : definitions;
        }
        Definition[]? changed = null;
        for (int i = 0; i < definitions.Length; i++)
        {
            var d = definitions[i];
            var children = ResetDefinitions(d.Children);
            bool linked = d.CalledBy.Length > 0;
            foreach (var call in d.Calls)
            {
                linked |= call.Target is not null;
            }
            if (linked || children != d.Children)
            {
                changed ??= [.. definitions];
                changed[i] = d with
                {
                    Calls = linked ? [.. d.Calls.Select(c => c.Target is null ? c : c with { Target = null })] : d.Calls,
                    CalledBy = [],
                    Children = children,
                };
            }
        }
        return changed is null ? definitions : ImmutableArray.Create(changed);
    }

    internal ModuleInfo ResolveImports(ModuleInfo module, LinkIndex index)
    {
        if (!_linkers.TryGetValue(module.Language, out var linker) || module.Imports.IsDefaultOrEmpty)
        {
            return module;
        }
        return module with
        {
            Imports = [.. module.Imports.Select(import =>
            {
                var resolved = linker.ResolveImport(module, import, index);
                return resolved is not null && resolved != module.Path && index.LanguageOf(resolved) is not null
                    ? import with { Resolved = resolved }
                    : import;
            })],
        };
    }

    /// <summary>The module with its calls' targets set (called_by untouched).</summary>
    internal ModuleInfo ResolveCalls(ModuleInfo module, LinkIndex index) => Apply(module, ResolveTargets(module, index), null);

    // Definitions deeper than this are not linked (their calls stay unresolved).
    private const int MaxLinkDepth = 65;

    /// <summary>
    /// The target of every call of the module's definitions, in walk order (a definition's calls, then its children,
    /// depth first, at most <see cref="MaxLinkDepth"/> deep); null when no call resolved.
    /// </summary>
    private string?[]? ResolveTargets(ModuleInfo module, LinkIndex index)
    {
        if (!_linkers.TryGetValue(module.Language, out var linker))
        {
            return null;
        }
        bool trusted = linker is IIndexedTargets;
        var scopes = ImmutableArray.CreateBuilder<Definition>();
        string?[]? targets = null;
        int at = 0;
        Walk(module.Definitions);
        return targets;

        void Walk(ImmutableArray<Definition> definitions)
        {
            if (definitions.IsDefaultOrEmpty)
            {
                return;
            }
            foreach (var definition in definitions)
            {
                scopes.Add(definition);
                var calls = definition.Calls;
                if (!calls.IsDefaultOrEmpty)
                {
                    var chain = scopes.ToImmutable();
                    foreach (var call in calls)
                    {
                        var target = linker.ResolveCall(new CallSite(module, chain, call), index);
                        if (target is not null && (trusted || index.GetDefinition(target) is not null))
                        {
                            // Made at the first resolved call, as long as every call the walk can meet.
                            (targets ??= new string?[CountCalls(module.Definitions, 1)])[at] = target;
                        }
                        at++;
                    }
                }
                if (scopes.Count < MaxLinkDepth)
                {
                    Walk(definition.Children);
                }
                scopes.RemoveAt(scopes.Count - 1);
            }
        }
    }

    // The number of calls a walk of the definitions meets (MaxLinkDepth deep at most).
    private static int CountCalls(ImmutableArray<Definition> definitions, int depth)
    {
        int total = 0;
        foreach (var definition in definitions.IsDefault ? [] : definitions)
        {
            total += definition.Calls.Length;
            if (depth < MaxLinkDepth)
            {
                total += CountCalls(definition.Children, depth + 1);
            }
        }
        return total;
    }

    // The (caller, target) edges of a module, from its targets in walk order.
    private static List<(string Caller, string Target)> Edges(ImmutableArray<Definition> definitions, string?[] targets)
    {
        int resolved = 0;
        foreach (var target in targets)
        {
            resolved += target is null ? 0 : 1;
        }
        var edges = new List<(string Caller, string Target)>(resolved);
        int at = 0;
        Walk(definitions, 1);
        return edges;

        void Walk(ImmutableArray<Definition> list, int depth)
        {
            if (list.IsDefaultOrEmpty)
            {
                return;
            }
            foreach (var definition in list)
            {
                foreach (var _ in definition.Calls)
                {
                    if (targets[at++] is { } target)
                    {
                        edges.Add((definition.Id, target));
                    }
                }
                if (depth < MaxLinkDepth)
                {
                    Walk(definition.Children, depth + 1);
                }
            }
        }
    }

    // Each module's index by path, or null when a path repeats.
    private static Dictionary<string, int>? ModuleSlots(ModuleInfo[] modules)
    {
        var slots = new Dictionary<string, int>(modules.Length, StringComparer.Ordinal);
        for (int i = 0; i < modules.Length; i++)
        {
            if (!slots.TryAdd(modules[i].Path, i))
            {
                return null;
            }
        }
        return slots;
    }

    // Every target's callers, sorted ordinally without repeats, from the edges into one module (or the document).
    // Grouped by target first and each group sorted on its own: sorting all edges by target compared ids that share
    // their module's path over and over.
    private static Dictionary<string, ImmutableArray<string>> CallersOf(List<(string Caller, string Target)>? edges)
    {
        if (edges is null)
        {
            return new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        }
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (caller, target) in edges)
        {
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, target, out _);
            (group ??= new List<string>(2)).Add(caller);
        }
        var callers = new Dictionary<string, ImmutableArray<string>>(groups.Count, StringComparer.Ordinal);
        foreach (var (target, group) in groups)
        {
            if (group.Count > 1)
            {
                group.Sort(OrdinalOrder);
            }
            int unique = 0;
            for (int k = 0; k < group.Count; k++)
            {
                if (unique == 0 || !string.Equals(group[unique - 1], group[k], StringComparison.Ordinal))
                {
                    group[unique++] = group[k];
                }
            }
            callers[target] = ImmutableCollectionsMarshal.AsImmutableArray(CollectionsMarshal.AsSpan(group)[..unique].ToArray());
        }
        return callers;
    }

    private static readonly Comparison<string> OrdinalOrder = string.CompareOrdinal;

    private static Dictionary<string, ImmutableArray<string>> DocumentCallers(ModuleInfo[] modules, string?[]?[] targets)
    {
        var all = new List<(string Caller, string Target)>();
        for (int m = 0; m < modules.Length; m++)
        {
            if (targets[m] is { } moduleTargets)
            {
                all.AddRange(Edges(modules[m].Definitions, moduleTargets));
            }
        }
        return CallersOf(all);
    }

    /// <summary>
    /// The module with the calls' targets (in walk order; null: none resolved) and, when <paramref name="callers"/> is
    /// given, every definition's called_by set from it. A definition is copied only when something of it changes.
    /// </summary>
    private static ModuleInfo Apply(ModuleInfo module, string?[]? targets, IReadOnlyDictionary<string, ImmutableArray<string>>? callers)
    {
        if (targets is null && callers is null)
        {
            return module;
        }
        int at = 0;
        var definitions = Rebuild(module.Definitions, 1);
        return definitions == module.Definitions ? module : module with { Definitions = definitions };

        ImmutableArray<Definition> Rebuild(ImmutableArray<Definition> list, int depth)
        {
            if (list.IsDefaultOrEmpty)
            {
                return list.IsDefault ? [] : list;
            }
            Definition[]? changed = null;
            for (int i = 0; i < list.Length; i++)
            {
                var d = list[i];
                var calls = d.Calls;
                CallInfo[]? resolved = null;
                for (int c = 0; c < calls.Length; c++)
                {
                    if (targets?[at] is { } target)
                    {
                        resolved ??= [.. calls];
                        resolved[c] = calls[c] with { Target = target };
                    }
                    at += targets is null ? 0 : 1;
                }
                // Below the link depth nothing was resolved, but called_by still applies to every definition.
                var children = depth < MaxLinkDepth ? Rebuild(d.Children, depth + 1) : RebuildUnlinked(d.Children);
                bool called = false;
                var calledBy = ImmutableArray<string>.Empty;
                if (callers is not null && callers.TryGetValue(d.Id, out var found))
                {
                    called = true;
                    calledBy = found;
                }
                if (resolved is not null || called || children != d.Children)
                {
                    changed ??= [.. list];
                    changed[i] = d with
                    {
                        Calls = resolved is null ? calls : ImmutableCollectionsMarshal.AsImmutableArray(resolved),
                        CalledBy = called ? calledBy : d.CalledBy,
                        Children = children,
                    };
                }
            }
            return changed is null ? list : ImmutableCollectionsMarshal.AsImmutableArray(changed);
        }

        ImmutableArray<Definition> RebuildUnlinked(ImmutableArray<Definition> list) =>
            callers is null ? (list.IsDefault ? [] : list) : FillCalledBy(list, callers);
    }

    /// <summary>The resolved calls made in these definitions and their children, as (caller id, target id).</summary>
    internal static IEnumerable<(string Caller, string Target)> ResolvedCalls(ImmutableArray<Definition> definitions)
    {
        var stack = new Stack<ImmutableArray<Definition>>();
        stack.Push(definitions);
        while (stack.Count > 0)
        {
            foreach (var definition in stack.Pop())
            {
                foreach (var call in definition.Calls)
                {
                    if (call.Target is { } target)
                    {
                        yield return (definition.Id, target);
                    }
                }
                if (!definition.Children.IsDefaultOrEmpty)
                {
                    stack.Push(definition.Children);
                }
            }
        }
    }

    /// <summary>
    /// Sets <see cref="Definition.CalledBy"/> of every definition whose id is in <paramref name="callers"/> (each list
    /// sorted ordinally, without repeats); the others are returned as they are (copied only where something changes).
    /// </summary>
    internal static ImmutableArray<Definition> FillCalledBy(ImmutableArray<Definition> definitions, IReadOnlyDictionary<string, ImmutableArray<string>> callers)
    {
        if (definitions.IsDefaultOrEmpty)
        {
            return definitions.IsDefault ? [] : definitions;
        }
        Definition[]? changed = null;
        for (int i = 0; i < definitions.Length; i++)
        {
            var d = definitions[i];
            var children = FillCalledBy(d.Children, callers);
            bool called = callers.TryGetValue(d.Id, out var list);
            if (called || children != d.Children)
            {
                changed ??= [.. definitions];
                changed[i] = d with { CalledBy = called ? list : [], Children = children };
            }
        }
        return changed is null ? definitions : ImmutableCollectionsMarshal.AsImmutableArray(changed);
    }
}
