using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Linking;

/// <summary>
/// Read-only lookups over a document's modules and definitions, built once per link. Every list it returns is
/// ordered by ordinal id or path, so a linker that takes "the first" is deterministic. An index either holds every
/// module from the start, or knows every module's path and language and loads a module's contents the first time a
/// lookup needs them (an incremental link touches only the modules a changed file's calls lead to).
/// </summary>
public sealed class LinkIndex
{
    private readonly Dictionary<string, ModuleInfo> _modules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _languages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, List<Definition>>> _byModuleAndName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Language, string QualifiedName), List<Definition>> _byLanguageAndName = [];
    private readonly Dictionary<string, Definition> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parentOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly Func<string, ModuleInfo>? _load;
    private readonly HashSet<string> _languagesLoaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ImmutableArray<ModuleInfo>? _all;

    /// <summary>Indexes the modules of a document.</summary>
    public LinkIndex(IEnumerable<ModuleInfo> modules, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Options = options ?? new LinkOptions();
        foreach (var module in modules.OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            _modules[module.Path] = module;
            _languages[module.Path] = module.Language;
            AddDirectories(module.Path);
            var names = new Dictionary<string, List<Definition>>(StringComparer.Ordinal);
            _byModuleAndName[module.Path] = names;
            Walk(module, module.Definitions, null, names);
        }
        foreach (var list in _byModuleAndName.Values.SelectMany(d => d.Values).Concat(_byLanguageAndName.Values))
        {
            list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        }
        _all = [.. _modules.Values];
        _languagesLoaded.UnionWith(_languages.Values);
    }

    /// <summary>
    /// An index over modules known by path and language whose contents <paramref name="load"/> supplies on first use
    /// (the loaded module must have that path and language). Answers are the same as those of an index built over
    /// all loaded modules at once. Such an index is for one thread at a time.
    /// </summary>
    internal LinkIndex(IEnumerable<(string Path, string Language)> modules, Func<string, ModuleInfo> load, LinkOptions options)
    {
        Options = options;
        _load = load;
        foreach (var (path, language) in modules)
        {
            _languages[path] = language;
            AddDirectories(path);
        }
    }

    // Shares every lookup of `source` except the modules themselves (used after import resolution, which changes
    // only ModuleInfo.Imports: definitions, paths and names stay the same objects).
    private LinkIndex(LinkIndex source, ModuleInfo[] modules)
    {
        Options = source.Options;
        _languages = source._languages;
        _byModuleAndName = source._byModuleAndName;
        _byLanguageAndName = source._byLanguageAndName;
        _byId = source._byId;
        _parentOf = source._parentOf;
        _directories = source._directories;
        _languagesLoaded = source._languagesLoaded;
        foreach (var module in modules)
        {
            _modules[module.Path] = module;
        }
        _all = [.. _modules.Values.OrderBy(m => m.Path, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The same index over <paramref name="modules"/>, which must be the indexed modules with only their imports
    /// changed (same paths and definitions); cheaper than indexing again.
    /// </summary>
    internal LinkIndex WithImportsOf(ModuleInfo[] modules) => new(this, modules);

    /// <summary>The options the link runs with.</summary>
    public LinkOptions Options { get; }

    /// <summary>Every module, ordered by path (an index that loads on demand loads them all).</summary>
    public ImmutableArray<ModuleInfo> Modules
    {
        get
        {
            if (_all is { } all)
            {
                return all;
            }
            var loaded = _languages.Keys.Order(StringComparer.Ordinal).Select(p => GetModule(p)!).ToImmutableArray();
            _all = loaded;
            return loaded;
        }
    }

    /// <summary>Path and language of every module, ordered by path; never loads a module.</summary>
    public IEnumerable<(string Path, string Language)> ModulePaths =>
        _languages.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));

    /// <summary>The language of the module at a relative path, or null when there is none; never loads a module.</summary>
    public string? LanguageOf(string path) => _languages.GetValueOrDefault(path);

    /// <summary>The module at a relative path, or null.</summary>
    public ModuleInfo? GetModule(string path) => _load is null ? _modules.GetValueOrDefault(path) : Load(path) ? _modules[path] : null;

    /// <summary>True when some module lies in <paramref name="directory"/> or below it ("" is the root).</summary>
    public bool DirectoryExists(string directory) => _directories.Contains(directory);

    /// <summary>A definition by id, or null.</summary>
    public Definition? GetDefinition(string id) => _load is null || Load(DefinitionIds.PathOf(id)) ? _byId.GetValueOrDefault(id) : null;

    /// <summary>The id of the definition enclosing <paramref name="id"/>, or null for a top-level one.</summary>
    public string? GetParentId(string id) => _load is null || Load(DefinitionIds.PathOf(id)) ? _parentOf.GetValueOrDefault(id) : null;

    /// <summary>Definitions of one module with this qualified name (overloads, partial parts), by id.</summary>
    public IReadOnlyList<Definition> Find(string modulePath, string qualifiedName) =>
        (_load is null || Load(modulePath)) && _byModuleAndName.TryGetValue(modulePath, out var names) && names.TryGetValue(qualifiedName, out var list) ? list : [];

    /// <summary>Definitions of any module of one language with this qualified name, by id.</summary>
    public IReadOnlyList<Definition> FindInLanguage(string language, string qualifiedName)
    {
        EnsureLanguage(language);
        return _byLanguageAndName.TryGetValue((language, qualifiedName), out var list) ? list : [];
    }

    // On-demand mode only (an index built over all modules never calls it, so its lookups cost what they did):
    // loads and indexes the module at `path` the first time; false when there is no such module.
    private bool Load(string path)
    {
        if (!_languages.ContainsKey(path))
        {
            return false;
        }
        lock (_gate)
        {
            if (!_modules.ContainsKey(path))
            {
                var module = _load!(path);
                _modules[path] = module;
                var names = new Dictionary<string, List<Definition>>(StringComparer.Ordinal);
                _byModuleAndName[path] = names;
                Walk(module, module.Definitions, null, names);
                foreach (var list in names.Values)
                {
                    list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
                }
                foreach (var key in names.Keys)
                {
                    _byLanguageAndName[(module.Language, key)].Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
                }
            }
            return true;
        }
    }

    private void EnsureLanguage(string language)
    {
        if (_load is null)
        {
            return;
        }
        lock (_gate)
        {
            if (!_languagesLoaded.Add(language))
            {
                return;
            }
        }
        foreach (var (path, moduleLanguage) in _languages)
        {
            if (moduleLanguage == language)
            {
                Load(path);
            }
        }
    }

    private void AddDirectories(string path)
    {
        var dir = LinkPaths.Directory(path);
        while (_directories.Add(dir) && dir.Length > 0)
        {
            dir = LinkPaths.Directory(dir);
        }
    }

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
