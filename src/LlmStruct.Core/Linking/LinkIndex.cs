using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>
/// Read-only lookups over a document's modules and definitions, built once per link. Every list it returns is
/// ordered by ordinal id or path, so a linker that takes "the first" is deterministic.
/// </summary>
public sealed class LinkIndex
{
    private readonly Dictionary<string, ModuleInfo> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, List<Definition>>> _byModuleAndName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Language, string QualifiedName), List<Definition>> _byLanguageAndName = [];
    private readonly Dictionary<string, Definition> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parentOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    /// <summary>Indexes the modules of a document.</summary>
    public LinkIndex(IEnumerable<ModuleInfo> modules, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Options = options ?? new LinkOptions();
        foreach (var module in modules.OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            _modules[module.Path] = module;
            var dir = LinkPaths.Directory(module.Path);
            while (_directories.Add(dir) && dir.Length > 0)
            {
                dir = LinkPaths.Directory(dir);
            }
            var names = new Dictionary<string, List<Definition>>(StringComparer.Ordinal);
            _byModuleAndName[module.Path] = names;
            Walk(module, module.Definitions, null, names);
        }
        foreach (var list in _byModuleAndName.Values.SelectMany(d => d.Values).Concat(_byLanguageAndName.Values))
        {
            list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        }
        Modules = [.. _modules.Values];
    }

    // Shares every lookup of `source` except the modules themselves (used after import resolution, which changes
    // only ModuleInfo.Imports: definitions, paths and names stay the same objects).
    private LinkIndex(LinkIndex source, ModuleInfo[] modules)
    {
        Options = source.Options;
        _byModuleAndName = source._byModuleAndName;
        _byLanguageAndName = source._byLanguageAndName;
        _byId = source._byId;
        _parentOf = source._parentOf;
        _directories = source._directories;
        foreach (var module in modules)
        {
            _modules[module.Path] = module;
        }
        Modules = [.. _modules.Values.OrderBy(m => m.Path, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The same index over <paramref name="modules"/>, which must be the indexed modules with only their imports
    /// changed (same paths and definitions); cheaper than indexing again.
    /// </summary>
    internal LinkIndex WithImportsOf(ModuleInfo[] modules) => new(this, modules);

    /// <summary>The options the link runs with.</summary>
    public LinkOptions Options { get; }

    /// <summary>Every module, ordered by path.</summary>
    public ImmutableArray<ModuleInfo> Modules { get; }

    /// <summary>The module at a relative path, or null.</summary>
    public ModuleInfo? GetModule(string path) => _modules.GetValueOrDefault(path);

    /// <summary>True when some module lies in <paramref name="directory"/> or below it ("" is the root).</summary>
    public bool DirectoryExists(string directory) => _directories.Contains(directory);

    /// <summary>A definition by id, or null.</summary>
    public Definition? GetDefinition(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The id of the definition enclosing <paramref name="id"/>, or null for a top-level one.</summary>
    public string? GetParentId(string id) => _parentOf.GetValueOrDefault(id);

    /// <summary>Definitions of one module with this qualified name (overloads, partial parts), by id.</summary>
    public IReadOnlyList<Definition> Find(string modulePath, string qualifiedName) =>
        _byModuleAndName.TryGetValue(modulePath, out var names) && names.TryGetValue(qualifiedName, out var list) ? list : [];

    /// <summary>Definitions of any module of one language with this qualified name, by id.</summary>
    public IReadOnlyList<Definition> FindInLanguage(string language, string qualifiedName) =>
        _byLanguageAndName.TryGetValue((language, qualifiedName), out var list) ? list : [];

    private void Walk(ModuleInfo module, ImmutableArray<Definition> definitions, string? parent, Dictionary<string, List<Definition>> names)
    {
        if (definitions.IsDefaultOrEmpty)
        {
            return;
        }
        foreach (var definition in definitions)
        {
            _byId.TryAdd(definition.Id, definition);
            if (parent is not null)
            {
                _parentOf.TryAdd(definition.Id, parent);
            }
            Add(names, definition.QualifiedName, definition);
            var key = (module.Language, definition.QualifiedName);
            if (!_byLanguageAndName.TryGetValue(key, out var list))
            {
                _byLanguageAndName[key] = list = [];
            }
            list.Add(definition);
            Walk(module, definition.Children, definition.Id, names);
        }
    }

    private static void Add(Dictionary<string, List<Definition>> names, string key, Definition definition)
    {
        if (!names.TryGetValue(key, out var list))
        {
            names[key] = list = [];
        }
        list.Add(definition);
    }
}
