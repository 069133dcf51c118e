using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Ranking;

public static partial class ContextRanker
{
    /// <summary>
    /// Each file's share of the focus's parameter names (<see cref="ScoreParts.Parameters"/>): for every name a focused
    /// file's definitions take, each other file whose definitions take it too gets 1 / (other files taking it), capped
    /// at 1. A name only one other file takes (<c>proxies</c> in a client and the CLI that passes it on) counts 1; a
    /// name half the project takes (<c>self</c>, <c>url</c>) almost nothing, so weak evidence stays weak. A change to
    /// an option sweeps through the functions that pass it along, whether or not they call each other. One pass over
    /// the files taking each of the focus's names: linear in the index, never in files × files.
    /// </summary>
    private static double[] SharedParameters(FileGraph graph, HashSet<int> focused)
    {
        int n = graph.Paths.Length;
        // The focus's names and how many focused files take each, in name order so the sums are made in one order.
        var focusNames = new SortedDictionary<int, int>();
        foreach (int f in focused)
        {
            foreach (int name in graph.ParameterNames[f])
            {
                focusNames[name] = focusNames.GetValueOrDefault(name) + 1;
            }
        }
        var result = new double[n];
        foreach (var (name, focusedTaking) in focusNames)
        {
            int start = graph.ParameterStart[name], end = graph.ParameterStart[name + 1];
            int others = end - start - focusedTaking;
            if (others == 0)
            {
                continue;
            }
            double each = 1.0 / others;
            for (int e = start; e < end; e++)
            {
                result[graph.ParameterFiles[e]] += each;
            }
        }
        for (int i = 0; i < n; i++)
        {
            result[i] = Math.Min(1, result[i]);
        }
        return result;
    }

    /// <summary>
    /// The parameter names of every file's definitions (nested ones included) as postings per distinct name. Names are
    /// numbered in path order, so the numbers (and the order sums are made in) do not depend on the module order.
    /// </summary>
    private static (int[] Start, int[] Files, int[][] Names) ParameterIndex(StructDocument document, Dictionary<string, int> slot, int n)
    {
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new int[n][];
        var seen = new HashSet<int>();
        foreach (var module in document.Modules.OrderBy(m => slot[m.Path]))
        {
            seen.Clear();
            Collect(module.Definitions, numbers, seen);
            int file = slot[module.Path];
            var mine = names[file] is { } earlier ? earlier.Union(seen).ToArray() : [.. seen];
            Array.Sort(mine);
            names[file] = mine;
        }
        var start = new int[numbers.Count + 1];
        for (int i = 0; i < n; i++)
        {
            names[i] ??= [];
            foreach (int name in names[i])
            {
                start[name + 1]++;
            }
        }
        for (int k = 0; k < numbers.Count; k++)
        {
            start[k + 1] += start[k];
        }
        var files = new int[start[^1]];
        var next = start[..^1];
        for (int i = 0; i < n; i++)
        {
            foreach (int name in names[i])
            {
                files[next[name]++] = i;
            }
        }
        return (start, files, names);

        static void Collect(ImmutableArray<Definition> definitions, Dictionary<string, int> numbers, HashSet<int> seen)
        {
            foreach (var definition in definitions)
            {
                foreach (var parameter in definition.Parameters)
                {
                    if (parameter.Name.Length == 0)
                    {
                        continue;
                    }
                    if (!numbers.TryGetValue(parameter.Name, out int number))
                    {
                        numbers[parameter.Name] = number = numbers.Count;
                    }
                    seen.Add(number);
                }
                Collect(definition.Children, numbers, seen);
            }
        }
    }
}
