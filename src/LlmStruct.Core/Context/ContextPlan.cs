using System.Collections.Immutable;
using System.Globalization;
using LlmStruct.Model;
using LlmStruct.Ranking;

namespace LlmStruct.Context;

/// <summary>
/// The units of a context in priority order, with a level chosen per file so the budget is spent the way a reader
/// wants it: the focus in full detail, then the closest files with signatures, then more files with names only,
/// then paths. Levels are chosen from per-line token estimates against shares of the budget; the builder then
/// keeps the longest prefix that fits exactly, so the tail (paths) absorbs the estimate's error.
/// </summary>
internal sealed class ContextPlan
{
    /// <summary>Share of the budget the header (title, summary, instructions) may take.</summary>
    public const double HeaderShare = 0.2;
    /// <summary>Share of the budget up to which a focused file may be shown in full.</summary>
    public const double FullShare = 0.4;
    /// <summary>Share of the budget up to which files are shown with signatures.</summary>
    public const double SignatureShare = 0.55;
    /// <summary>Share of the budget up to which files are shown with names.</summary>
    public const double NameShare = 0.75;
    /// <summary>
    /// How many files with little evidence of relevance (score at most <see cref="ContextRanker.RelevanceThreshold"/>:
    /// a faint graph path, nearness in the folder tree) are named: past them a list would be padding, not context.
    /// </summary>
    public const int UnrelatedFiles = 3;
    /// <summary>
    /// When the related files in full detail still leave the budget unused, up to this many more weakly related files
    /// per related file are named (paths), in rank order.
    /// </summary>
    public const int GrowthPerRelated = 2;
    /// <summary>When the plan is relaxed, the most of the budget one related (not focused) file may take in full detail.</summary>
    public const double FullFileShare = 0.25;
    /// <summary>How far past the budget (estimated) path-only units are prepared for the exact fit.</summary>
    public const double TailShare = 1.3;

    private readonly int[] _prefixFull, _prefixSignatures, _prefixNames, _prefixPaths;
    private readonly int _totalFiles;

    private ContextPlan(List<ContextUnit> units, int totalFiles)
    {
        Units = units;
        _totalFiles = totalFiles;
        _prefixFull = new int[units.Count + 1];
        _prefixSignatures = new int[units.Count + 1];
        _prefixNames = new int[units.Count + 1];
        _prefixPaths = new int[units.Count + 1];
        for (int i = 0; i < units.Count; i++)
        {
            var u = units[i];
            _prefixFull[i + 1] = _prefixFull[i] + (u.Kind == UnitKind.FileHeader && u.Level == FileLevel.Full ? 1 : 0);
            _prefixSignatures[i + 1] = _prefixSignatures[i] + (u.Kind == UnitKind.FileHeader && u.Level == FileLevel.Signatures ? 1 : 0);
            _prefixNames[i + 1] = _prefixNames[i] + (u.Kind == UnitKind.FileHeader && u.Level == FileLevel.Names ? 1 : 0);
            _prefixPaths[i + 1] = _prefixPaths[i] + (u.Kind == UnitKind.PathOnly ? 1 : 0);
        }
    }

    /// <summary>The units in output order.</summary>
    public List<ContextUnit> Units { get; }

    /// <summary>Plans the units of <paramref name="document"/> for <paramref name="request"/>, estimating with <paramref name="count"/>.</summary>
    public static ContextPlan Make(StructDocument document, ContextRequest request, Func<string, int> count)
    {
        var ranked = ContextRanker.Rank(document, request.Focus.IsDefault ? [] : request.Focus, request.CoChange);
        // A file's units and their cost at a level are the same in every pass: made and counted once per render.
        var files = new Dictionary<(int File, FileLevel Level), (List<ContextUnit> Units, long Cost)>();
        var plan = Make(document, request, ranked, count, files, relaxed: false, grow: false, out bool shortList, out long estimate);
        if (!shortList || estimate >= 0.9 * request.Budget)
        {
            return plan;
        }
        // When the relevant files ran out well inside the budget, show them in more detail instead of leaving it
        // unused; when even full detail leaves it unused, name more of the next most likely files (paths).
        plan = Make(document, request, ranked, count, files, relaxed: true, grow: false, out shortList, out estimate);
        return shortList && estimate < 0.9 * request.Budget ? Make(document, request, ranked, count, files, relaxed: true, grow: true, out _, out _) : plan;
    }

