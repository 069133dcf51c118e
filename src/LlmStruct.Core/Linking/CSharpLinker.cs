using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Linking;

/// <summary>
/// C#: a <c>using</c> resolves to the first file (by path) that declares the namespace, a <c>using static</c> or
/// alias to the file declaring the type. Calls resolve through the enclosing types (and their bases), field and
/// property types, type names looked up in the enclosing namespaces, <c>using</c> namespaces and aliases, and
/// <c>using static</c> types. Overloads resolve to the first by id (the call text has no argument types).
/// </summary>
internal sealed class CSharpLinker : ILanguageLinker
{
    public const string LanguageId = "csharp";
    private const int MaxDepth = 8;

    public string Language => LanguageId;

    public string? ResolveImport(ModuleInfo module, ImportInfo import, LinkIndex index)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(index);
        var name = CalleeText.StripGenerics(import.Module);
        if (name.StartsWith("global::", StringComparison.Ordinal))
        {
            name = name["global::".Length..];
        }
        var declared = index.FindInLanguage(LanguageId, name);
        var match = import.Kind == "using"
            ? declared.FirstOrDefault(d => d.Kind == DefinitionKinds.Namespace)
            : declared.FirstOrDefault(d => IsType(d.Kind));
        if (match is null && import.Kind == "using")
        {
            // A namespace declared only as a prefix of another (namespace A.B { } declares A.B, not A).
            return null;
        }
        return match is null ? null : DefinitionIds.PathOf(match.Id);
    }

    public string? ResolveCall(CallSite site, LinkIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var callee = site.Call.Callee;
        if (string.IsNullOrEmpty(callee))
        {
            return null;
        }
        // A call's target depends on its text and on what its context sees, nothing else: the methods of one type
        // call the same few names, each resolved once.
        var context = Contexts.Of(site, index);
        if (!context.Resolved.TryGetValue(callee, out var target))
        {
            target = Resolve(callee, context);
            context.Resolved[callee] = target;
        }
        return target;
    }

    private string? Resolve(string callee, Context context)
    {
        var parts = CalleeText.Split(callee);
        if (parts is null)
        {
            return null;
        }
        int next;
        List<Definition>? current;
        if (parts[0] is "this" or "base")
        {
            var type = context.EnclosingTypes.FirstOrDefault();
            if (type is null || parts.Length < 2)
            {
                return null;
            }
            current = parts[0] == "this" ? [type] : [.. BaseTypes(type, context, 0)];
            next = 1;
        }
        else
        {
            (current, next) = ResolveHead(parts, context);
        }
        while (current is { Count: > 0 } && next < parts.Length)
        {
            var member = FindMember(current, parts[next], context, 0);
            if (member is null)
            {
                return null;
            }
            next++;
            current = next < parts.Length ? TypeOf(member, context) : [member];
        }
        return current is { Count: > 0 } && next == parts.Length ? current[0].Id : null;
    }

    private (List<Definition>? Definitions, int Next) ResolveHead(string[] parts, Context context)
    {
        // 1. A member of an enclosing type (or its bases): Load(), _field.Run(), Property.Method().
        var member = context.EnclosingTypes.Select(t => FindMember([t], parts[0], context, 0)).FirstOrDefault(m => m is not null);
        if (member is not null)
        {
            return parts.Length == 1 ? ([member], 1) : (TypeOf(member, context), 1);
        }
        // 2. A type, possibly namespace-qualified: Helper.Make(), Demo.App.Helper.Make(), new Other().
        for (int end = parts.Length; end >= 1; end--)
        {
            var types = FindTypes(string.Join('.', parts[..end]), context);
            if (types.Count > 0)
            {
                return (types, end);
            }
        }
        // 3. A member of a `using static` type: Max(…).
        foreach (var imported in context.StaticTypes)
        {
            if (FindMember(imported, parts[0], context, 0) is { } staticMember)
            {
                return parts.Length == 1 ? ([staticMember], 1) : (TypeOf(staticMember, context), 1);
            }
        }
        return (null, 0);
    }

    private Definition? FindMember(List<Definition> typeParts, string name, Context context, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        Definition? best = null;
        foreach (var part in typeParts)
        {
            foreach (var child in part.Children)
            {
                if (child.Name == name && (best is null || string.CompareOrdinal(child.Id, best.Id) < 0))
                {
                    best = child;
                }
            }
        }
        if (best is not null)
        {
            return best;
        }
        foreach (var part in typeParts)
        {
            foreach (var baseType in BaseTypes(part, context, depth + 1))
            {
                if (FindMember([baseType], name, context, depth + 1) is { } inherited)
                {
                    return inherited;
                }
            }
        }
        return null;
    }

    private List<Definition> BaseTypes(Definition type, Context context, int depth)
    {
        var result = new List<Definition>();
        if (depth > MaxDepth)
        {
            return result;
        }
        foreach (var baseText in type.Bases)
        {
            foreach (var found in FindTypes(CalleeText.StripGenerics(baseText), context))
            {
                if (found.Id != type.Id)
                {
                    result.Add(found);
                }
            }
        }
        return result;
    }

    /// <summary>The declared type of a field, property or method result, as project type definitions.</summary>
    private List<Definition> TypeOf(Definition member, Context context)
    {
        if (IsType(member.Kind))
        {
            return [member];
        }
        if (member.ReturnType is not { Length: > 0 } typeText)
        {
            return [];
        }
        return FindTypes(CalleeText.StripGenerics(typeText).Trim(), context);
    }

    /// <summary>
    /// Types named <paramref name="name"/> as seen from the call site: nested, enclosing namespaces, usings, aliases.
    /// Remembered per context (a caller's calls look up the same few names again and again); callers only read the list.
    /// </summary>
    private static List<Definition> FindTypes(string name, Context context)
    {
        if (name.Length == 0)
        {
            return [];
        }
        if (!context.Types.TryGetValue(name, out var found))
        {
            found = LookUpTypes(name, context);
            context.Types[name] = found;
        }
        return found;
    }

    private static List<Definition> LookUpTypes(string name, Context context)
    {
        int dot = name.IndexOf('.');
        var first = dot < 0 ? name : name[..dot];
        if (context.Aliases.TryGetValue(first, out var aliased))
        {
            name = aliased + name[first.Length..];
        }
        var table = TypeTable.Of(context.Index);
        foreach (var scope in context.ScopeNames)
        {
            var types = table.Find(scope, name, context.Index);
            if (types.Count > 0)
            {
                return types;
            }
        }
        foreach (var ns in context.UsingNamespaces)
        {
            var types = table.Find(ns, name, context.Index);
            if (types.Count > 0)
            {
                return types;
            }
        }
        return TypeTable.None;
    }

    /// <summary>The types declared with <paramref name="qualifiedName"/>, by id (callers only read the list).</summary>
    private static List<Definition> Types(string qualifiedName, LinkIndex index) => TypeTable.Of(index).Find("", qualifiedName, index);

    /// <summary>
    /// The C# types of one link: the set of their qualified names (so a name that is no type, most of those a lookup
    /// tries, costs one probe and no allocation) and, filled as they are asked for, the types of each name.
    /// </summary>
    private sealed class TypeTable
    {
        /// <summary>No types (callers only read it).</summary>
        public static readonly List<Definition> None = [];

        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _namesBySpan;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<Definition>> _byName = new(StringComparer.Ordinal);

        private TypeTable(LinkIndex index)
        {
            _namesBySpan = _names.GetAlternateLookup<ReadOnlySpan<char>>();
            foreach (var (path, language) in index.ModulePaths)
            {
                if (language == LanguageId && index.GetModule(path) is { } module)
                {
                    Add(module.Definitions);
                }
            }
        }

        public static TypeTable Of(LinkIndex index) => LinkMemo<TypeTable>.Get(index, static i => new TypeTable(i));

        private void Add(ImmutableArray<Definition> definitions)
        {
            foreach (var definition in definitions.IsDefault ? [] : definitions)
            {
                if (IsType(definition.Kind))
                {
                    _names.Add(definition.QualifiedName);
                }
                Add(definition.Children);
            }
        }

        /// <summary>The types named <paramref name="scope"/>.<paramref name="name"/> (just <paramref name="name"/> when the scope is empty).</summary>
        public List<Definition> Find(string scope, string name, LinkIndex index)
        {
            int length = scope.Length == 0 ? name.Length : scope.Length + 1 + name.Length;
            char[]? rented = null;
            Span<char> buffer = length <= 256 ? stackalloc char[256] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
            try
            {
                var qualified = buffer[..length];
                if (scope.Length == 0)
                {
                    name.CopyTo(qualified);
                }
                else
                {
                    scope.CopyTo(qualified);
                    qualified[scope.Length] = '.';
                    name.CopyTo(qualified[(scope.Length + 1)..]);
                }
                return _namesBySpan.TryGetValue(qualified, out var key) ? _byName.GetOrAdd(key, static (k, i) => Collect(k, i), index) : None;
            }
            finally
            {
                if (rented is not null)
                {
                    System.Buffers.ArrayPool<char>.Shared.Return(rented);
                }
            }
        }

        private static List<Definition> Collect(string qualifiedName, LinkIndex index)
        {
            var found = new List<Definition>();
            foreach (var definition in index.FindInLanguage(LanguageId, qualifiedName))
            {
                if (IsType(definition.Kind))
                {
                    found.Add(definition);
                }
            }
            return found;
        }
    }

    private static bool IsType(string kind) => kind is DefinitionKinds.Class or DefinitionKinds.Struct or DefinitionKinds.Record
        or DefinitionKinds.Interface or DefinitionKinds.Enum or DefinitionKinds.Delegate;

    /// <summary>
    /// The contexts of one link, one per module and innermost enclosing type or namespace: what a call sees depends on
    /// those scopes and the module's usings only (not on the functions around it), so every call made inside one type
    /// shares a context and its memo. A context is used by the one thread that links its module (its memos are not
    /// shared between threads).
    /// </summary>
    private sealed class Contexts
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<(ModuleInfo Module, Definition? Scope), Context> _byScope = new(ScopeComparer.Instance);

        public static Context Of(CallSite site, LinkIndex index)
        {
            var contexts = LinkMemo<Contexts>.Get(index, static _ => new Contexts());
            Definition? innermost = null;
            for (int i = site.Scopes.Length - 1; i >= 0; i--)
            {
                if (IsLookupScope(site.Scopes[i]))
                {
                    innermost = site.Scopes[i];
                    break;
                }
            }
            var key = (site.Module, innermost);
            if (!contexts._byScope.TryGetValue(key, out var context))
            {
                context = new Context(site, index);
                contexts._byScope.TryAdd(key, context);
            }
            // The same scope object reached through other enclosing scopes (not the case in a parsed module): its own context.
            return context.SeesSameScopes(site.Scopes) ? context : new Context(site, index);
        }

        /// <summary>Compares by reference: one entry per scope object of a module object.</summary>
        private sealed class ScopeComparer : IEqualityComparer<(ModuleInfo Module, Definition? Scope)>
        {
            public static readonly ScopeComparer Instance = new();

            public bool Equals((ModuleInfo Module, Definition? Scope) x, (ModuleInfo Module, Definition? Scope) y) =>
                ReferenceEquals(x.Module, y.Module) && ReferenceEquals(x.Scope, y.Scope);

            public int GetHashCode((ModuleInfo Module, Definition? Scope) obj) =>
                HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Module), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Scope));
        }
    }

    /// <summary>Types and namespaces: the scopes a call's lookup depends on.</summary>
    private static bool IsLookupScope(Definition scope) => scope.Kind == DefinitionKinds.Namespace || IsType(scope.Kind);

    /// <summary>What a call site sees: enclosing types (innermost first), scope prefixes, usings.</summary>
    private sealed class Context
    {
        public Context(CallSite site, LinkIndex index)
        {
            Index = index;
            LookupScopes = [.. site.Scopes.Where(IsLookupScope)];
            EnclosingTypes = [.. site.Scopes.Where(s => IsType(s.Kind)).Reverse()];
            var scopes = new List<string>();
            foreach (var scope in site.Scopes.Reverse())
            {
                if (scope.Kind == DefinitionKinds.Namespace || IsType(scope.Kind))
                {
                    // Every prefix of a dotted namespace is a lookup scope too (namespace A.B sees A's types).
                    var qualified = scope.QualifiedName;
                    while (true)
                    {
                        if (!scopes.Contains(qualified))
                        {
                            scopes.Add(qualified);
                        }
                        int dot = qualified.LastIndexOf('.');
                        if (dot < 0)
                        {
                            break;
                        }
                        qualified = qualified[..dot];
                    }
                }
            }
            scopes.Add("");
            ScopeNames = scopes;
            foreach (var import in site.Module.Imports)
            {
                var target = CalleeText.StripGenerics(import.Module);
                if (target.StartsWith("global::", StringComparison.Ordinal))
                {
                    target = target["global::".Length..];
                }
                switch (import.Kind)
                {
                    case "using":
                        UsingNamespaces.Add(target);
                        break;
                    case "using_alias" when import.Alias is { } alias:
                        Aliases.TryAdd(alias, target);
                        break;
                    case "using_static":
                        var types = Types(target, index);
                        if (types.Count > 0)
                        {
                            StaticTypes.Add(types);
                        }
                        break;
                }
            }
        }

        public LinkIndex Index { get; }

        /// <summary>The enclosing types and namespaces this context was made for, outermost first.</summary>
        public Definition[] LookupScopes { get; }

        /// <summary>The target found for each callee text in this context (null: unresolved).</summary>
        public Dictionary<string, string?> Resolved { get; } = new(StringComparer.Ordinal);

        /// <summary>True when <paramref name="scopes"/> hold the same types and namespaces (by reference) as this context's.</summary>
        public bool SeesSameScopes(ImmutableArray<Definition> scopes)
        {
            int at = 0;
            foreach (var scope in scopes)
            {
                if (!IsLookupScope(scope))
                {
                    continue;
                }
                if (at >= LookupScopes.Length || !ReferenceEquals(LookupScopes[at], scope))
                {
                    return false;
                }
                at++;
            }
            return at == LookupScopes.Length;
        }

        public List<Definition> EnclosingTypes { get; }

        public List<string> ScopeNames { get; }

        public List<string> UsingNamespaces { get; } = [];

        public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);

        public List<List<Definition>> StaticTypes { get; } = [];

        /// <summary>What <see cref="FindTypes"/> found for each name in this context.</summary>
        public Dictionary<string, List<Definition>> Types { get; } = new(StringComparer.Ordinal);
    }
}
