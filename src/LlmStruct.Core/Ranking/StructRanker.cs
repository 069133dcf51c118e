using System.Collections.Immutable;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Ranking;

/// <summary>A file and its PageRank score.</summary>
/// <param name="Path">Module path.</param>
/// <param name="Score">Stationary probability (all scores sum to 1).</param>
/// <param name="Focused">True when a focus path or symbol selected this file.</param>
internal readonly record struct RankedFile(string Path, double Score, bool Focused);

/// <summary>Files ordered by score (descending), ties broken by ordinal path.</summary>
internal sealed record RankResult(ImmutableArray<RankedFile> Files, int Iterations);

/// <summary>
/// PageRank over the file graph, the way a repository map ranks files: an edge A → B weighs the calls from
/// definitions in A resolved to definitions in B (by count) plus one per import of B resolved in A. Personalised
/// by focus paths (a file, or a folder and everything below it) and focus symbols (definition id, qualified
/// name, or simple name). Damping 0.85; iterate until the L1 change is below 1e-12 or 100 rounds. Nodes are in
/// ordinal path order and sums run in that order, so the result is bitwise stable; ties break by path.
/// </summary>
internal static class StructRanker
{
    public const double Damping = 0.85;
    public const int MaxIterations = 100;
    public const double Tolerance = 1e-12;

    public static RankResult Rank(StructDocument document, IReadOnlyCollection<string> focus)
    {
        ArgumentNullException.ThrowIfNull(document);
        var paths = SortedDistinctPaths(document.Modules);
        int n = paths.Length;
        if (n == 0)
        {
            return new RankResult([], 0);
        }
        var slot = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            slot[paths[i]] = i;
        }

