// The linkers as they were before the linking hot path was reworked (commit d0e8d23): a reference that the
// optimized linkers must agree with byte for byte (LinkerEquivalenceProperties). Kept as written then; not
// used outside the tests.
using System.Runtime.CompilerServices;
using LlmStruct.Model;
using LlmStruct.Parsing;

using LlmStruct.Linking;
using CallSite = LlmStruct.Linking.CallSite;

namespace LlmStruct.Core.Tests.Linking.Reference;

/// <summary>What a name stands for while resolving a call: a definition, or a module (file and/or package folder).</summary>
internal readonly record struct RefSymbol(Definition? Definition, string? ModulePath, string? PackageDir)
{
    public static RefSymbol Of(Definition definition) => new(definition, null, null);

    public static RefSymbol? Module(string? path, string? dir) => path is null && dir is null ? null : new RefSymbol(null, path, dir);

    public bool IsModule => Definition is null;
}

/// <summary>
/// Name resolution shared by Python and JavaScript: lexical scopes, module-level names, import bindings (followed
/// through re-exports), attribute walks through modules and classes (bases included). Languages supply how
/// module strings map to files and how an import binds names.
/// </summary>
internal abstract class ReferenceScriptLinker : ILanguageLinker
{
    protected const int MaxDepth = 12;

    // Per-call memo (single-threaded within one ResolveCall): completed lookups, and lookups in progress (cycles
    // through re-exports, star imports or bases return null instead of recursing). Keeps the work per call bounded
    // and, being per call, cannot make one call's answer depend on what another thread resolved before.
    [ThreadStatic]
    private static Dictionary<(string?, string?, string), RefSymbol?>? t_memo;

    [ThreadStatic]
    private static HashSet<(string?, string?, string)>? t_inProgress;

    public abstract string Language { get; }

    /// <summary>Receiver names that mean "the enclosing class" (<c>self</c>, <c>this</c>).</summary>
    protected abstract IReadOnlySet<string> SelfNames { get; }

    public abstract string? ResolveImport(ModuleInfo module, ImportInfo import, LinkIndex index);

    /// <summary>Resolves a name bound by the imports of <paramref name="module"/> (later imports win).</summary>
    protected abstract RefSymbol? ResolveBinding(ModuleInfo module, string name, LinkIndex index, int depth);

    /// <summary>A submodule <paramref name="name"/> of a package folder, if the language has them.</summary>
    protected virtual RefSymbol? ResolveSubmodule(string packageDir, string name, LinkIndex index) => null;

    /// <summary>Extra qualified names under which a module may define an exported name (CommonJS <c>exports.x</c>).</summary>
    protected virtual IEnumerable<string> ExportAliases(string name) => [];

    public string? ResolveCall(CallSite site, LinkIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        ResetMemo();
        // super().m() (Python) and super.m() (JavaScript): a member of the enclosing class's bases.
        var callee = site.Call.Callee;
        bool viaSuper = callee.StartsWith("super().", StringComparison.Ordinal) || callee.StartsWith("super.", StringComparison.Ordinal);
        var parts = ReferenceCalleeText.Split(viaSuper ? callee[(callee.IndexOf('.') + 1)..] : callee);
        if (parts is null)
        {
            return null;
        }
        if (viaSuper)
        {
            return ResolveSuperMember(site, parts[0], index) is { } inherited ? Walk(inherited, parts, 1, index) : null;
        }
        RefSymbol? start;
        int next = 1;
        if (SelfNames.Contains(parts[0]))
        {
            if (parts.Length < 2)
            {
                return null;
            }
            return ResolveSelfMember(site, parts[1], index) is { } member ? Walk(member, parts, 2, index) : null;
        }
        start = ResolveLexical(site, parts[0], index) ?? ResolveInModule(site.Module.Path, null, parts[0], index, 0);
        return start is { } symbol ? Walk(symbol, parts, next, index) : null;
    }

    /// <summary>Resolves a dotted name as seen at module level of <paramref name="modulePath"/> (used for base classes).</summary>
    internal Definition? ResolveDotted(string modulePath, string text, LinkIndex index, int depth)
    {
        var parts = ReferenceCalleeText.Split(text);
        if (parts is null || depth > MaxDepth)
        {
            return null;
        }
        var start = ResolveInModule(modulePath, null, parts[0], index, depth + 1);
        var id = start is { } s ? Walk(s, parts, 1, index, depth + 1) : null;
        return id is null ? null : index.GetDefinition(id);
    }

