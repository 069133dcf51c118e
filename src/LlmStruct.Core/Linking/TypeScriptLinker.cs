using System.Text.Json;

namespace LlmStruct.Linking;

/// <summary>TypeScript modules: the JavaScript linker's rules (the two languages import each other).</summary>
internal sealed class TypeScriptLinker : JavaScriptLinker
{
    public override string Language => TypeScriptLanguageId;
}

/// <summary>
/// <c>compilerOptions.baseUrl</c> and <c>paths</c> of the <c>tsconfig.json</c> files in <see cref="LinkOptions.TypeScriptConfigs"/>:
/// the nearest one above an importing module maps its bare specifiers (patterns with one <c>*</c>, the longest
/// matching prefix first, as tsc does), then <c>baseUrl</c> + specifier. <c>extends</c> is not followed.
/// </summary>
internal sealed class TsConfigPaths
{
    private readonly Dictionary<string, Config?> _byFolder = new(StringComparer.Ordinal);

    private sealed record Config(string Folder, string? BaseUrl, List<(string Pattern, List<string> Targets)> Paths);

    /// <summary>Project-relative paths to try for <paramref name="specifier"/> (without extensions), or null when no tsconfig maps it.</summary>
    public static List<string>? Candidates(string importerPath, string specifier, LinkIndex index)
    {
        if (index.Options.TypeScriptConfigs.Count == 0)
        {
            return null;
        }
        var memo = LinkMemo<TsConfigPaths>.Get(index, _ => new TsConfigPaths());
        Config? config;
        lock (memo._byFolder)
        {
            config = memo.Nearest(LinkPaths.Directory(importerPath), index);
        }
        if (config is null)
        {
            return null;
        }
        var root = config.BaseUrl is { } baseUrl ? LinkPaths.Combine(config.Folder, baseUrl) ?? config.Folder : config.Folder;
        var candidates = new List<string>();
        var matched = config.Paths
            .Where(p => Matches(p.Pattern, specifier))
            .OrderByDescending(p => p.Pattern.IndexOf('*') is var star && star < 0 ? p.Pattern.Length : star)
            .FirstOrDefault();
        if (matched.Pattern is not null)
        {
            string captured = matched.Pattern.IndexOf('*') is var star && star >= 0
                ? specifier[star..(specifier.Length - (matched.Pattern.Length - star - 1))]
                : "";
            foreach (var target in matched.Targets)
            {
                if (LinkPaths.Combine(root, target.Replace("*", captured, StringComparison.Ordinal)) is { } path)
                {
                    candidates.Add(StripExtension(path));
                }
            }
        }
        if (config.BaseUrl is not null && LinkPaths.Combine(root, specifier) is { } direct)
        {
            candidates.Add(direct);
        }
        return candidates.Count == 0 ? null : candidates;
    }

    private static bool Matches(string pattern, string specifier)
    {
        int star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern == specifier;
        }
        string prefix = pattern[..star], suffix = pattern[(star + 1)..];
        return specifier.Length >= prefix.Length + suffix.Length
            && specifier.StartsWith(prefix, StringComparison.Ordinal) && specifier.EndsWith(suffix, StringComparison.Ordinal);
    }

    /// <summary><c>./src/x.ts</c> targets name a file; the linker probes extensions itself.</summary>
    private static string StripExtension(string path)
    {
        foreach (var extension in (string[])[".d.ts", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"])
        {
            if (path.EndsWith(extension, StringComparison.Ordinal))
            {
                return path[..^extension.Length];
            }
        }
        return path;
    }

    private Config? Nearest(string folder, LinkIndex index)
    {
        if (_byFolder.TryGetValue(folder, out var known))
        {
            return known;
        }
        // A tsconfig.json without baseUrl/paths (often one that `extends` a parent's) defers to the next one up.
        Config? found = (index.Options.TypeScriptConfigs.TryGetValue(folder, out var json) ? Parse(folder, json) : null)
            ?? (folder.Length == 0 ? null : Nearest(LinkPaths.Directory(folder), index));
        _byFolder[folder] = found;
        return found;
    }

    private static Config? Parse(string folder, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("compilerOptions", out var options) || options.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            string? baseUrl = options.TryGetProperty("baseUrl", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
            var paths = new List<(string, List<string>)>();
            if (options.TryGetProperty("paths", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in p.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.Array)
                    {
                        paths.Add((entry.Name, [.. entry.Value.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)]));
                    }
                }
            }
            return baseUrl is null && paths.Count == 0 ? null : new Config(folder, baseUrl, paths);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
