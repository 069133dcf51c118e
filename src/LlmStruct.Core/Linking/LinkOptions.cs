using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>Inputs of <see cref="StructLinker.Link(LlmStruct.Model.StructDocument, LinkOptions?)"/> beyond the document itself.</summary>
public sealed record LinkOptions
{
    /// <summary>The default number of entries in <see cref="ContextInfo.Files"/>.</summary>
    public const int DefaultContextFileCount = 10;

    /// <summary>
    /// Contents of <c>package.json</c> files, keyed by their folder relative to the root ("" for the root, '/'
    /// separators). Used to resolve JavaScript directory imports (<c>main</c>/<c>exports</c>), workspace package
    /// names, and entry points (<c>main</c>, <c>bin</c>).
    /// </summary>
    public ImmutableSortedDictionary<string, string> PackageManifests { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Contents of <c>tsconfig.json</c> files, keyed by their folder relative to the root ("" for the root). Their
    /// <c>compilerOptions.baseUrl</c> and <c>paths</c> resolve bare specifiers of the modules below them.
    /// </summary>
    public ImmutableSortedDictionary<string, string> TypeScriptConfigs { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>How many key files <see cref="ContextInfo.Files"/> lists at most.</summary>
    public int ContextFileCount { get; init; } = DefaultContextFileCount;

    /// <summary>
    /// Reads the <c>package.json</c> files beside the document's JavaScript modules and in their parent folders
    /// up to <paramref name="root"/>. Unreadable files are left out. The only I/O the linking stage does.
    /// </summary>
    public static LinkOptions FromRoot(string root, StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return FromRoot(root, document.Modules.Where(m => JavaScriptLinker.IsScriptLanguage(m.Language)).Select(m => m.Path));
    }

    /// <summary>Like <see cref="FromRoot(string, StructDocument)"/>, given the relative paths of the JavaScript modules.</summary>
    public static LinkOptions FromRoot(string root, IEnumerable<string> javascriptModulePaths)
    {
        ArgumentNullException.ThrowIfNull(javascriptModulePaths);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in javascriptModulePaths)
        {
            var dir = LinkPaths.Directory(path);
            while (folders.Add(dir) && dir.Length > 0)
            {
                dir = LinkPaths.Directory(dir);
            }
        }
        return new LinkOptions { PackageManifests = ReadAll(root, folders, "package.json"), TypeScriptConfigs = ReadAll(root, folders, "tsconfig.json") };
    }

    private static ImmutableSortedDictionary<string, string> ReadAll(string root, IEnumerable<string> folders, string name)
    {
        var files = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var file = Path.Combine(root, folder, name);
            try
            {
                if (File.Exists(file))
                {
                    files[folder] = File.ReadAllText(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file that cannot be read only makes some imports unresolved.
            }
        }
        return files.ToImmutable();
    }
}
