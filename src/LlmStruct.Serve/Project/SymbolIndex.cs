using System.Collections.Frozen;
using LlmStruct.Model;

namespace LlmStruct.Serve.Project;

/// <summary>A definition with the module it is in.</summary>
/// <param name="Definition">The definition.</param>
/// <param name="Module">Its module.</param>
internal sealed record SymbolEntry(Definition Definition, ModuleInfo Module);

/// <summary>
/// Lookups over one loaded struct.json, built once per load: definitions by id, modules by path and by folder, and a
/// search by name (exact, then prefix, then substring of the qualified name or id).
/// </summary>
internal sealed class SymbolIndex
{
    private readonly FrozenDictionary<string, SymbolEntry> _byId;
    private readonly FrozenDictionary<string, ModuleInfo> _modules;
    private readonly SymbolEntry[] _entries;
    private readonly string[] _names;
    private readonly string[] _qualified;

    /// <summary>Builds the index of <paramref name="document"/>.</summary>
    public SymbolIndex(StructDocument document)
    {
        var entries = new List<SymbolEntry>();
        foreach (var module in document.Modules)
        {
            Add(module, module.Definitions, entries);
        }
        // Shorter names first among equals (a search for "run" lists run before run_all), then by id: a stable order.
        entries.Sort((a, b) =>
        {
            int c = a.Definition.Name.Length.CompareTo(b.Definition.Name.Length);
            if (c == 0) { c = string.CompareOrdinal(a.Definition.Name, b.Definition.Name); }
            return c != 0 ? c : string.CompareOrdinal(a.Definition.Id, b.Definition.Id);
        });
        _entries = [.. entries];
        _names = [.. _entries.Select(e => e.Definition.Name.ToLowerInvariant())];
        _qualified = [.. _entries.Select(e => (e.Definition.QualifiedName + " " + e.Definition.Id).ToLowerInvariant())];
        var byId = new Dictionary<string, SymbolEntry>(StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            byId.TryAdd(entry.Definition.Id, entry);
        }
        _byId = byId.ToFrozenDictionary(StringComparer.Ordinal);
        _modules = document.Modules.GroupBy(m => m.Path, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Folders = document.Modules
            .GroupBy(m => FolderOf(m.Path), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<ModuleInfo>)[.. g.OrderBy(m => m.Path, StringComparer.Ordinal)]))
            .ToArray();
    }

    /// <summary>How many definitions the index holds.</summary>
    public int Count => _entries.Length;

    /// <summary>The modules grouped by folder (<c>""</c> for the root), folders and modules in ordinal order.</summary>
    public IReadOnlyList<(string Folder, IReadOnlyList<ModuleInfo> Modules)> Folders { get; }

    /// <summary>The definition with <paramref name="id"/>, or null.</summary>
    public SymbolEntry? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>The module at <paramref name="path"/> (relative, as in struct.json), or null.</summary>
    public ModuleInfo? Module(string path) => _modules.GetValueOrDefault(path);

    /// <summary>
    /// Up to <paramref name="limit"/> definitions matching <paramref name="query"/> (case-insensitive): names equal to
    /// it, then names starting with it, then qualified names or ids containing it.
    /// </summary>
    public IReadOnlyList<SymbolEntry> Search(string query, int limit)
    {
        var q = query.Trim().ToLowerInvariant();
        if (q.Length == 0 || limit <= 0)
        {
            return [];
        }
        var hits = new List<SymbolEntry>(limit);
        var taken = new HashSet<int>();
        for (int pass = 0; pass < 3 && hits.Count < limit; pass++)
        {
            for (int i = 0; i < _entries.Length && hits.Count < limit; i++)
            {
                bool match = pass switch
                {
                    0 => _names[i] == q,
                    1 => _names[i].StartsWith(q, StringComparison.Ordinal),
                    _ => _qualified[i].Contains(q, StringComparison.Ordinal),
                };
                if (match && taken.Add(i))
                {
                    hits.Add(_entries[i]);
                }
            }
        }
        return hits;
    }

    /// <summary>The folder of a module path (<c>""</c> for a file at the root).</summary>
    public static string FolderOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private static void Add(ModuleInfo module, IEnumerable<Definition> definitions, List<SymbolEntry> entries)
    {
        foreach (var d in definitions)
        {
            entries.Add(new SymbolEntry(d, module));
            Add(module, d.Children, entries);
        }
    }
}
