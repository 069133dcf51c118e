using System.Collections.Immutable;
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
    public static StructLinker Default { get; } = new([new PythonLinker(), new JavaScriptLinker(), new CSharpLinker()]);

    /// <summary>The per-language resolvers, by language id.</summary>
    internal IEnumerable<ILanguageLinker> Linkers => _linkers.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value);

    /// <summary>Language ids that have a resolver, sorted.</summary>
    public IEnumerable<string> Languages => _linkers.Keys.Order(StringComparer.Ordinal);

    /// <summary>Links <paramref name="document"/> and returns the canonical, linked document.</summary>
    public StructDocument Link(StructDocument document, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        options ??= new LinkOptions();
        var modules = document.Modules.Select(Reset).OrderBy(m => m.Path, StringComparer.Ordinal).ToArray();

        // 1. Imports (resolved against the unlinked index: import resolution needs only paths and definitions).
        var index = new LinkIndex(modules, options);
        var withImports = new ModuleInfo[modules.Length];
        Parallel.For(0, modules.Length, i => withImports[i] = ResolveImports(modules[i], index));

        // 2. Calls (name bindings follow the resolved imports).
        index = index.WithImportsOf(withImports);
        var withCalls = new ModuleInfo[modules.Length];
        Parallel.For(0, modules.Length, i => withCalls[i] = ResolveCalls(withImports[i], index));

        // 3. called_by, from every resolved call.
        var callers = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var module in withCalls)
        {
            foreach (var (caller, target) in ResolvedCalls(module.Definitions))
            {
                if (!callers.TryGetValue(target, out var set))
                {
                    callers[target] = set = new SortedSet<string>(StringComparer.Ordinal);
                }
                set.Add(caller);
            }
        }
        var linked = withCalls.Select(m => FillCalledBy(m.Definitions, callers) is var filled && filled != m.Definitions ? m with { Definitions = filled } : m);

        var result = StructCanonicalizer.Canonicalize(document with { Modules = [.. linked] });
        result = result with { Stats = StructAssembler.ComputeStats(result) };

        // 4. Derived reader-facing parts: key files and base instructions.
        var ranking = StructRanker.Rank(result, []);
        var entryPoints = EntryPoints.Find(result, index);
        return result with
        {
            Context = result.Context with { Files = ContextFiles(entryPoints.Select(e => e.Path), ranking, options.ContextFileCount) },
            Instructions = result.Instructions with { Base = InstructionDeriver.Derive(result, entryPoints) },
        };
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
        var imports = module.Imports.Any(i => i.Resolved is not null)
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
            bool linked = d.CalledBy.Length > 0 || d.Calls.Any(c => c.Target is not null);
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

    internal ModuleInfo ResolveCalls(ModuleInfo module, LinkIndex index)
    {
        if (!_linkers.TryGetValue(module.Language, out var linker))
        {
            return module;
        }
        var scopes = ImmutableArray.CreateBuilder<Definition>();
        var definitions = ResolveCalls(module, module.Definitions, scopes, linker, index);
        return definitions == module.Definitions ? module : module with { Definitions = definitions };
    }

    // Copies a definition only when one of its calls (or a child's) resolved: most definitions come back as they are.
    private static ImmutableArray<Definition> ResolveCalls(
        ModuleInfo module, ImmutableArray<Definition> definitions, ImmutableArray<Definition>.Builder scopes, ILanguageLinker linker, LinkIndex index)
    {
        if (definitions.IsDefaultOrEmpty)
        {
            return definitions.IsDefault ? [] : definitions;
        }
        Definition[]? changed = null;
        for (int i = 0; i < definitions.Length; i++)
        {
            var definition = definitions[i];
            scopes.Add(definition);
            var calls = definition.Calls;
            if (!calls.IsDefaultOrEmpty)
            {
                var chain = scopes.ToImmutable();
                CallInfo[]? resolved = null;
                for (int c = 0; c < calls.Length; c++)
                {
                    var call = calls[c];
                    var target = linker.ResolveCall(new CallSite(module, chain, call), index);
                    if (target is not null && index.GetDefinition(target) is not null)
                    {
                        resolved ??= [.. calls];
                        resolved[c] = call with { Target = target };
                    }
                }
                calls = resolved is null ? calls : ImmutableArray.Create(resolved);
            }
            var children = scopes.Count > 64 ? definition.Children : ResolveCalls(module, definition.Children, scopes, linker, index);
            scopes.RemoveAt(scopes.Count - 1);
            if (calls != definition.Calls || children != definition.Children)
            {
                changed ??= [.. definitions];
                changed[i] = definition with { Calls = calls, Children = children };
            }
        }
        return changed is null ? definitions : ImmutableArray.Create(changed);
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
    /// Sets <see cref="Definition.CalledBy"/> of every definition whose id is in <paramref name="callers"/>; the others
    /// are returned as they are (copied only where something changes).
    /// </summary>
    internal static ImmutableArray<Definition> FillCalledBy(ImmutableArray<Definition> definitions, Dictionary<string, SortedSet<string>> callers)
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
            bool called = callers.TryGetValue(d.Id, out var set);
            if (called || children != d.Children)
            {
                changed ??= [.. definitions];
                changed[i] = d with { CalledBy = called ? [.. set!] : [], Children = children };
            }
        }
        return changed is null ? definitions : ImmutableArray.Create(changed);
    }
}
