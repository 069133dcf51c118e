using System.Text.Json;
using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>
/// JavaScript: relative specifiers with extension and <c>index</c> probing, folders with a <c>package.json</c>
/// (<c>exports</c> "." then <c>main</c>), workspace packages by name, TypeScript <c>paths</c>/<c>baseUrl</c> from the
/// nearest <c>tsconfig.json</c>; calls through <c>this</c>, module names, named/default/namespace imports,
/// <c>require</c> bindings and re-exports. JavaScript and TypeScript modules import each other.
/// </summary>
internal class JavaScriptLinker : ScriptLinker
{
    public const string LanguageId = "javascript";

    /// <summary>The language id of TypeScript modules (linked by <see cref="TypeScriptLinker"/>, the same rules).</summary>
    public const string TypeScriptLanguageId = "typescript";

    /// <summary>True for the languages this family of linkers reads (JavaScript and TypeScript).</summary>
    public static bool IsScriptLanguage(string? language) => language is LanguageId or TypeScriptLanguageId;
    private static readonly HashSet<string> Self = new(StringComparer.Ordinal) { "this" };
    private static readonly string[] Extensions = [".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"];

    public override string Language => LanguageId;

    protected override IReadOnlySet<string> SelfNames => Self;

    public override string? ResolveImport(ModuleInfo module, ImportInfo import, LinkIndex index)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(import);
        return ResolveSpecifier(module.Path, import.Module, index);
    }

    protected override Definition? FindExportAlias(LinkIndex.ModuleEntry entry, string name) =>
        FirstJoined(entry, "exports", name) ?? FirstJoined(entry, "module.exports", name);

    protected override void AddExportAliasNames(LinkIndex.ModuleEntry entry, List<string> names)
    {
        foreach (var qualified in entry.Names.Keys)
        {
            foreach (var prefix in (string[])["exports.", "module.exports."])
            {
                if (qualified.StartsWith(prefix, StringComparison.Ordinal) && qualified.IndexOf('.', prefix.Length) < 0)
                {
                    names.Add(qualified[prefix.Length..]);
                }
            }
        }
    }

    private const int ModuleAlias = 0, NamedImport = 1;

    // Later imports win; within an import its module alias before its names, names in order: the order a scan of
    // the imports from the last would find them in. Each import's module is worked out here, once.
    protected override Bindings BuildBindings(LinkIndex.ModuleEntry entry, LinkIndex index)
    {
        var module = entry.Module;
        var byName = new Dictionary<string, Binding>(BindingCount(module), StringComparer.Ordinal);
        for (int i = module.Imports.Length - 1; i >= 0; i--)
        {
            var import = module.Imports[i];
            string? origin = null;
            bool resolved = false;
            string? Origin()
            {
                if (!resolved)
                {
                    origin = import.Resolved ?? ResolveSpecifier(module.Path, import.Module, index);
                    resolved = true;
                }
                return origin;
            }
            if (import.Alias is { } alias && !byName.ContainsKey(alias))
            {
                byName[alias] = new Binding(ModuleAlias, null, Origin(), null);
            }
            foreach (var imported in import.Names)
            {
                var local = imported.Alias ?? imported.Name;
                if ((imported.Name == "*" && imported.Alias is null) || byName.ContainsKey(local))
                {
                    continue;
                }
                byName[local] = new Binding(NamedImport, null, Origin(), imported.Name);
            }
        }
        return new Bindings(byName, StarOriginsOf(module));
    }

    protected override Symbol? ResolveBound(Binding binding, LinkIndex index, int depth)
    {
        if (binding.OriginPath is not { } origin)
        {
            return null;
        }
        if (binding.Kind == ModuleAlias)
        {
            return new Symbol(null, origin, null);
        }
        return binding.ImportedName switch
        {
            "*" => new Symbol(null, origin, null),
            "default" => DefaultExport(origin, index, depth + 1),
            _ => ResolveInModule(origin, null, binding.ImportedName!, index, depth + 1),
        };
    }

    private Symbol? DefaultExport(string path, LinkIndex index, int depth)
    {
        if (ResolveInModule(path, null, "default", index, depth) is { } named)
        {
            return named;
        }
        var module = index.GetModule(path);
        if (module is null)
        {
            return null;
        }
        var marked = module.Definitions.Where(d => d.Modifiers.Contains("default")).ToList();
        if (marked.Count == 1)
        {
            return Symbol.Of(marked[0]);
        }
        var candidates = module.Definitions.Where(d => d.Kind is not (DefinitionKinds.Field or DefinitionKinds.Property)).ToList();
        return candidates.Count == 1 ? Symbol.Of(candidates[0]) : new Symbol(null, path, null);
    }

    /// <summary>Maps a specifier to a project module path, or null (external packages, built-ins).</summary>
    internal static string? ResolveSpecifier(string importerPath, string specifier, LinkIndex index) =>
        ResolveSpecifierText(importerPath, specifier, index) is { } path ? index.Canonical(path) : null;

    private static string? ResolveSpecifierText(string importerPath, string specifier, LinkIndex index)
    {
        if (string.IsNullOrEmpty(specifier) || specifier.StartsWith("node:", StringComparison.Ordinal))
        {
            return null;
        }
        var clean = specifier.Split('?', '#')[0];
        if (clean.StartsWith("./", StringComparison.Ordinal) || clean.StartsWith("../", StringComparison.Ordinal) || clean is "." or "..")
        {
            var target = LinkPaths.Combine(LinkPaths.Directory(importerPath), clean);
            return target is null ? null : ResolveTarget(target, index, 0);
        }
        if (clean.StartsWith('/'))
        {
            return ResolveTarget(clean.TrimStart('/'), index, 0);
        }
        // A bare specifier: a tsconfig.json path mapping first (as tsc resolves), then a workspace package by name.
        if (TsConfigPaths.Candidates(importerPath, clean, index) is { } candidates)
        {
            foreach (var candidate in candidates)
            {
                if (ResolveTarget(candidate, index, 0) is { } mapped)
                {
                    return mapped;
                }
            }
        }
        var segments = clean.Split('/');
        int nameLength = clean.StartsWith('@') && segments.Length > 1 ? 2 : 1;
        var packageName = string.Join('/', segments[..nameLength]);
        var packages = LinkMemo<Dictionary<string, string>>.Get(index, BuildPackageNames);
        if (!packages.TryGetValue(packageName, out var dir))
        {
            return null;
        }
        var rest = string.Join('/', segments[nameLength..]);
        return rest.Length == 0 ? ResolveTarget(dir, index, 0) : (LinkPaths.Combine(dir, rest) is { } sub ? ResolveTarget(sub, index, 0) : null);
    }

    private static string? ResolveTarget(string target, LinkIndex index, int depth)
    {
        if (depth > 4)
        {
            return null;
        }
        if (IsJs(index, target))
        {
            return target;
        }
        foreach (var extension in Extensions)
        {
            if (IsJs(index, target + extension))
            {
                return target + extension;
            }
        }
        if (target.EndsWith(".js", StringComparison.Ordinal))
        {
            var stem = target[..^3];
            foreach (var extension in (string[])[".ts", ".tsx", ".jsx"])
            {
                if (IsJs(index, stem + extension))
                {
                    return stem + extension;
                }
            }
        }
        if (index.Options.PackageManifests.TryGetValue(target, out var manifest) && ManifestEntry(manifest) is { } entry
            && LinkPaths.Combine(target, entry) is { } main && main != target)
        {
            if (ResolveTarget(main, index, depth + 1) is { } resolved)
            {
                return resolved;
            }
            // The entry points at a build folder that is not in the source tree (dist/index.js): the sources are the
            // same path under src/, or at the package root.
            if (FromBuildFolder(target, entry) is { } source && ResolveTarget(source, index, depth + 1) is { } fromSource)
            {
                return fromSource;
            }
        }
        var prefix = target.Length == 0 ? "" : target + "/";
        foreach (var extension in Extensions)
        {
            if (IsJs(index, prefix + "index" + extension))
            {
                return prefix + "index" + extension;
            }
        }
        return null;
    }

    private static bool IsJs(LinkIndex index, string path) => IsScriptLanguage(index.LanguageOf(path));

    private static readonly string[] BuildFolders = ["dist", "build", "out", "lib", "esm", "cjs"];

    /// <summary>
    /// Where the sources of a built entry live: <c>dist/index.js</c> (or <c>dist/esm/index.mjs</c>) → <c>src/index</c>, and
    /// failing that the package folder's <c>src</c>; null when the entry is not in a build folder.
    /// </summary>
    private static string? FromBuildFolder(string packageDir, string entry)
    {
        var segments = entry.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        int built = 0;
        while (built < segments.Count - 1 && BuildFolders.Contains(segments[built]))
        {
            built++;
        }
        if (built == 0)
        {
            return null;
        }
        var file = string.Join('/', segments.Skip(built));
        foreach (var extension in (string[])[".d.ts", ".mjs", ".cjs", ".js"])
        {
            if (file.EndsWith(extension, StringComparison.Ordinal))
            {
                file = file[..^extension.Length];
                break;
            }
        }
        return LinkPaths.Combine(packageDir, "src/" + file);
    }

    /// <summary>The entry file a package.json names: <c>exports</c> (string, or "." with import/require/default), else <c>main</c>.</summary>
    internal static string? ManifestEntry(string manifest)
    {
        try
        {
            using var json = JsonDocument.Parse(manifest, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("exports", out var exports) && ExportTarget(exports, 0) is { } fromExports)
            {
                return fromExports;
            }
            return root.TryGetProperty("main", out var main) && main.ValueKind == JsonValueKind.String ? main.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The <c>name</c>, <c>main</c> and <c>bin</c> entries of a manifest (null parts when absent or malformed).</summary>
    internal static (string? Name, List<string> Entries) ManifestInfo(string manifest)
    {
        var entries = new List<string>();
        try
        {
            using var json = JsonDocument.Parse(manifest, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, entries);
            }
            if (ManifestEntry(manifest) is { } entry)
            {
                entries.Add(entry);
            }
            if (root.TryGetProperty("bin", out var bin))
            {
                if (bin.ValueKind == JsonValueKind.String)
                {
                    entries.Add(bin.GetString()!);
                }
                else if (bin.ValueKind == JsonValueKind.Object)
                {
                    entries.AddRange(bin.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!));
                }
            }
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return (name, entries);
        }
        catch (JsonException)
        {
            return (null, entries);
        }
    }

    private static string? ExportTarget(JsonElement element, int depth)
    {
        if (depth > 6)
        {
            return null;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(e => ExportTarget(e, depth + 1)).FirstOrDefault(t => t is not null);
            case JsonValueKind.Object:
                if (element.TryGetProperty(".", out var dot))
                {
                    return ExportTarget(dot, depth + 1);
                }
                foreach (var condition in (string[])["import", "require", "node", "default"])
                {
                    if (element.TryGetProperty(condition, out var value) && ExportTarget(value, depth + 1) is { } target)
                    {
                        return target;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static Dictionary<string, string> BuildPackageNames(LinkIndex index)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (dir, manifest) in index.Options.PackageManifests)
        {
            if (ManifestInfo(manifest).Name is { Length: > 0 } name)
            {
                names.TryAdd(name, dir);
            }
        }
        return names;
    }
}
