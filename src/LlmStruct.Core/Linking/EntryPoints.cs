using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>An entry point and how it was recognised.</summary>
internal readonly record struct EntryPoint(string Path, string Why);

/// <summary>
/// Entry points recognised from the model: Python <c>__main__.py</c> and script-named modules defining <c>main()</c>;
/// C# <c>Program.cs</c> and types with a static <c>Main</c>; JavaScript <c>package.json</c> <c>main</c>/<c>bin</c>
/// (else a root <c>index</c>/<c>main</c>/<c>server</c>/<c>app</c> file). Ordered by path.
/// </summary>
internal static class EntryPoints
{
    private static readonly HashSet<string> PythonScripts = new(StringComparer.Ordinal) { "main.py", "cli.py", "manage.py", "app.py", "run.py", "server.py" };
    private static readonly HashSet<string> JsRootScripts = new(StringComparer.Ordinal) { "index.js", "main.js", "server.js", "app.js", "index.mjs", "main.mjs", "cli.js", "index.ts", "main.ts", "server.ts", "app.ts", "cli.ts" };

    public static List<EntryPoint> Find(StructDocument document, LinkIndex index)
    {
        var options = index.Options;
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var module in document.Modules)
        {
            var name = LinkPaths.FileName(module.Path);
            switch (module.Language)
            {
                case PythonLinker.LanguageId when name == "__main__.py":
                    found.TryAdd(module.Path, "__main__ module");
                    break;
                case PythonLinker.LanguageId when PythonScripts.Contains(name) && module.Definitions.Any(d => d.Name == "main" && d.Kind == DefinitionKinds.Function):
                    found.TryAdd(module.Path, "defines main()");
                    break;
                case CSharpLinker.LanguageId when name == "Program.cs":
                    found.TryAdd(module.Path, "Program.cs");
                    break;
                case CSharpLinker.LanguageId when HasStaticMain(module.Definitions):
                    found.TryAdd(module.Path, "static Main");
                    break;
            }
        }
        bool anyManifestEntry = false;
        foreach (var (dir, manifest) in options.PackageManifests)
        {
            foreach (var entry in JavaScriptLinker.ManifestInfo(manifest).Entries)
            {
                if (JavaScriptLinker.ResolveSpecifier(dir.Length == 0 ? "x" : dir + "/x", "./" + entry, index) is { } resolved)
                {
                    found.TryAdd(resolved, "package.json main/bin");
                    anyManifestEntry = true;
                }
            }
        }
        if (!anyManifestEntry)
        {
            foreach (var module in document.Modules)
            {
                if (JavaScriptLinker.IsScriptLanguage(module.Language) && !module.Path.Contains('/') && JsRootScripts.Contains(module.Path))
                {
                    found.TryAdd(module.Path, "root script");
                }
            }
        }
        return [.. found.Select(p => new EntryPoint(p.Key, p.Value))];
    }

    private static bool HasStaticMain(IEnumerable<Definition> definitions)
    {
        foreach (var definition in definitions)
        {
            if ((definition.Name == "Main" && definition.Static && definition.Kind == DefinitionKinds.Method) || HasStaticMain(definition.Children))
            {
                return true;
            }
        }
        return false;
    }
}