        // Weighted edges, as adjacency lists sorted by target (deterministic summation order).
        var edges = new (int To, double Weight)[n][];
        var modules = document.Modules;
        // Paths are distinct in a document; were one repeated, the last module with it would count, as in a loop.
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < modules.Length; i++)
        {
            last[modules[i].Path] = i;
        }
        Parallel.For(0, modules.Length, i =>
        {
            if (last[modules[i].Path] == i)
            {
                edges[slot[modules[i].Path]] = ModuleEdges(modules[i], slot);
            }
        });
        for (int i = 0; i < n; i++)
        {
            edges[i] ??= [];
        }
        var personalization = Personalization(document, paths, slot, focus, out var focused);
        return RankGraph(paths, edges, personalization, focused);
    }

    // The modules' paths, sorted ordinally and each once (a canonical document has them so already).
    private static string[] SortedDistinctPaths(ImmutableArray<ModuleInfo> modules)
    {
        var paths = new string[modules.Length];
        bool ordered = true;
        for (int i = 0; i < paths.Length; i++)
        {
            paths[i] = modules[i].Path;
            ordered &= i == 0 || string.CompareOrdinal(paths[i - 1], paths[i]) < 0;
        }
        return ordered ? paths : [.. paths.Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The weighted out-edges of one module (slot, weight), by ascending slot: resolved imports of other modules, and
    /// calls resolved into them. Weights are sums of whole numbers, so the order they are added in does not matter.
    /// </summary>
    internal static (int To, double Weight)[] ModuleEdges(ModuleInfo module, IReadOnlyDictionary<string, int> slot)
    {
        var edges = new Dictionary<int, double>();
        int from = slot[module.Path];
        foreach (var import in module.Imports)
        {
            if (import.Resolved is { } resolved && slot.TryGetValue(resolved, out int to) && to != from)
            {
                Add(edges, to, 1);
            }
        }
        AddCalls(module.Definitions, from, slot, edges);
        var sorted = new (int To, double Weight)[edges.Count];
        int at = 0;
        foreach (var (to, weight) in edges)
        {
            sorted[at++] = (to, weight);
        }
        Array.Sort(sorted, static (a, b) => a.To.CompareTo(b.To));
        return sorted;
    }

    /// <summary>
    /// PageRank over a graph given as out-edges per node (nodes in ordinal path order; each node's edges by ascending
    /// target), without focus.
    /// </summary>
    internal static RankResult RankGraph(string[] paths, (int To, double Weight)[][] edges)
    {
        var uniform = new double[paths.Length];
        Array.Fill(uniform, 1.0 / Math.Max(1, paths.Length));
        return paths.Length == 0 ? new RankResult([], 0) : RankGraph(paths, edges, uniform, []);
    }

    // Flat arrays in ascending target order, as the sorted adjacency gives them: the same sums, bit for bit.
    private static RankResult RankGraph(string[] paths, (int To, double Weight)[][] edges, double[] personalization, HashSet<int> focused)
    {
        int n = paths.Length;
        var outWeight = edges.Select(e => e.Sum(x => x.Weight)).ToArray();
        var rank = (double[])personalization.Clone();
        var next = new double[n];
        int iteration = 0;
        while (iteration < MaxIterations)
        {
            iteration++;
            double dangling = 0;
            for (int i = 0; i < n; i++)
            {
                if (outWeight[i] == 0)
                {
                    dangling += rank[i];
                }
            }
            for (int i = 0; i < n; i++)
            {
                next[i] = (1 - Damping + Damping * dangling) * personalization[i];
            }
            for (int i = 0; i < n; i++)
            {
                if (outWeight[i] == 0)
                {
                    continue;
                }
                double share = Damping * rank[i] / outWeight[i];
                foreach (var (to, weight) in edges[i])
                {
                    next[to] += share * weight;
                }
            }
            double delta = 0;
            for (int i = 0; i < n; i++)
            {
                delta += Math.Abs(next[i] - rank[i]);
            }
            (rank, next) = (next, rank);
            if (delta < Tolerance)
            {
                break;
            }
        }
        var files = new RankedFile[n];
        for (int i = 0; i < n; i++)
        {
            files[i] = new RankedFile(paths[i], rank[i], focused.Contains(i));
        }
        // Focused first, then by score, then by path: paths are distinct, so the order is total.
        Array.Sort(files, static (a, b) =>
            a.Focused != b.Focused ? (a.Focused ? -1 : 1)
            : a.Score != b.Score ? b.Score.CompareTo(a.Score)
            : string.CompareOrdinal(a.Path, b.Path));
        return new RankResult(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(files), iteration);
    }

    private static void AddCalls(ImmutableArray<Definition> definitions, int from, IReadOnlyDictionary<string, int> slot, Dictionary<int, double> edges)
    {
        foreach (var definition in definitions)
        {
            foreach (var call in definition.Calls)
            {
                if (call.Target is { } target && SlotOfTarget(slot, target, out int to) && to != from)
                {
                    Add(edges, to, Math.Max(1, call.Count));
                }
            }
            AddCalls(definition.Children, from, slot, edges);
        }
    }

    // The slot of the module a definition id lies in, looked up by the id's path part without cutting it out.
    private static bool SlotOfTarget(IReadOnlyDictionary<string, int> slot, string target, out int to)
    {
        if (slot is Dictionary<string, int> dictionary && dictionary.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup))
        {
            return lookup.TryGetValue(DefinitionIds.PathSpanOf(target), out to);
        }
        return slot.TryGetValue(DefinitionIds.PathOf(target), out to);
    }

    private static void Add(Dictionary<int, double> edges, int to, double weight) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(edges, to, out _) += weight;

    private static double[] Personalization(
        StructDocument document, string[] paths, Dictionary<string, int> slot, IReadOnlyCollection<string> focus, out HashSet<int> focused)
    {
        focused = FocusSlots(document, paths, slot, focus);
        var vector = new double[paths.Length];
        if (focused.Count == 0)
        {
            Array.Fill(vector, 1.0 / paths.Length);
        }
        else
        {
            foreach (var i in focused)
            {
                vector[i] = 1.0 / focused.Count;
            }
        }
        return vector;
    }

    /// <summary>
    /// The slots of the files a focus names: each item is a path (a file, or a folder's files) or, when no path
    /// matches, a symbol (<see cref="MatchesSymbol"/>) whose file is taken. Backslashes, <c>./</c> and a trailing slash
    /// are ignored.
    /// </summary>
    internal static HashSet<int> FocusSlots(StructDocument document, string[] paths, IReadOnlyDictionary<string, int> slot, IReadOnlyCollection<string> focus)
    {
        var focused = new HashSet<int>();
        foreach (var raw in focus)
        {
            var item = raw.Replace('\\', '/').Trim().TrimEnd('/');
            if (item.StartsWith("./", StringComparison.Ordinal))
            {
                item = item[2..];
            }
            if (item.Length == 0)
            {
                continue;
            }
            bool matchedPath = false;
            var folder = item + "/";
            for (int i = 0; i < paths.Length; i++)
            {
                if (paths[i] == item || paths[i].StartsWith(folder, StringComparison.Ordinal))
                {
                    focused.Add(i);
                    matchedPath = true;
                }
            }
            if (!matchedPath)
            {
                foreach (var module in document.Modules)
                {
                    if (MatchesSymbol(module.Definitions, item) && slot.TryGetValue(module.Path, out int found))
                    {
                        focused.Add(found);
                    }
                }
            }
        }
        return focused;
    }

    /// <summary>True when one of <paramref name="definitions"/> (or their children) is <paramref name="symbol"/> by id, qualified name, name or dotted suffix.</summary>
    internal static bool MatchesSymbol(ImmutableArray<Definition> definitions, string symbol)
    {
        foreach (var definition in definitions)
        {
            if (definition.Id == symbol || definition.QualifiedName == symbol || definition.Name == symbol
                || definition.QualifiedName.EndsWith("." + symbol, StringComparison.Ordinal)
                || MatchesSymbol(definition.Children, symbol))
            {
                return true;
            }
        }
        return false;
    }
}