    private static ContextPlan Make(
        StructDocument document, ContextRequest request, ImmutableArray<ContextRankedFile> ranked, Func<string, int> count,
        Dictionary<(int File, FileLevel Level), (List<ContextUnit> Units, long Cost)> files, bool relaxed, bool grow,
        out bool shortList, out long estimate)
    {
        double fullShare = relaxed ? 0.97 : FullShare, signatureShare = relaxed ? 0.97 : SignatureShare, nameShare = relaxed ? 0.98 : NameShare;
        shortList = false;
        int budget = request.Budget;
        var units = new List<ContextUnit>();
        long used = 0;
        foreach (var unit in ContextUnits.Header(document))
        {
            long cost = count(unit.Text) + 3;
            if (units.Count == 0 || used + cost <= HeaderShare * budget)
            {
                units.Add(unit);
                used += cost;
            }
        }
        var modules = ModulesByPath(document);
        var tail = new List<ContextUnit>();
        bool anyFocus = ranked.Length > 0 && ranked[0].Focused;
        int unrelated = 0, related = 0;
        bool placedAll = true;
        for (int i = 0; i < ranked.Length; i++)
        {
            if (used > TailShare * budget)
            {
                placedAll = false;
                break;
            }
            var file = ranked[i];
            bool around = anyFocus && !file.Focused; // ranked around a focus (not the focus itself)
            bool weak = around && file.Score <= ContextRanker.RelevanceThreshold;
            if (weak && ++unrelated > UnrelatedFiles + (grow ? GrowthPerRelated * related : 0))
            {
                shortList = true;
                break;
            }
            if (around && !weak)
            {
                related++;
            }
            var module = modules[file.Path];
            var why = request.Explain ? Why(file) : null;
            bool placed = false;
            // Past the first few, files with little evidence are only named (paths), and only when the related ones
            // left budget unused: the next most likely files, as cheaply as they can be named.
            if (used <= nameShare * budget && !(weak && unrelated > UnrelatedFiles))
            {
                foreach (var level in (ReadOnlySpan<FileLevel>)[FileLevel.Full, FileLevel.Signatures, FileLevel.Names])
                {
                    if (level == FileLevel.Full && !file.Focused && anyFocus && !relaxed)
                    {
                        continue;
                    }
                    if (!files.TryGetValue((i, level), out var made))
                    {
                        var fresh = ContextUnits.File(module, i, level, why);
                        files[(i, level)] = made = (fresh, fresh.Sum(u => (long)count(u.Text) + 3) + (why is null ? 0 : count(why)));
                    }
                    var (fileUnits, cost) = made;
                    double share = level switch { FileLevel.Full => file.Focused ? fullShare : signatureShare, FileLevel.Signatures => signatureShare, _ => nameShare };
                    // Relaxed, a related file is shown in full only when that costs at most a quarter of the budget:
                    // one big module in full says less than the names of the files after it.
                    if (used + cost <= share * budget && !(relaxed && level == FileLevel.Full && !file.Focused && cost > FullFileShare * budget))
                    {
                        units.AddRange(fileUnits);
                        used += cost;
                        placed = true;
                        break;
                    }
                }
            }
            if (!placed)
            {
                var path = ContextUnits.File(module, i, FileLevel.Path, why)[0];
                tail.Add(path);
                used += count(path.Text) + 2 + (why is null ? 0 : count(why));
            }
        }
        units.AddRange(tail);
        shortList |= placedAll;
        estimate = used;
        return new ContextPlan(units, document.Modules.Length);
    }

    /// <summary>What the first <paramref name="k"/> units show: the files named, by level.</summary>
    public (ImmutableArray<string> Files, int Full, int Signatures, int Names, int Paths) Shown(int k)
    {
        var files = Units.Take(k).Where(u => u.Kind is UnitKind.FileHeader or UnitKind.PathOnly).Select(u => u.Text).ToImmutableArray();
        return (files, _prefixFull[k], _prefixSignatures[k], _prefixNames[k], _prefixPaths[k]);
    }

    /// <summary>The closing note for a prefix of <paramref name="k"/> units: what was shortened or dropped, and which tokenizer counted.</summary>
    public string? Note(int k, string tokenizer)
    {
        int shown = _prefixFull[k] + _prefixSignatures[k] + _prefixNames[k] + _prefixPaths[k];
        if (shown == 0)
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"Shown: {_prefixFull[k]} full, {_prefixSignatures[k]} signatures only, {_prefixNames[k]} names only, {_prefixPaths[k]} paths only; {_totalFiles - shown} files left out. Tokens counted with {tokenizer}.");
    }

    /// <summary>The explanation of a ranked file: its score and the parts it is made of.</summary>
    internal static string Why(ContextRankedFile file)
    {
        if (file.Focused)
        {
            return "focus";
        }
        var p = file.Parts;
        return string.Create(CultureInfo.InvariantCulture,
            $"score {file.Score:0.###} = graph {p.Graph:0.###} + {ContextRanker.CoChangeWeight:0.#}×co-change {p.CoChange:0.###} + {ContextRanker.TestWeight:0.#}×test {p.Test:0.#} + near {ContextRanker.ProximityWeight / (1 + p.Distance):0.###} + {ContextRanker.ChurnWeight:0.#}×churn {p.Churn:0.###} + {ContextRanker.ParameterWeight:0.#}×parameters {p.Parameters:0.###}; import {p.Import}, call {p.Call:0.#}, reverse {p.Reverse}, distance {p.Distance}");
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<StructDocument, Dictionary<string, ModuleInfo>> Modules = [];

    private static Dictionary<string, ModuleInfo> ModulesByPath(StructDocument document) =>
        Modules.GetValue(document, static d =>
        {
            var map = new Dictionary<string, ModuleInfo>(StringComparer.Ordinal);
            foreach (var module in d.Modules)
            {
                map[module.Path] = module;
            }
            return map;
        });
}
