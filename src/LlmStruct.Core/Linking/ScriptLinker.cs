using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Linking;

/// <summary>What a name stands for while resolving a call: a definition, or a module (file and/or package folder).</summary>
internal readonly record struct Symbol(Definition? Definition, string? ModulePath, string? PackageDir)
{
    public static Symbol Of(Definition definition) => new(definition, null, null);

    public static Symbol? Module(string? path, string? dir) => path is null && dir is null ? null : new Symbol(null, path, dir);

    public bool IsModule => Definition is null;
}

/// <summary>
/// Name resolution shared by Python and JavaScript: lexical scopes, module-level names, import bindings (followed
/// through re-exports), attribute walks through modules and classes (bases included). Languages supply how
/// module strings map to files and how an import binds names.
/// </summary>
/// <remarks>
/// This runs for every call of a project (600,000 in a large library), so lookups go by characters into the index's
/// per-module tables instead of building strings, each module's import bindings are worked out once
/// (<see cref="Bindings"/>) instead of scanning its imports per lookup, the per-call memo is a short list, and a callee
/// that recurs in a module (half of all calls) is answered from what its first call found (<c>ModuleResults</c>).
/// </remarks>
internal abstract partial class ScriptLinker : ILanguageLinker, IIndexedTargets
{
    protected const int MaxDepth = 12;

    // Per-call memo (single-threaded within one ResolveCall): completed lookups, and lookups in progress (cycles
    // through re-exports, star imports or bases return null instead of recursing). Keeps the work per call bounded
    // and, being per call, cannot make one call's answer depend on what another thread resolved before.
    [ThreadStatic]
    private static CallMemo? t_memo;

    [ThreadStatic]
    private static Dictionary<string, string[]?>? t_splitBases;

    private const int SplitCacheSize = 4096;

    public abstract string Language { get; }

    /// <summary>Receiver names that mean "the enclosing class" (<c>self</c>, <c>this</c>).</summary>
    protected abstract IReadOnlySet<string> SelfNames { get; }

    public abstract string? ResolveImport(ModuleInfo module, ImportInfo import, LinkIndex index);

    /// <summary>
    /// The names a module's imports bind, each to what binds it (later imports win), and the modules its star imports
    /// read, latest first: a pure function of the module and the index, made once per module.
    /// </summary>
    protected abstract Bindings BuildBindings(LinkIndex.ModuleEntry entry, LinkIndex index);

    /// <summary>What a name bound by an import (see <see cref="BuildBindings"/>) stands for.</summary>
    protected abstract Symbol? ResolveBound(Binding binding, LinkIndex index, int depth);

    /// <summary>A submodule <paramref name="name"/> of a package folder, if the language has them.</summary>
    protected virtual Symbol? ResolveSubmodule(string packageDir, string name, LinkIndex index) => null;

    /// <summary>A definition under another qualified name where a module may define an exported name (CommonJS <c>exports.x</c>).</summary>
    protected virtual Definition? FindExportAlias(LinkIndex.ModuleEntry entry, string name) => null;

    public string? ResolveCall(CallSite site, LinkIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var known = ModuleResults.For(site.Module, index);
        var callee = known.Callee(site.Call.Callee, this, site.Module, index);
        var parts = callee.Parts;
        if (parts is null)
        {
            return null;
        }
        var memo = t_memo ??= new CallMemo();
        memo.Reset();
        if (callee.ViaSuper)
        {
            return ResolveSuperMember(site, parts[0], index) is { } inherited ? Walk(inherited, parts, 1, index) : null;
        }
        if (callee.ViaSelf)
        {
            if (parts.Length < 2)
            {
                return null;
            }
            if (NearestClass(site.Scopes) is not { } owner)
            {
                return ResolveSibling(site, parts[1], index) is { } sibling ? Walk(sibling, parts, 2, index) : null;
            }
            // From here the answer is a function of the class and the callee (the memo is fresh): once per module.
            if (known.ByClass.TryGetValue((owner, callee), out var cached))
            {
                return cached;
            }
            var resolved = FindMember(owner, parts[1], index, 0) is { } member ? Walk(member, parts, 2, index) : null;
            known.ByClass[(owner, callee)] = resolved;
            return resolved;
        }
        if (callee.MaybeLocal && ResolveLexical(site, parts[0], index) is { } local)
        {
            return Walk(local, parts, 1, index);
        }
        // Not an enclosing function's name: the answer is a function of the module and the callee (the memo is fresh,
        // ResolveLexical does not use it), so each distinct callee of a module is resolved once.
        if (!callee.AtModuleKnown)
        {
            callee.AtModule = ResolveInModule(site.Module.Path, null, parts[0], index, 0) is { } start ? Walk(start, parts, 1, index) : null;
            callee.AtModuleKnown = true;
        }
        return callee.AtModule;
    }

