using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>
/// Python: absolute imports against the project's search roots (the importing script's folder when it is not a
/// package, the root, and every folder that holds a top-level package, e.g. <c>src/</c>), relative imports by
/// level, packages (<c>__init__.py</c>) and namespace packages; calls through <c>self</c>/<c>cls</c>, enclosing
/// functions, module names, imported names (followed through package re-exports) and module attributes.
/// </summary>
internal sealed class PythonLinker : ScriptLinker
{
    public const string LanguageId = "python";
    private static readonly HashSet<string> Self = new(StringComparer.Ordinal) { "self", "cls" };

    public override string Language => LanguageId;

    protected override IReadOnlySet<string> SelfNames => Self;

    public override string? ResolveImport(ModuleInfo module, ImportInfo import, LinkIndex index)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(import);
        var target = ResolveModule(module.Path, import.Module, import.Level, index);
        // `from . import typing as ft`: a name that is a submodule of the package means the submodule, not __init__.py.
        if (import.Kind == "from" && target?.ModulePath is { } package && target?.PackageDir is { } packageDir)
        {
            foreach (var name in import.Names)
            {
                if (name.Name != "*" && ResolveSubmodule(packageDir, name.Name, index)?.ModulePath is { } submodule && submodule != package)
                {
                    return submodule;
                }
            }
        }
        if (target?.ModulePath is { } path)
        {
            return path;
        }
        if (import.Kind == "from" && target?.PackageDir is { } dir)
        {
            foreach (var name in import.Names)
            {
                if (name.Name != "*" && ResolveSubmodule(dir, name.Name, index)?.ModulePath is { } sub)
                {
                    return sub;
                }
            }
        }
        return null;
    }

    private const int FromBinding = 0, ModuleBinding = 1;

    // Later imports win, and within a from-import the first matching name: the same order a scan of the imports
    // from the last would find them in. What each binding's module resolves to is worked out here, once.
    protected override Bindings BuildBindings(LinkIndex.ModuleEntry entry, LinkIndex index)
    {
        var module = entry.Module;
        var byName = new Dictionary<string, Binding>(BindingCount(module), StringComparer.Ordinal);
        for (int i = module.Imports.Length - 1; i >= 0; i--)
        {
            var import = module.Imports[i];
            if (import.Kind == "from")
            {
                Symbol? origin = null;
                bool resolved = false;
                foreach (var imported in import.Names)
                {
                    if (imported.Name == "*" || byName.ContainsKey(imported.Alias ?? imported.Name))
                    {
                        continue;
                    }
                    if (!resolved)
                    {
                        origin = ResolveModule(module.Path, import.Module, import.Level, index);
                        resolved = true;
                    }
                    byName[imported.Alias ?? imported.Name] = new Binding(FromBinding, origin, null, imported.Name);
                }
            }
            else if (import.Kind == "import" && import.Module.Length > 0)
            {
                if (import.Alias is { } alias)
                {
                    if (!byName.ContainsKey(alias))
                    {
                        byName[alias] = new Binding(ModuleBinding, ResolveModule(module.Path, import.Module, import.Level, index), null, null);
                    }
                }
                else if (FirstSegment(import.Module) is var first && !byName.ContainsKey(first))
                {
                    byName[first] = new Binding(ModuleBinding, ResolveModule(module.Path, first, 0, index), null, null);
                }
            }
        }
        return new Bindings(byName, StarOriginsOf(module));
    }

    protected override Symbol? ResolveBound(Binding binding, LinkIndex index, int depth)
    {
        if (binding.Kind == ModuleBinding)
        {
            return binding.Origin;
        }
        return binding.Origin is { } o ? ResolveInModule(o.ModulePath, o.PackageDir, binding.ImportedName!, index, depth + 1) : null;
    }

    protected override Symbol? ResolveSubmodule(string packageDir, string name, LinkIndex index) => ModuleAt(packageDir, name, index);

    /// <summary>Maps <c>a.b</c> (with <paramref name="level"/> leading dots) to a module file and/or package folder.</summary>
    internal static Symbol? ResolveModule(string importerPath, string module, int level, LinkIndex index)
    {
        if (level > 0)
        {
            var dir = LinkPaths.Directory(importerPath);
            for (int i = 1; i < level; i++)
            {
                if (dir.Length == 0)
                {
                    return null;
                }
                dir = LinkPaths.Directory(dir);
            }
            return ModuleAt(dir, module, index);
        }
        if (module.Length == 0)
        {
            return null;
        }
        foreach (var root in SearchRoots(importerPath, index))
        {
            if (ModuleAt(root, module, index) is { } found && (found.ModulePath is not null || root.Length > 0 || IsPython(found.PackageDir!, index)))
            {
                return found;
            }
        }
        return null;
    }

    // What a dotted module names under a folder depends only on the index: worked out once per (folder, module)
    // for the whole link (absolute imports try every search root, and the same imports recur in thousands of files).
    private static Symbol? ModuleAt(string baseDir, string module, LinkIndex index)
    {
        var memo = LinkMemo<System.Collections.Concurrent.ConcurrentDictionary<(string, string), Symbol?>>.Get(index, static _ => new());
        if (memo.TryGetValue((baseDir, module), out var known))
        {
            return known;
        }
        var found = ModuleAtCore(baseDir, module, index);
        memo.TryAdd((baseDir, module), found);
        return found;
    }

    // The module or package a dotted name names under a folder. The folder path is spelled on the stack (normalized
    // with LinkPaths.Combine only when a segment is '.', '..' or empty) and the candidates are looked up by
    // characters: only the index's own strings are returned.
    private static Symbol? ModuleAtCore(string baseDir, string module, LinkIndex index)
    {
        string? normalized = null;
        if (!IsPlainDotted(module) || !IsPlainPath(baseDir))
        {
            var relative = module.Replace('.', '/');
            normalized = relative.Length == 0 ? baseDir : LinkPaths.Combine(baseDir, relative);
            if (normalized is null)
            {
                return null;
            }
        }
        int targetLength = normalized?.Length
            ?? (baseDir.Length == 0 ? module.Length : module.Length == 0 ? baseDir.Length : baseDir.Length + 1 + module.Length);
        int length = targetLength + "/__init__.pyi".Length;
        char[]? rented = null;
        Span<char> buffer = length <= 512 ? stackalloc char[512] : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(length));
        try
        {
            if (normalized is not null)
            {
                normalized.CopyTo(buffer);
            }
            else
            {
                baseDir.CopyTo(buffer);
                int at = baseDir.Length;
                if (baseDir.Length > 0 && module.Length > 0)
                {
                    buffer[at++] = '/';
                }
                module.CopyTo(buffer[at..]);
                buffer.Slice(at, module.Length).Replace('.', '/');
            }
            var target = buffer[..targetLength];
            string? init = Existing(index, buffer, targetLength, targetLength == 0 ? "__init__.py" : "/__init__.py");
            if (module.Length > 0 && Existing(index, buffer, targetLength, ".py") is { } file)
            {
                return new Symbol(null, file, init is null ? null : index.Folder(target));
            }
            if (init is not null)
            {
                return new Symbol(null, init, index.Folder(target));
            }
            return index.Folder(target) is { } folder && IsPython(folder, index) ? new Symbol(null, null, folder) : null;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // The module at buffer[..length] + suffix, else at buffer[..length] + suffix + "i" (a stub), as the index's string.
    private static string? Existing(LinkIndex index, Span<char> buffer, int length, string suffix)
    {
        suffix.CopyTo(buffer[length..]);
        buffer[length + suffix.Length] = 'i';
        return index.ModulePath(buffer[..(length + suffix.Length)], LanguageId) ?? index.ModulePath(buffer[..(length + suffix.Length + 1)], LanguageId);
    }

    private static bool IsPlainDotted(string module) =>
        module.Length == 0 || (module[0] != '.' && module[^1] != '.' && !module.Contains("..", StringComparison.Ordinal) && module.IndexOfAny(['/', '\\']) < 0);

    private static bool IsPlainPath(string directory)
    {
        if (directory.Length == 0)
        {
            return true;
        }
        if (directory[0] == '/' || directory[^1] == '/' || directory.Contains("//", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var range in directory.AsSpan().Split('/'))
        {
            if (directory.AsSpan()[range] is "." or "..")
            {
                return false;
            }
        }
        return true;
    }


    private static bool IsPython(string dir, LinkIndex index) => LinkMemo<Roots>.Get(index, BuildRoots).PythonDirs.Contains(dir);

    private static List<string> SearchRoots(string importerPath, LinkIndex index)
    {
        var dir = LinkPaths.Directory(importerPath);
        var roots = LinkMemo<Roots>.Get(index, BuildRoots);
        // The list depends only on the importer's folder: made once per folder.
        return roots.SearchRootsByFolder.GetOrAdd(dir, static (dir, state) =>
        {
            var (roots, index) = state;
            var list = new List<string>();
            if (dir.Length > 0 && index.LanguageOf(dir + "/__init__.py") is null)
            {
                list.Add(dir);
            }
            list.Add("");
            foreach (var root in roots.PackageRoots)
            {
                if (root != dir)
                {
                    list.Add(root);
                }
            }
            return list;
        }, (roots, index));
    }

    private static string FirstSegment(string module)
    {
        int dot = module.IndexOf('.');
        return dot < 0 ? module : module[..dot];
    }

    /// <summary>Folders that hold a top-level package (a package whose parent is not one), e.g. <c>src</c>; and folders with Python files.</summary>
    private sealed record Roots(List<string> PackageRoots, HashSet<string> PythonDirs)
    {
        /// <summary>The search roots of an importer in each folder, made on first use.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, List<string>> SearchRootsByFolder { get; } = new(StringComparer.Ordinal);
    }

    private static Roots BuildRoots(LinkIndex index)
    {
        var roots = new SortedSet<string>(StringComparer.Ordinal);
        var pythonDirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, language) in index.ModulePaths)
        {
            if (language != LanguageId)
            {
                continue;
            }
            var dir = LinkPaths.Directory(path);
            for (var d = dir; pythonDirs.Add(d) && d.Length > 0; d = LinkPaths.Directory(d))
            {
            }
            if (LinkPaths.FileName(path) is "__init__.py" && dir.Length > 0)
            {
                var parent = LinkPaths.Directory(dir);
                if (parent.Length > 0 && index.LanguageOf(parent + "/__init__.py") is null)
                {
                    roots.Add(parent);
                }
            }
        }
        return new Roots([.. roots], pythonDirs);
    }
}
