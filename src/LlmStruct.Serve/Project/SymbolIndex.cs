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
    // Entry indexes ordered by lower-cased name, then by index: exact and prefix matches are one contiguous range each.
    private readonly int[] _byName;

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
        _byName = [.. Enumerable.Range(0, _entries.Length)];
        Array.Sort(_byName, (a, b) =>
        {
            int c = string.CompareOrdinal(_names[a], _names[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
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
        // Exact names, then names starting with the text: binary search over the name order, each range taken in entry
        // order (shorter names first); then qualified names or ids containing the text, a scan in entry order.
        int start = LowerBound(q);
        int end = start;
        while (end < _byName.Length && _names[_byName[end]] == q)
        {
            end++;
        }
        for (int k = start; k < end && hits.Count < limit; k++)
        {
            taken.Add(_byName[k]);
            hits.Add(_entries[_byName[k]]);
        }
        if (hits.Count < limit)
        {
            int prefixEnd = PrefixEnd(q, start);
            foreach (int i in Smallest(start, prefixEnd, limit - hits.Count, taken))
            {
                taken.Add(i);
                hits.Add(_entries[i]);
            }
        }
        for (int i = 0; i < _entries.Length && hits.Count < limit; i++)
        {
            if (_qualified[i].Contains(q, StringComparison.Ordinal) && taken.Add(i))
            {
                hits.Add(_entries[i]);
            }
        }
        return hits;
    }

    // The first position in the name order whose name is not less than q.
    private int LowerBound(string q)
    {
        int lo = 0, hi = _byName.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(_names[_byName[mid]], q) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    // The end of the names starting with q, which run contiguously from its lower bound.
    private int PrefixEnd(string q, int from)
    {
        int lo = from, hi = _byName.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_names[_byName[mid]].StartsWith(q, StringComparison.Ordinal))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    // The count smallest entry indexes in the name-order range [from, to), in ascending order, leaving out those taken.
    private List<int> Smallest(int from, int to, int count, HashSet<int> taken)
    {
        var largest = new PriorityQueue<int, int>(count + 1, Comparer<int>.Create((a, b) => b.CompareTo(a)));
        for (int k = from; k < to; k++)
        {
            int i = _byName[k];
            if (taken.Contains(i))
            {
                continue;
            }
            if (largest.Count < count)
            {
                largest.Enqueue(i, i);
            }
            else if (i < largest.Peek())
            {
                largest.DequeueEnqueue(i, i);
            }
        }
        var smallest = new List<int>(largest.Count);
        while (largest.Count > 0)
        {
            smallest.Add(largest.Dequeue());
        }
        smallest.Reverse();
        return smallest;
    }

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
