using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Ranking;

/// <summary>Why a file ranks where it does for a focus: the parts its score is made of.</summary>
/// <param name="Import">Resolved imports from the focus into this file.</param>
/// <param name="Call">Resolved calls from the focus into this file (by count).</param>
/// <param name="Reverse">Resolved imports and calls from this file into the focus (callers, importers, tests).</param>
/// <param name="Graph">Personalised PageRank over both edge directions, scaled so the best non-focus file has 1.</param>
/// <param name="CoChange">Past commits that changed this file with the focus, decayed by age, scaled so the best has 1.</param>
/// <param name="Test">1 when this is a test file named for the focus (<c>test_core.py</c> for <c>core.py</c>), else 0.</param>
/// <param name="Distance">Steps between this file's folder and the focus's in the folder tree (proximity: <see cref="ContextRanker.ProximityWeight"/> / (1 + distance)).</param>
/// <param name="Churn">How often this file changed in the history, decayed by age, scaled so the most changed file has 1 (0 without history).</param>
/// <param name="Parameters">
/// The focus's parameter names this file's definitions take too, each counting 1 / (other files taking it), at most 1:
/// one name only this file shares with the focus counts 1, a name half the project takes almost nothing.
/// </param>
public readonly record struct ScoreParts(int Import, double Call, int Reverse, double Graph, double CoChange, double Test, int Distance, double Churn = 0, double Parameters = 0);

/// <summary>A file ranked for a context.</summary>
/// <param name="Path">Module path.</param>
/// <param name="Score">The combined score (higher first).</param>
/// <param name="Focused">True for a file the focus selected.</param>
/// <param name="Parts">What the score is made of.</param>
public readonly record struct ContextRankedFile(string Path, double Score, bool Focused, ScoreParts Parts);

/// <summary>
/// Ranks files for a context around a focus: personalised PageRank over the file graph in both directions (a file
/// that imports or calls the focus matters as much as one the focus calls), plus co-change from git history and
/// the focus's own test files and nearness in the folder tree. Weights were
/// measured with <c>benchmarks/context-quality</c>. Without a focus the order is the document's PageRank (entry
/// points first), as before. A pure function of the document, the focus and the co-change index.
/// </summary>
public static partial class ContextRanker
{
    /// <summary>Weight of an edge's own direction (A imports or calls B: A → B).</summary>
    public const double ForwardWeight = 1.0;
    /// <summary>Weight of the reverse direction (B → A for the same edge: callers and importers).</summary>
    public const double ReverseWeight = 1.0;
    /// <summary>Weight of the graph part in the score.</summary>
    public const double GraphWeight = 1.0;
    /// <summary>Weight of the co-change part in the score.</summary>
    public const double CoChangeWeight = 2.0;
    /// <summary>Weight of the test-naming part in the score.</summary>
    public const double TestWeight = 0.5;
    /// <summary>Weight of folder proximity in the score: this over (1 + steps between the folders).</summary>
    public const double ProximityWeight = 0.3;
    /// <summary>
    /// Weight of churn (how often the file changed, whatever the focus) in the score: small, so it orders files
    /// with no other evidence and never lifts one over <see cref="RelevanceThreshold"/> together with proximity.
    /// </summary>
    public const double ChurnWeight = 0.2;
    /// <summary>
    /// Weight of shared parameter names in the score: files whose functions take the focus's rarer parameters pass
    /// the same options along, and a change to those options sweeps through them.
    /// </summary>
    public const double ParameterWeight = 0.3;
    /// <summary>
    /// A file scoring at most this has little evidence beyond nearness in the folder tree and churn (together at most
    /// <see cref="ProximityWeight"/> + <see cref="ChurnWeight"/>) and a few common parameter names; a context names only
    /// a few of those.
    /// </summary>
    public const double RelevanceThreshold = 0.5;
    /// <summary>Restart probability of the personalised PageRank walk.</summary>
    public const double Restart = 0.3;
    /// <summary>Exponent of the hub damping: a file's graph score is divided by its degree to this power.</summary>
    public const double HubDamping = 0.5;

    private static readonly ConditionalWeakTable<StructDocument, FileGraph> Graphs = [];