    private RefSymbol? ResolveSuperMember(CallSite site, string name, LinkIndex index)
    {
        for (int i = site.Scopes.Length - 1; i >= 0; i--)
        {
            var owner = site.Scopes[i];
            if (!IsClassLike(owner.Kind))
            {
                continue;
            }
            var path = DefinitionIds.PathOf(owner.Id);
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

    private RefSymbol? ResolveSelfMember(CallSite site, string name, LinkIndex index)
    {
        for (int i = site.Scopes.Length - 1; i >= 0; i--)
        {
            if (IsClassLike(site.Scopes[i].Kind))
            {
                return FindMember(site.Scopes[i], name, index, 0);
            }
        }
        // An object-literal method (qualified obj.method) calling this.other: a sibling of the same object.
        var qualified = site.Caller.QualifiedName;
        int dot = qualified.LastIndexOf('.');
        if (dot > 0 && index.Find(site.Module.Path, qualified[..dot] + "." + name) is [var sibling, ..])
        {
            return RefSymbol.Of(sibling);
        }
        return null;
    }

    private static RefSymbol? ResolveLexical(CallSite site, string name, LinkIndex index)
    {
        for (int i = site.Scopes.Length - 1; i >= 0; i--)
        {
            var scope = site.Scopes[i];
            if (IsClassLike(scope.Kind) && scope.Kind != DefinitionKinds.Component)
            {
                continue; // class bodies are not enclosing scopes of their methods
            }
            var hit = index.Find(site.Module.Path, scope.QualifiedName + "." + name);
            if (hit.Count > 0)
            {
                return RefSymbol.Of(hit[0]);
            }
        }
        return null;
    }

    /// <summary>A name at module level: top-level definition, import binding, submodule, star import.</summary>
    protected RefSymbol? ResolveInModule(string? modulePath, string? packageDir, string name, LinkIndex index, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        return Memoized((modulePath, packageDir, name), () => ResolveInModuleCore(modulePath, packageDir, name, index, depth));
    }

    // Clearing a dictionary costs its capacity, not its count: one call with a deep walk would make every later
    // clear expensive, so a memo that grew large is replaced instead (this ran for each of ~600,000 calls).
    private static void ResetMemo()
    {
        const int Large = 64;
        if (t_memo is null || t_memo.Count > Large)
        {
            t_memo = [];
        }
        else if (t_memo.Count > 0)
        {
            t_memo.Clear();
        }
        if (t_inProgress is null || t_inProgress.Count > Large)
        {
            t_inProgress = [];
        }
        else if (t_inProgress.Count > 0)
        {
            t_inProgress.Clear();
        }
    }

    private static RefSymbol? Memoized((string?, string?, string) key, Func<RefSymbol?> resolve)
    {
        var memo = t_memo ??= [];
        var inProgress = t_inProgress ??= [];
        if (memo.TryGetValue(key, out var known))
        {
            return known;
        }
        if (!inProgress.Add(key))
        {
            return null;
        }
        var result = resolve();
        inProgress.Remove(key);
        memo[key] = result;
        return result;
    }

    private RefSymbol? ResolveInModuleCore(string? modulePath, string? packageDir, string name, LinkIndex index, int depth)
    {
        var module = modulePath is null ? null : index.GetModule(modulePath);
        if (module is not null)
        {
            if (index.Find(module.Path, name) is [var top, ..])
            {
                return RefSymbol.Of(top);
            }
            foreach (var alias in ExportAliases(name))
            {
                if (index.Find(module.Path, alias) is [var aliased, ..])
                {
                    return RefSymbol.Of(aliased);
                }
            }
            if (ResolveBinding(module, name, index, depth + 1) is { } bound)
            {
                return bound;
            }
        }
        if (packageDir is not null && ResolveSubmodule(packageDir, name, index) is { } sub)
        {
            return sub;
        }
        if (module is not null)
        {
            foreach (var import in module.Imports.Reverse())
            {
                if (import.Names.Any(n => n.Name == "*" && n.Alias is null) && import.Resolved is { } origin
                    && ResolveInModule(origin, null, name, index, depth + 1) is { } starred)
                {
                    return starred;
                }
            }
        }
        return null;
    }

    private string? Walk(RefSymbol symbol, string[] parts, int next, LinkIndex index, int depth = 0)
    {
        while (next < parts.Length)
        {
            if (symbol.IsModule)
            {
                var found = false;
                if (symbol.ModulePath is { } path)
                {
                    for (int end = parts.Length; end > next + 1; end--)
                    {
                        if (index.Find(path, string.Join('.', parts[next..end])) is [var qualified, ..])
                        {
                            symbol = RefSymbol.Of(qualified);
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

    /// <summary>A member of a class (or a nested definition of a function), searching base classes too.</summary>
    private RefSymbol? FindMember(Definition owner, string name, LinkIndex index, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        return Memoized(("#member", owner.Id, name), () => FindMemberCore(owner, name, index, depth));
    }

    private RefSymbol? FindMemberCore(Definition owner, string name, LinkIndex index, int depth)
    {
        var path = DefinitionIds.PathOf(owner.Id);
        if (index.Find(path, owner.QualifiedName + "." + name) is [var member, ..])
        {
            return RefSymbol.Of(member);
        }
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
}

/// <summary>Splits a callee's source text into identifier parts, or rejects it (calls on call results, indexers…).</summary>
internal static class ReferenceCalleeText
{
    public static string[]? Split(string callee)
    {
        if (string.IsNullOrEmpty(callee))
        {
            return null;
        }
        var text = StripGenerics(callee).Replace("?.", ".", StringComparison.Ordinal).Replace("!.", ".", StringComparison.Ordinal);
        if (text.StartsWith("global::", StringComparison.Ordinal))
        {
            text = text["global::".Length..];
        }
        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '$' or '#' or '.'))
            {
                return null;
            }
        }
        var parts = text.Split('.');
        return parts.Any(p => p.Length == 0) ? null : parts;
    }

    /// <summary>Removes generic argument lists (<c>Go&lt;int&gt;</c> → <c>Go</c>), a trailing '?' and array brackets.</summary>
    public static string StripGenerics(string text)
    {
        if (!text.Contains('<'))
        {
            return text.TrimEnd('?');
        }
        var builder = new System.Text.StringBuilder(text.Length);
        int depth = 0;
        foreach (var c in text)
        {
            if (c == '<')
            {
                depth++;
            }
            else if (c == '>')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }
        return builder.ToString().TrimEnd('?');
    }
}

/// <summary>Per-index memo for linkers that need derived tables (computed once per link, thread-safe).</summary>
internal static class ReferenceLinkMemo<T>
    where T : class
{
    private static readonly ConditionalWeakTable<LinkIndex, T> Table = [];

    public static T Get(LinkIndex index, Func<LinkIndex, T> create) => Table.GetValue(index, i => create(i));
}
