// The linkers as they were before the linking hot path was reworked (commit d0e8d23): a reference that the
// optimized linkers must agree with byte for byte (LinkerEquivalenceProperties). Kept as written then; not
// used outside the tests.
using System.Text.Json;
using LlmStruct.Model;

using LlmStruct.Linking;

namespace LlmStruct.Core.Tests.Linking.Reference;

/// <summary>
/// JavaScript: relative specifiers with extension and <c>index</c> probing, folders with a <c>package.json</c>
/// (<c>exports</c> "." then <c>main</c>), workspace packages by name; calls through <c>this</c>, module names,
/// named/default/namespace imports, <c>require</c> bindings and re-exports.
/// </summary>
internal sealed class ReferenceJavaScriptLinker : ReferenceScriptLinker
{
    public const string LanguageId = "javascript";
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

    protected override IEnumerable<string> ExportAliases(string name) => ["exports." + name, "module.exports." + name];

    protected override RefSymbol? ResolveBinding(ModuleInfo module, string name, LinkIndex index, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        for (int i = module.Imports.Length - 1; i >= 0; i--)
        {
            var import = module.Imports[i];
            var origin = import.Resolved ?? ResolveSpecifier(module.Path, import.Module, index);
            if (import.Alias == name)
            {
                return origin is null ? null : new RefSymbol(null, origin, null);
            }
            foreach (var imported in import.Names)
            {
                if ((imported.Alias ?? imported.Name) != name || (imported.Name == "*" && imported.Alias is null))
                {
                    continue;
                }
                if (origin is null)
                {
                    return null;
                }
                return imported.Name switch
                {
                    "*" => new RefSymbol(null, origin, null),
                    "default" => DefaultExport(origin, index, depth + 1),
                    _ => ResolveInModule(origin, null, imported.Name, index, depth + 1),
                };
            }
        }
        return null;
    }

    private RefSymbol? DefaultExport(string path, LinkIndex index, int depth)
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
            return RefSymbol.Of(marked[0]);
        }
        var candidates = module.Definitions.Where(d => d.Kind is not (DefinitionKinds.Field or DefinitionKinds.Property)).ToList();
        return candidates.Count == 1 ? RefSymbol.Of(candidates[0]) : new RefSymbol(null, path, null);
    }

    /// <summary>Maps a specifier to a project module path, or null (external packages, built-ins).</summary>
    internal static string? ResolveSpecifier(string importerPath, string specifier, LinkIndex index)
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
        // A bare specifier: a workspace package of this project, by its package.json name.
        var segments = clean.Split('/');
        int nameLength = clean.StartsWith('@') && segments.Length > 1 ? 2 : 1;
        var packageName = string.Join('/', segments[..nameLength]);
        var packages = ReferenceLinkMemo<Dictionary<string, string>>.Get(index, BuildPackageNames);
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
            && LinkPaths.Combine(target, entry) is { } main && main != target && ResolveTarget(main, index, depth + 1) is { } resolved)
        {
            return resolved;
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

    private static bool IsJs(LinkIndex index, string path) => index.LanguageOf(path) == LanguageId;

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