    /// <summary>
    /// Ranks every module of <paramref name="document"/> for <paramref name="focus"/> (paths or symbols, as
    /// <c>--focus</c> takes them); <paramref name="coChange"/> adds history when given.
    /// </summary>
    public static ImmutableArray<ContextRankedFile> Rank(StructDocument document, IReadOnlyCollection<string> focus, CoChangeIndex? coChange = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(focus);
        var graph = Graphs.GetValue(document, static d => FileGraph.Build(d));
        int n = graph.Paths.Length;
        if (n == 0)
        {
            return [];
        }
        var focused = StructRanker.FocusSlots(document, graph.Paths, graph.Slot, focus);
        if (focused.Count == 0)
        {
            return Unfocused(document, graph);
        }

        var ppr = PersonalisedPageRank(graph, focused);
        var focusPaths = focused.Select(i => graph.Paths[i]).ToArray();
        var partners = coChange?.Partners(focusPaths) ?? new Dictionary<string, double>();
        var subjects = focusPaths.Select(TestFiles.Subject).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        // Steps from the nearest focus folder to each folder of the document, worked out once per folder.
        var folderDistance = new int[graph.Folders.Length];
        Array.Fill(folderDistance, int.MaxValue);
        foreach (int f in focused)
        {
            var from = graph.Folders[graph.FolderOf[f]];
            for (int d = 0; d < folderDistance.Length; d++)
            {
                folderDistance[d] = Math.Min(folderDistance[d], FolderDistance(from, graph.Folders[d]));
            }
        }

        // Each file's churn, looked up once, and the most any file of the document has (the scale).
        var churn = new double[n];
        double bestChurn = 0;
        if (coChange is not null)
        {
            for (int i = 0; i < n; i++)
            {
                churn[i] = coChange.Churn.GetValueOrDefault(graph.Paths[i]);
                bestChurn = Math.Max(bestChurn, churn[i]);
            }
        }
        var parameters = SharedParameters(graph, focused);
        var graphScore = new double[n];
        double bestGraph = 0, bestCo = 0;
        for (int i = 0; i < n; i++)
        {
            if (focused.Contains(i))
            {
                continue;
            }
            graphScore[i] = ppr[i] / graph.HubDivisor[i];
            bestGraph = Math.Max(bestGraph, graphScore[i]);
            if (partners.TryGetValue(graph.Paths[i], out var co))
            {
                bestCo = Math.Max(bestCo, co);
            }
        }
        var files = new ContextRankedFile[n];
        for (int i = 0; i < n; i++)
        {
            var path = graph.Paths[i];
            bool isFocus = focused.Contains(i);
            int import = 0, reverse = 0;
            double call = 0;
            foreach (int f in focused)
            {
                if (graph.Pairs.TryGetValue(Key(f, i), out var outgoing))
                {
                    import += outgoing.Imports;
                    call += outgoing.Calls;
                }
                if (graph.Pairs.TryGetValue(Key(i, f), out var incoming))
                {
                    reverse += incoming.Imports + (int)incoming.Calls;
                }
            }
            double g = bestGraph > 0 ? graphScore[i] / bestGraph : 0;
            double co = bestCo > 0 && partners.TryGetValue(path, out var raw) ? raw / bestCo : 0;
            double test = !isFocus && graph.TestSubject[i] is { } subject && subjects.Contains(subject) ? 1 : 0;
            int distance = folderDistance[graph.FolderOf[i]];
            double hot = bestChurn > 0 ? churn[i] / bestChurn : 0;
            double shared = isFocus ? 0 : parameters[i];
            var parts = new ScoreParts(import, call, reverse, g, co, test, distance, hot, shared);
            double score = isFocus ? double.PositiveInfinity
                : GraphWeight * g + CoChangeWeight * co + TestWeight * test + ProximityWeight / (1 + distance) + ChurnWeight * hot
                    + ParameterWeight * shared;
            files[i] = new ContextRankedFile(path, score, isFocus, parts);
        }
        Array.Sort(files, static (a, b) =>
            a.Focused != b.Focused ? (a.Focused ? -1 : 1)
            : a.Score != b.Score ? b.Score.CompareTo(a.Score)
            : a.Parts.Distance != b.Parts.Distance ? a.Parts.Distance.CompareTo(b.Parts.Distance)
            : string.CompareOrdinal(a.Path, b.Path));
        return ImmutableCollectionsMarshal.AsImmutableArray(files);
    }

    private static long Key(int from, int to) => ((long)from << 32) | (uint)to;

    /// <summary>Steps from one folder to another through their deepest common folder ("" is the root).</summary>
    internal static int FolderDistance(string a, string b)
    {
        var x = a.Length == 0 ? [] : a.Split('/');
        var y = b.Length == 0 ? [] : b.Split('/');
        int common = 0;
        while (common < x.Length && common < y.Length && x[common] == y[common])
        {
            common++;
        }
        return x.Length - common + y.Length - common;
    }

