// The linkers as they were before the linking hot path was reworked (commit d0e8d23): a reference that the
// optimized linkers must agree with byte for byte (LinkerEquivalenceProperties). Kept as written then; not
// used outside the tests.
using LlmStruct.Model;

using LlmStruct.Linking;

namespace LlmStruct.Core.Tests.Linking.Reference;

/// <summary>
/// Python: absolute imports against the project's search roots (the importing script's folder when it is not a
/// package, the root, and every folder that holds a top-level package, e.g. <c>src/</c>), relative imports by
/// level, packages (<c>__init__.py</c>) and namespace packages; calls through <c>self</c>/<c>cls</c>, enclosing
/// functions, module names, imported names (followed through package re-exports) and module attributes.
/// </summary>
internal sealed class ReferencePythonLinker : ReferenceScriptLinker
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
        // Mirrors the linker: a from-import naming a submodule of the package resolves to the submodule.
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

    protected override RefSymbol? ResolveBinding(ModuleInfo module, string name, LinkIndex index, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        for (int i = module.Imports.Length - 1; i >= 0; i--)
        {
            var import = module.Imports[i];
            if (import.Kind == "from")
            {
                foreach (var imported in import.Names)
                {
                    if (imported.Name != "*" && (imported.Alias ?? imported.Name) == name)
                    {
                        var origin = ResolveModule(module.Path, import.Module, import.Level, index);
                        return origin is { } o ? ResolveInModule(o.ModulePath, o.PackageDir, imported.Name, index, depth + 1) : null;
                    }
                }
            }
            else if (import.Kind == "import" && import.Module.Length > 0)
            {
                if (import.Alias == name)
                {
                    return ResolveModule(module.Path, import.Module, import.Level, index);
                }
                if (import.Alias is null && FirstSegment(import.Module) == name)
                {
                    return ResolveModule(module.Path, name, 0, index);
                }
            }
        }
        return null;
    }

    protected override RefSymbol? ResolveSubmodule(string packageDir, string name, LinkIndex index) => ModuleAt(packageDir, name, index);

    /// <summary>Maps <c>a.b</c> (with <paramref name="level"/> leading dots) to a module file and/or package folder.</summary>
    internal static RefSymbol? ResolveModule(string importerPath, string module, int level, LinkIndex index)
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

    private static RefSymbol? ModuleAt(string baseDir, string module, LinkIndex index)
    {
        var relative = module.Replace('.', '/');
        var target = relative.Length == 0 ? baseDir : LinkPaths.Combine(baseDir, relative);
        if (target is null)
        {
            return null;
        }
        var prefix = target.Length == 0 ? "" : target + "/";
        string? init = Existing(index, prefix + "__init__.py", prefix + "__init__.pyi");
        if (relative.Length > 0 && Existing(index, target + ".py", target + ".pyi") is { } file)
        {
            return new RefSymbol(null, file, init is null ? null : target);
        }
        if (init is not null)
        {
            return new RefSymbol(null, init, target);
        }
        return index.DirectoryExists(target) && IsPython(target, index) ? new RefSymbol(null, null, target) : null;
    }

    private static string? Existing(LinkIndex index, string first, string second) =>
        index.LanguageOf(first) == LanguageId ? first : index.LanguageOf(second) == LanguageId ? second : null;

    private static bool IsPython(string dir, LinkIndex index) => ReferenceLinkMemo<Roots>.Get(index, BuildRoots).PythonDirs.Contains(dir);

    private static IEnumerable<string> SearchRoots(string importerPath, LinkIndex index)
    {
        var dir = LinkPaths.Directory(importerPath);
        if (dir.Length > 0 && index.LanguageOf(dir + "/__init__.py") is null)
        {
            yield return dir;
        }
        yield return "";
        foreach (var root in ReferenceLinkMemo<Roots>.Get(index, BuildRoots).PackageRoots)
        {
            if (root != dir)
            {
                yield return root;
            }
        }
    }

    private static string FirstSegment(string module)
    {
        int dot = module.IndexOf('.');
        return dot < 0 ? module : module[..dot];
    }

    /// <summary>Folders that hold a top-level package (a package whose parent is not one), e.g. <c>src</c>; and folders with Python files.</summary>
    private sealed record Roots(List<string> PackageRoots, HashSet<string> PythonDirs);

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