    private static Definition? NearestClass(ImmutableArray<Definition> scopes)
    {
        for (int i = scopes.Length - 1; i >= 0; i--)
        {
            if (IsClassLike(scopes[i].Kind))
            {
                return scopes[i];
            }
        }
        return null;
    }

    /// <summary>Resolves a dotted name as seen at module level of <paramref name="modulePath"/> (used for base classes).</summary>
    internal Definition? ResolveDotted(string modulePath, string text, LinkIndex index, int depth)
    {
        var parts = SplitCached(text);
        if (parts is null || depth > MaxDepth)
        {
            return null;
        }
        var start = ResolveInModule(modulePath, null, parts[0], index, depth + 1);
        var id = start is { } s ? Walk(s, parts, 1, index, depth + 1) : null;
        return id is null ? null : index.GetDefinition(id);
    }

    // Callee and base texts split into parts, by the text's identity: parsers share one string per distinct text
    // (the Python parser's TextPool), so the same callees and bases recur by reference across a module and beyond.
    // Small enough to stay in cache (it is consulted once per distinct callee of a module): with 65,536 entries the
    // lookups themselves cost more than the splits they saved.
    private static string[]? SplitCached(string text)
    {
        var cache = t_splitBases ??= new Dictionary<string, string[]?>(SplitCacheSize, ReferenceEqualityComparer.Instance);
        if (cache.TryGetValue(text, out var parts))
        {
            return parts;
        }
        if (cache.Count >= SplitCacheSize)
        {
            cache.Clear();
        }
        parts = CalleeText.Split(text);
        cache[text] = parts;
        return parts;
    }

    private Symbol? ResolveSuperMember(CallSite site, string name, LinkIndex index)
    {
        for (int i = site.Scopes.Length - 1; i >= 0; i--)
        {
            var owner = site.Scopes[i];
            if (!IsClassLike(owner.Kind))
            {
                continue;
            }
            if (index.EntryOfDefinition(owner.Id) is not { } entry)
            {
                return null;
            }
            var path = entry.Module.Path;
            foreach (var baseText in owner.Bases)
            {
                if (!baseText.Contains('=') && ResolveDotted(path, baseText, index, 1) is { } baseClass && baseClass.Id != owner.Id
                    && FindMember(baseClass, name, index, 1) is { } member)
                {
                    return member;
                }
            }
            return null;
        }
        return null;
    }

    // A call through this/self outside any class: an object-literal method (qualified obj.method) calling this.other,
    // a sibling of the same object.
    private static Symbol? ResolveSibling(CallSite site, string name, LinkIndex index)
    {
        var qualified = site.Caller.QualifiedName;
        int dot = qualified.LastIndexOf('.');
        if (dot > 0 && index.Entry(site.Module.Path) is { } entry && FirstJoined(entry, qualified.AsSpan(0, dot), name) is { } sibling)
        {
            return Symbol.Of(sibling);
        }
        return null;
    }

