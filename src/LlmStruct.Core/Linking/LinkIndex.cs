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
    private readonly Dictionary<string, ModuleEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModuleEntry>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;
    private readonly Dictionary<string, string> _languages = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);

    // Document-wide tables, made on first use (Python and JavaScript linking never asks for them): definitions by
    // id when some module holds ids outside its own path (else each module's own table answers), parents by id,
    // and definitions by language and qualified name (C#'s global name lookup).
    private Dictionary<string, Definition>? _foreignById;
    private Dictionary<string, string>? _parentOf;
    private readonly Dictionary<string, Dictionary<string, List<Definition>>> _byLanguageAndName = new(StringComparer.Ordinal);
    private readonly Func<string, ModuleInfo>? _load;
    private readonly HashSet<string> _languagesLoaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ImmutableArray<ModuleInfo>? _all;

    /// <summary>Indexes the modules of a document.</summary>
    public LinkIndex(IEnumerable<ModuleInfo> modules, LinkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Options = options ?? new LinkOptions();
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        var sorted = modules.OrderBy(m => m.Path, StringComparer.Ordinal).ToArray();
        foreach (var module in sorted)
        {
            _languages[module.Path] = module.Language;
            AddDirectories(module.Path);
        }
        // Per-module name tables are independent of each other: built in parallel, merged in path order.
        var entries = new ModuleEntry[sorted.Length];
        Parallel.For(0, sorted.Length, i => entries[i] = ModuleEntry.Create(sorted[i]));
        bool foreign = false;
        foreach (var entry in entries)
        {
            if (_entries.TryAdd(entry.Module.Path, entry))
            {
                foreign |= entry.HasForeignIds;
            }
        }
        if (foreign)
        {
            _foreignById = AllById(entries);
        }
        _all = [.. _entries.Values.Select(e => e.Module)];
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
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
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
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        _languages = source._languages;
        _byLanguageAndName = source._byLanguageAndName;
        _foreignById = source._foreignById;
        _parentOf = source._parentOf;
        _directories = source._directories;
        _languagesLoaded = source._languagesLoaded;
        foreach (var module in modules)
        {
            _entries[module.Path] = source._entries.TryGetValue(module.Path, out var old) ? old.With(module) : ModuleEntry.Create(module);
        }
        _all = [.. _entries.Values.Select(e => e.Module).OrderBy(m => m.Path, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The same index over <paramref name="modules"/>, which must be the indexed modules with only their imports
    /// changed (same paths and definitions); cheaper than indexing again.
    /// </summary>
    internal LinkIndex WithImportsOf(ModuleInfo[] modules) => new(this, modules);

    /// <summary>True when some definition's id does not start with its module's path (then ids are looked up document-wide).</summary>
    internal bool HasForeignIds => _foreignById is not null;

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

    /// <summary>The index's own string for the module path spelled by <paramref name="path"/> when that module has this language, else null.</summary>
    internal string? ModulePath(ReadOnlySpan<char> path, string language) =>
        _languages.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(path, out var actual, out var found) && found == language ? actual : null;

    /// <summary>The index's own string for a folder that holds some module (or is above one), else null.</summary>
    internal string? Folder(ReadOnlySpan<char> directory) =>
        _directories.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(directory, out var actual) ? actual : null;

    /// <summary>
    /// The index's own instance of a module path or folder (equal text), or <paramref name="path"/> itself when it is
    /// neither: resolved paths then share one string per module, and comparing them is a reference check.
    /// </summary>
    internal string Canonical(string path) =>
        _entries.TryGetValue(path, out var entry) ? entry.Module.Path : _directories.TryGetValue(path, out var dir) ? dir : path;

    /// <summary>The module at a relative path, or null.</summary>
    public ModuleInfo? GetModule(string path) => Entry(path)?.Module;

    /// <summary>True when some module lies in <paramref name="directory"/> or below it ("" is the root).</summary>
    public bool DirectoryExists(string directory) => _directories.Contains(directory);

    /// <summary>A definition by id, or null.</summary>
    public Definition? GetDefinition(string id)
    {
        var entry = EntryOfDefinition(id);
        if (_foreignById is { } all)
        {
            return entry is null && _load is not null ? null : all.GetValueOrDefault(id);
        }
        return entry?.Definition(id);
    }

    /// <summary>The id of the definition enclosing <paramref name="id"/>, or null for a top-level one.</summary>
    public string? GetParentId(string id)
    {
        if (_load is not null && !Load(DefinitionIds.PathOf(id)))
        {
            return null;
        }
        lock (_gate)
        {
            if (_parentOf is null || _load is not null)
            {
                // On demand, modules load as lookups go: the table is made again from what is loaded.
                var parents = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var entry in _entries.Values.OrderBy(e => e.Module.Path, StringComparer.Ordinal))
                {
                    Walk(entry.Module.Definitions, null);
                }
                _parentOf = parents;

                void Walk(ImmutableArray<Definition> definitions, string? parent)
                {
                    foreach (var definition in definitions.IsDefault ? [] : definitions)
                    {
                        if (parent is not null)
                        {
                            parents.TryAdd(definition.Id, parent);
                        }
                        Walk(definition.Children, definition.Id);
                    }
                }
            }
            return _parentOf.GetValueOrDefault(id);
        }
    }

    /// <summary>Definitions of one module with this qualified name (overloads, partial parts), by id.</summary>
    public IReadOnlyList<Definition> Find(string modulePath, string qualifiedName) =>
        Entry(modulePath) is { } entry ? entry.Find(qualifiedName) : [];

    /// <summary>Definitions of any module of one language with this qualified name, by id.</summary>
    public IReadOnlyList<Definition> FindInLanguage(string language, string qualifiedName)
    {
        EnsureLanguage(language);
        Dictionary<string, List<Definition>>? byName;
        lock (_gate)
        {
            if (!_byLanguageAndName.TryGetValue(language, out byName))
            {
                // Every module of the language is loaded by now (EnsureLanguage): the table is complete.
                byName = new Dictionary<string, List<Definition>>(StringComparer.Ordinal);
                foreach (var entry in _entries.Values.OrderBy(e => e.Module.Path, StringComparer.Ordinal))
                {
                    if (entry.Module.Language == language)
                    {
                        Walk(entry.Module.Definitions);
                    }
                }
                foreach (var list in byName.Values)
                {
                    list.Sort(ById);
                }
                _byLanguageAndName[language] = byName;

                void Walk(ImmutableArray<Definition> definitions)
                {
                    foreach (var definition in definitions.IsDefault ? [] : definitions)
                    {
                        if (!byName.TryGetValue(definition.QualifiedName, out var list))
                        {
                            byName[definition.QualifiedName] = list = [];
                        }
                        list.Add(definition);
                        Walk(definition.Children);
                    }
                }
            }
        }
        return byName.TryGetValue(qualifiedName, out var found) ? found : [];
    }

    /// <summary>The indexed module at a path (loading it on demand), or null when there is none.</summary>
    internal ModuleEntry? Entry(string path)
    {
        if (_load is null)
        {
            // The same path strings (canonical ones: see Canonical) are looked up again and again while calls
            // resolve; a small cache by string identity answers them without hashing the text.
            int slot = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(path) & (RecentSlots - 1);
            if (_recent[slot] is { } hit && ReferenceEquals(hit.Path, path))
            {
                return hit.Entry;
            }
            var found = _entries.GetValueOrDefault(path);
            _recent[slot] = new RecentEntry(path, found);
            return found;
        }
        return Load(path) ? _entries[path] : null;
    }

    private const int RecentSlots = 1024;

    // Written and read by any thread: each slot is one reference to an immutable pair, so a read sees a whole pair.
    private readonly RecentEntry?[] _recent = new RecentEntry?[RecentSlots];

    private sealed record RecentEntry(string Path, ModuleEntry? Entry);

    /// <summary>The indexed module at a path given as characters (no string is made), or null.</summary>
    internal ModuleEntry? Entry(ReadOnlySpan<char> path)
    {
        if (_entriesBySpan.TryGetValue(path, out var entry))
        {
            return entry;
        }
        return _load is null ? null : Entry(path.ToString());
    }

    /// <summary>The module that holds a definition, from the path part of its id (no string is made).</summary>
    internal ModuleEntry? EntryOfDefinition(string id) => Entry(DefinitionIds.PathSpanOf(id));

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
            if (!_entries.ContainsKey(path))
            {
                var entry = ModuleEntry.Create(_load!(path));
                _entries[path] = entry;
                if (entry.HasForeignIds || _foreignById is not null)
                {
                    _foreignById = AllById(_entries.Values.OrderBy(e => e.Module.Path, StringComparer.Ordinal));
                }
                // A language's table made before this module of it loaded would miss it: made again on next use.
                _byLanguageAndName.Remove(entry.Module.Language);
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

    // Every definition by id, first one (in path, then walk order) for a repeated id.
    private static Dictionary<string, Definition> AllById(IEnumerable<ModuleEntry> entries)
    {
        var all = new Dictionary<string, Definition>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            Walk(entry.Module.Definitions);
        }
        return all;

        void Walk(ImmutableArray<Definition> definitions)
        {
            foreach (var definition in definitions.IsDefault ? [] : definitions)
            {
                all.TryAdd(definition.Id, definition);
                Walk(definition.Children);
            }
        }
    }

    private static readonly Comparison<Definition> ById = static (a, b) => string.CompareOrdinal(a.Id, b.Id);

    /// <summary>One indexed module: its contents, its definitions by qualified name and by id, and a slot for its linker's per-module tables.</summary>
    internal sealed class ModuleEntry
    {
        private readonly Dictionary<string, Definition[]>? _groups;
        private readonly Dictionary<string, Definition> _byId;
        private object? _linkerState;

        private ModuleEntry(ModuleInfo module, Dictionary<string, Definition> names, Dictionary<string, Definition[]>? groups, Dictionary<string, Definition> byId, bool foreign)
        {
            Module = module;
            Names = names;
            NamesBySpan = names.GetAlternateLookup<ReadOnlySpan<char>>();
            _groups = groups;
            _byId = byId;
            HasForeignIds = foreign;
        }

        /// <summary>The module.</summary>
        public ModuleInfo Module { get; }

        /// <summary>The first definition (by id) of each qualified name, nested ones too.</summary>
        public Dictionary<string, Definition> Names { get; }

        /// <summary><see cref="Names"/> looked up by characters.</summary>
        public Dictionary<string, Definition>.AlternateLookup<ReadOnlySpan<char>> NamesBySpan { get; }

        /// <summary>True when some definition's id does not start with this module's path and '#'.</summary>
        public bool HasForeignIds { get; }

        /// <summary>Definitions with this qualified name, by id (empty when none).</summary>
        public IReadOnlyList<Definition> Find(string qualifiedName) =>
            _groups is not null && _groups.TryGetValue(qualifiedName, out var group) ? group
            : Names.TryGetValue(qualifiedName, out var single) ? [single] : [];

        /// <summary>The first definition (by id) with this qualified name, or null.</summary>
        public Definition? First(ReadOnlySpan<char> qualifiedName) => NamesBySpan.TryGetValue(qualifiedName, out var definition) ? definition : null;

        /// <summary>The module's definition with this id (the first in walk order when repeated), or null.</summary>
        public Definition? Definition(string id) => _byId.GetValueOrDefault(id);

        /// <summary>
        /// A linker's tables for this module, made by <paramref name="create"/> the first time (a pure function of the
        /// module and the index, so whichever thread makes it, the tables are the same).
        /// </summary>
        public T State<T, TArg>(TArg argument, Func<ModuleEntry, TArg, T> create)
            where T : class
        {
            if (Volatile.Read(ref _linkerState) is T state)
            {
                return state;
            }
            var made = create(this, argument);
            return Interlocked.CompareExchange(ref _linkerState, made, null) as T ?? made;
        }

        /// <summary>The same tables over a module that differs only in its imports.</summary>
        public ModuleEntry With(ModuleInfo module) => new(module, Names, _groups, _byId, HasForeignIds);

        public static ModuleEntry Create(ModuleInfo module)
        {
            int count = Count(module.Definitions);
            var names = new Dictionary<string, Definition>(count, StringComparer.Ordinal);
            Dictionary<string, List<Definition>>? repeated = null;
            var byId = new Dictionary<string, Definition>(count, StringComparer.Ordinal);
            bool foreign = false;
            var path = module.Path;
            Add(module.Definitions);
            Dictionary<string, Definition[]>? groups = null;
            if (repeated is not null)
            {
                groups = new Dictionary<string, Definition[]>(StringComparer.Ordinal);
                foreach (var (name, list) in repeated)
                {
                    list.Sort(ById);
                    groups[name] = [.. list];
                    names[name] = list[0];
                }
            }
            return new ModuleEntry(module, names, groups, byId, foreign);

            static int Count(ImmutableArray<Definition> definitions)
            {
                int total = 0;
                foreach (var definition in definitions.IsDefault ? [] : definitions)
                {
                    total += 1 + Count(definition.Children);
                }
                return total;
            }

            void Add(ImmutableArray<Definition> definitions)
            {
                if (definitions.IsDefaultOrEmpty)
                {
                    return;
                }
                foreach (var definition in definitions)
                {
                    var id = definition.Id;
                    byId.TryAdd(id, definition);
                    foreign |= !(id.Length > path.Length && id[path.Length] == '#' && id.StartsWith(path, StringComparison.Ordinal));
                    if (!names.TryAdd(definition.QualifiedName, definition))
                    {
                        repeated ??= new Dictionary<string, List<Definition>>(StringComparer.Ordinal);
                        if (!repeated.TryGetValue(definition.QualifiedName, out var list))
                        {
                            repeated[definition.QualifiedName] = list = [names[definition.QualifiedName]];
                        }
                        list.Add(definition);
                    }
                    Add(definition.Children);
                }
            }
        }
    }
}