    private static string FolderOf(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    // The document's own order does not depend on a focus: worked out once per document, like the graph.
    private static ImmutableArray<ContextRankedFile> Unfocused(StructDocument document, FileGraph graph) =>
        ImmutableCollectionsMarshal.AsImmutableArray(graph.Unfocused ??= RankUnfocused(document, graph));

    private static ContextRankedFile[] RankUnfocused(StructDocument document, FileGraph graph)
    {
        var ranking = StructRanker.RankGraph(graph.Paths, graph.Forward);
        var entryPoints = document.Context.Files.Where(f => f.Reason == "entry_point").Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return [.. ranking.Files
            .Select((f, i) => (File: f, Order: i))
            .OrderByDescending(x => entryPoints.Contains(x.File.Path))
            .ThenBy(x => x.Order)
            .Select(x => new ContextRankedFile(x.File.Path, x.File.Score, false, new ScoreParts(0, 0, 0, 0, 0, 0, 0)))];
    }

    private static double[] PersonalisedPageRank(FileGraph graph, HashSet<int> focused)
    {
        int n = graph.Paths.Length;
        var personal = new double[n];
        foreach (int f in focused)
        {
            personal[f] = 1.0 / focused.Count;
        }
        var rank = (double[])personal.Clone();
        var next = new double[n];
        var outWeight = graph.OutWeight;
        for (int round = 0; round < 60; round++)
        {
            // The same sums in the same order as a pass over every file: only files without out-edges add to it.
            double dangling = 0;
            foreach (int i in graph.Dangling)
            {
                dangling += rank[i];
            }
            // Only the focus has a personal weight; every other file starts the round at zero.
            Array.Clear(next);
            double restart = Restart + (1 - Restart) * dangling;
            foreach (int f in focused)
            {
                next[f] = restart * personal[f];
            }
            for (int i = 0; i < n; i++)
            {
                if (outWeight[i] == 0 || rank[i] == 0)
                {
                    continue;
                }
                double share = (1 - Restart) * rank[i] / outWeight[i];
                for (int e = graph.WalkStart[i], end = graph.WalkStart[i + 1]; e < end; e++)
                {
                    next[graph.WalkTo[e]] += share * graph.WalkWeight[e];
                }
            }
            double delta = 0;
            for (int i = 0; i < n; i++)
            {
                delta += Math.Abs(next[i] - rank[i]);
            }
            (rank, next) = (next, rank);
            if (delta < 1e-12)
            {
                break;
            }
        }
        return rank;
    }

    /// <summary>The file graph of a document, made once per document instance: imports and calls per pair, and the walk in both directions.</summary>
    private sealed class FileGraph
    {
        public required string[] Paths { get; init; }
        public required Dictionary<string, int> Slot { get; init; }
        public required (int To, double Weight)[][] Forward { get; init; }
        public required Dictionary<long, (int Imports, double Calls)> Pairs { get; init; }
        /// <summary>The walk in both directions as flat arrays: node i's edges are [WalkStart[i], WalkStart[i + 1]), by ascending target.</summary>
        public required int[] WalkStart { get; init; }
        public required int[] WalkTo { get; init; }
        public required double[] WalkWeight { get; init; }
        public required double[] OutWeight { get; init; }
        /// <summary>The files without out-edges in the walk, ascending.</summary>
        public required int[] Dangling { get; init; }
        /// <summary>
        /// The distinct parameter names (numbered in path order): name k is taken by the files
        /// ParameterFiles[ParameterStart[k]..ParameterStart[k + 1]), ascending.
        /// </summary>
        public required int[] ParameterStart { get; init; }
        public required int[] ParameterFiles { get; init; }
        /// <summary>Each file's parameter names (numbers into the postings above), ascending.</summary>
        public required int[][] ParameterNames { get; init; }
        /// <summary>(1 + degree) to the power <see cref="HubDamping"/>: what a file's graph score is divided by.</summary>
        public required double[] HubDivisor { get; init; }
        /// <summary>The distinct folders of the paths ("" is the root), and each path's index into them.</summary>
        public required string[] Folders { get; init; }
        public required int[] FolderOf { get; init; }
        /// <summary>The subject a test file is named for (<see cref="TestFiles.Subject"/>), null for a file that is not a test.</summary>
        public required string?[] TestSubject { get; init; }
        /// <summary>The unfocused ranking, once asked for (never changed once set; a reference, so set atomically).</summary>
        public ContextRankedFile[]? Unfocused { get; set; }

        public static FileGraph Build(StructDocument document)
        {
            var paths = document.Modules.Select(m => m.Path).Distinct().Order(StringComparer.Ordinal).ToArray();
            var slot = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < paths.Length; i++)
            {
                slot[paths[i]] = i;
            }
            var forward = new (int To, double Weight)[paths.Length][];
            var pairs = new Dictionary<long, (int Imports, double Calls)>();
            var walk = new SortedDictionary<int, double>[paths.Length];
            for (int i = 0; i < paths.Length; i++)
            {
                walk[i] = [];
                forward[i] = [];
            }
            foreach (var module in document.Modules)
            {
                int from = slot[module.Path];
                forward[from] = StructRanker.ModuleEdges(module, slot);
                foreach (var import in module.Imports)
                {
                    if (import.Resolved is { } resolved && slot.TryGetValue(resolved, out int to) && to != from)
                    {
                        ref var pair = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(pairs, ((long)from << 32) | (uint)to, out _);
                        pair.Imports++;
                    }
                }
                AddCalls(module.Definitions, from, slot, pairs);
            }
            foreach (var (key, (imports, calls)) in pairs.OrderBy(p => p.Key))
            {
                int from = (int)(key >> 32), to = (int)(key & 0xffffffff);
                double weight = Math.Min(imports, 1) + Math.Log(1 + calls);
                Add(walk[from], to, ForwardWeight * weight);
                Add(walk[to], from, ReverseWeight * weight);
            }
            var walkStart = new int[paths.Length + 1];
            for (int i = 0; i < paths.Length; i++)
            {
                walkStart[i + 1] = walkStart[i] + walk[i].Count;
            }
            var walkTo = new int[walkStart[^1]];
            var walkWeight = new double[walkStart[^1]];
            var outWeight = new double[paths.Length];
            var hubDivisor = new double[paths.Length];
            for (int i = 0; i < paths.Length; i++)
            {
                int at = walkStart[i];
                foreach (var (to, weight) in walk[i])
                {
                    walkTo[at] = to;
                    walkWeight[at++] = weight;
                    outWeight[i] += weight;
                }
                hubDivisor[i] = Math.Pow(1 + walk[i].Count, HubDamping);
            }
            var folderSlot = new Dictionary<string, int>(StringComparer.Ordinal);
            var folderOf = new int[paths.Length];
            var testSubject = new string?[paths.Length];
            for (int i = 0; i < paths.Length; i++)
            {
                var folder = FolderOf(paths[i]);
                if (!folderSlot.TryGetValue(folder, out int f))
                {
                    folderSlot[folder] = f = folderSlot.Count;
                }
                folderOf[i] = f;
                testSubject[i] = TestFiles.IsTest(paths[i]) ? TestFiles.Subject(paths[i]) : null;
            }
            var folders = new string[folderSlot.Count];
            foreach (var (folder, f) in folderSlot)
            {
                folders[f] = folder;
            }
            var (parameterStart, parameterFiles, parameterNames) = ParameterIndex(document, slot, paths.Length);
            return new FileGraph
            {
                ParameterStart = parameterStart,
                ParameterFiles = parameterFiles,
                ParameterNames = parameterNames,
                Paths = paths,
                Slot = slot,
                Forward = forward,
                Pairs = pairs,
                WalkStart = walkStart,
                WalkTo = walkTo,
                WalkWeight = walkWeight,
                OutWeight = outWeight,
                Dangling = [.. Enumerable.Range(0, paths.Length).Where(i => outWeight[i] == 0)],
                HubDivisor = hubDivisor,
                Folders = folders,
                FolderOf = folderOf,
                TestSubject = testSubject,
            };
        }

        private static void Add(SortedDictionary<int, double> edges, int to, double weight)
        {
            edges[to] = edges.GetValueOrDefault(to) + weight;
        }

        private static void AddCalls(ImmutableArray<Definition> definitions, int from, Dictionary<string, int> slot, Dictionary<long, (int Imports, double Calls)> pairs)
        {
            foreach (var definition in definitions)
            {
                foreach (var call in definition.Calls)
                {
                    if (call.Target is { } target && slot.TryGetValue(DefinitionIds.PathOf(target), out int to) && to != from)
                    {
                        ref var pair = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(pairs, ((long)from << 32) | (uint)to, out _);
                        pair.Calls += Math.Max(1, call.Count);
                    }
                }
                AddCalls(definition.Children, from, slot, pairs);
            }
        }
    }
}