    private static Symbol? ResolveLexical(CallSite site, string name, LinkIndex index)
    {
        LinkIndex.ModuleEntry? entry = null;
        for (int i = site.Scopes.Length - 1; i >= 0; i--)
        {
            var scope = site.Scopes[i];
            if (IsClassLike(scope.Kind) && scope.Kind != DefinitionKinds.Component)
            {
                continue; // class bodies are not enclosing scopes of their methods
            }
            entry ??= index.Entry(site.Module.Path);
            if (entry is null)
            {
                return null;
            }
            if (FirstJoined(entry, scope.QualifiedName, name) is { } hit)
            {
                return Symbol.Of(hit);
            }
        }
        return null;
    }

    /// <summary>The first definition of a module named <c>prefix.name</c> (the qualified name is not built as a string).</summary>
    protected static Definition? FirstJoined(LinkIndex.ModuleEntry entry, ReadOnlySpan<char> prefix, ReadOnlySpan<char> name)
    {
        int length = prefix.Length + 1 + name.Length;
        char[]? rented = null;
        Span<char> buffer = length <= 256 ? stackalloc char[256] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        prefix.CopyTo(buffer);
        buffer[prefix.Length] = '.';
        name.CopyTo(buffer[(prefix.Length + 1)..]);
        var found = entry.First(buffer[..length]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
        return found;
    }

    /// <summary>A name at module level: top-level definition, import binding, submodule, star import.</summary>
    protected Symbol? ResolveInModule(string? modulePath, string? packageDir, string name, LinkIndex index, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        var memo = t_memo!;
        if (memo.TryGet(modulePath, packageDir, name, out var known))
        {
            return known;
        }
        if (!memo.Begin(modulePath, packageDir, name))
        {
            return null;
        }
        var result = ResolveInModuleCore(modulePath, packageDir, name, index, depth);
        memo.End(modulePath, packageDir, name, result);
        return result;
    }

    private Symbol? ResolveInModuleCore(string? modulePath, string? packageDir, string name, LinkIndex index, int depth)
    {
        var entry = modulePath is null ? null : index.Entry(modulePath);
        Bindings? bindings = null;
        if (entry is not null)
        {
            if (entry.First(name) is { } top)
            {
                return Symbol.Of(top);
            }
            if (FindExportAlias(entry, name) is { } aliased)
            {
                return Symbol.Of(aliased);
            }
            bindings = BindingsOf(entry, index);
            if (depth + 1 <= MaxDepth && bindings.ByName.TryGetValue(name, out var binding) && ResolveBound(binding, index, depth + 1) is { } bound)
            {
                return bound;
            }
        }
        if (packageDir is not null && ResolveSubmodule(packageDir, name, index) is { } sub)
        {
            return sub;
        }
        if (bindings is not null)
        {
            foreach (var origin in bindings.StarOrigins)
            {
                // A star-import origin where the name cannot be found is skipped without walking its own star
                // imports: that walk could only give null (see MayResolve), so the answer is the same.
                if (MayResolve(origin, name, index) && ResolveInModule(origin, null, name, index, depth + 1) is { } starred)
                {
                    return starred;
                }
            }
        }
        return null;
    }

    private Bindings BindingsOf(LinkIndex.ModuleEntry entry, LinkIndex index) =>
        entry.State((Linker: this, Index: index), static (e, a) => a.Linker.BuildBindings(e, a.Index));

    /// <summary>
    /// False only when <c>ResolveInModule(originPath, null, name)</c> is certain to be null, whatever the depth, the
    /// lookups in progress and the memo: the name is none of the top-level names, import bindings or export aliases
    /// of the origin or of any module its star imports reach (every step of that lookup can only find such a name,
    /// or recurse into those star imports). Star-import chains (a package re-exporting its subpackages with
    /// <c>from .x import *</c>) would otherwise be walked for every name looked up through them.
    /// </summary>
    private bool MayResolve(string originPath, string name, LinkIndex index)
    {
        if (index.Entry(originPath) is not { } entry)
        {
            return false;
        }
        var bindings = BindingsOf(entry, index);
        return bindings.StarOrigins.Length == 0 ? IsOwnName(entry, bindings, name) : StarFilterOf(entry, bindings, index).MayContain(name);
    }

    private bool IsOwnName(LinkIndex.ModuleEntry entry, Bindings bindings, string name) =>
        entry.First(name) is not null || bindings.ByName.ContainsKey(name) || FindExportAlias(entry, name) is not null;

    // The names of every module in the star-import closure of `entry` (itself included), as a Bloom filter.
    private NameFilter StarFilterOf(LinkIndex.ModuleEntry entry, Bindings bindings, LinkIndex index)
    {
        if (Volatile.Read(ref bindings.StarFilter) is { } known)
        {
            return known;
        }
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { entry.Module.Path };
        var queue = new Queue<(LinkIndex.ModuleEntry Entry, Bindings Bindings)>();
        queue.Enqueue((entry, bindings));
        while (queue.Count > 0)
        {
            var (module, moduleBindings) = queue.Dequeue();
            AddOwnNames(module, moduleBindings, names);
            foreach (var origin in moduleBindings.StarOrigins)
            {
                if (seen.Add(origin) && index.Entry(origin) is { } next)
                {
                    queue.Enqueue((next, BindingsOf(next, index)));
                }
            }
        }
        var filter = new NameFilter(names);
        return Interlocked.CompareExchange(ref bindings.StarFilter, filter, null) ?? filter;
    }

    // What IsOwnName can find: top-level definitions (qualified names without a dot), bindings, export aliases.
    private void AddOwnNames(LinkIndex.ModuleEntry entry, Bindings bindings, List<string> names)
    {
        foreach (var qualified in entry.Names.Keys)
        {
            if (!qualified.Contains('.'))
            {
                names.Add(qualified);
            }
        }
        names.AddRange(bindings.ByName.Keys);
        AddExportAliasNames(entry, names);
    }

    /// <summary>Adds the names <see cref="FindExportAlias"/> can find in this module.</summary>
    protected virtual void AddExportAliasNames(LinkIndex.ModuleEntry entry, List<string> names)
    {
    }

    private string? Walk(Symbol symbol, string[] parts, int next, LinkIndex index, int depth = 0)
    {
        while (next < parts.Length)
        {
            if (symbol.IsModule)
            {
                var found = false;
                if (symbol.ModulePath is { } path && next + 2 <= parts.Length && index.Entry(path) is { } entry)
                {
                    for (int end = parts.Length; end > next + 1; end--)
                    {
                        if (FirstDotted(entry, parts, next, end) is { } qualified)
                        {
                            symbol = Symbol.Of(qualified);
                            next = end;
                            found = true;
                            break;
                        }
                    }
                }
                if (!found)
                {
                    if (ResolveInModule(symbol.ModulePath, symbol.PackageDir, parts[next], index, depth + 1) is not { } inner)
                    {
                        return null;
                    }
                    symbol = inner;
                    next++;
                }
            }
            else
            {
                if (FindMember(symbol.Definition!, parts[next], index, depth) is not { } member)
                {
                    return null;
                }
                symbol = member;
                next++;
            }
        }
        return symbol.Definition?.Id;
    }

    // The first definition named parts[from..end] joined with '.' (joined on the stack, not as a string).
    private static Definition? FirstDotted(LinkIndex.ModuleEntry entry, string[] parts, int from, int end)
    {
        int length = end - from - 1;
        for (int i = from; i < end; i++)
        {
            length += parts[i].Length;
        }
        char[]? rented = null;
        Span<char> buffer = length <= 256 ? stackalloc char[256] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        int at = 0;
        for (int i = from; i < end; i++)
        {
            if (i > from)
            {
                buffer[at++] = '.';
            }
            parts[i].CopyTo(buffer[at..]);
            at += parts[i].Length;
        }
        var found = entry.First(buffer[..length]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
        return found;
    }

    /// <summary>A member of a class (or a nested definition of a function), searching base classes too.</summary>
    private Symbol? FindMember(Definition owner, string name, LinkIndex index, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        var memo = t_memo!;
        if (memo.TryGet(MemberKey, owner.Id, name, out var known))
        {
            return known;
        }
        if (!memo.Begin(MemberKey, owner.Id, name))
        {
            return null;
        }
        var result = FindMemberCore(owner, name, index, depth);
        memo.End(MemberKey, owner.Id, name, result);
        return result;
    }

    private const string MemberKey = "#member";

    private Symbol? FindMemberCore(Definition owner, string name, LinkIndex index, int depth)
    {
        if (index.EntryOfDefinition(owner.Id) is not { } entry)
        {
            return null; // not an indexed module: neither the member nor any base can be found
        }
        if (FirstJoined(entry, owner.QualifiedName, name) is { } member)
        {
            return Symbol.Of(member);
        }
        var path = entry.Module.Path;
        foreach (var baseText in owner.Bases)
        {
            if (baseText.Contains('=') || ResolveDotted(path, baseText, index, depth + 1) is not { } baseClass || baseClass.Id == owner.Id)
            {
                continue;
            }
            if (FindMember(baseClass, name, index, depth + 1) is { } inherited)
            {
                return inherited;
            }
        }
        return null;
    }

    internal static bool IsClassLike(string kind) => kind is DefinitionKinds.Class or DefinitionKinds.Struct or DefinitionKinds.Record
        or DefinitionKinds.Interface or DefinitionKinds.Enum or DefinitionKinds.Component;

    /// <summary>What one imported name is bound to: a language-specific kind, the module it comes from, and the name it has there.</summary>
    protected readonly record struct Binding(int Kind, Symbol? Origin, string? OriginPath, string? ImportedName);

    /// <summary>One module's import bindings (first binding per name, later imports first) and star-import origins (latest first).</summary>
    protected sealed class Bindings(Dictionary<string, Binding> byName, string[] starOrigins)
    {
        /// <summary>The names of the star-import closure, made on first use (see <see cref="MayResolve"/>).</summary>
        internal NameFilter? StarFilter;

        public Dictionary<string, Binding> ByName { get; } = byName;

        public string[] StarOrigins { get; } = starOrigins;
    }

    /// <summary>A set of names that may answer "maybe" for a name it does not hold (a Bloom filter: two bits a name, 16 bits of room a name).</summary>
    internal sealed class NameFilter
    {
        private readonly ulong[] _bits;
        private readonly int _mask;

        public NameFilter(List<string> names)
        {
            int size = 64;
            while (size < names.Count * 16 && size < (1 << 26))
            {
                size <<= 1;
            }
            _bits = new ulong[size / 64];
            _mask = size - 1;
            foreach (var name in names)
            {
                var (a, b) = Positions(name);
                _bits[a >> 6] |= 1UL << a;
                _bits[b >> 6] |= 1UL << b;
            }
        }

        public bool MayContain(string name)
        {
            var (a, b) = Positions(name);
            return (_bits[a >> 6] & (1UL << a)) != 0 && (_bits[b >> 6] & (1UL << b)) != 0;
        }

        private (int A, int B) Positions(string name)
        {
            uint hash = (uint)string.GetHashCode(name.AsSpan());
            uint second = System.Numerics.BitOperations.RotateLeft(hash, 15) * 0x9E3779B1u;
            return ((int)(hash & (uint)_mask), (int)(second & (uint)_mask));
        }
    }

    /// <summary>How many names a module's imports can bind at most (to size its binding table).</summary>
    protected static int BindingCount(ModuleInfo module)
    {
        int count = 0;
        foreach (var import in module.Imports)
        {
            count += 1 + import.Names.Length;
        }
        return count;
    }

    /// <summary>The star-import origins of a module (imports resolved to project modules), latest import first.</summary>
    protected static string[] StarOriginsOf(ModuleInfo module)
    {
        List<string>? origins = null;
        for (int i = module.Imports.Length - 1; i >= 0; i--)
        {
            var import = module.Imports[i];
            if (import.Resolved is not { } origin)
            {
                continue;
            }
            foreach (var imported in import.Names)
            {
                if (imported.Name == "*" && imported.Alias is null)
                {
                    (origins ??= []).Add(origin);
                    break;
                }
            }
        }
        return origins is null ? [] : [.. origins];
    }
}
