namespace LlmStruct.Tasks.Toml;

/// <summary>Checks over the <c>depends_on</c> graph.</summary>
public static class TaskGraph
{
    /// <summary>
    /// A cycle in <c>depends_on</c> (ids in order, starting from the smallest id on it, ordinal), or null.
    /// Dependencies on ids that are not in <paramref name="tasks"/> are ignored here (they are reported as unresolved).
    /// </summary>
    public static IReadOnlyList<string>? FindCycle(IEnumerable<ProjectTask> tasks)
    {
        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var t in tasks)
        {
            edges.TryAdd(t.Id, t.DependsOn);
        }
        // 0 unvisited, 1 on the stack, 2 done; iterative so a long chain cannot overflow the stack.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(start) != 0)
            {
                continue;
            }
            var path = new List<string>();
            var stack = new Stack<(string Id, int Next)>();
            stack.Push((start, 0));
            state[start] = 1;
            path.Add(start);
            while (stack.Count > 0)
            {
                var (id, next) = stack.Pop();
                var deps = edges[id];
                if (next < deps.Count)
                {
                    stack.Push((id, next + 1));
                    var dep = deps[next];
                    if (!edges.ContainsKey(dep))
                    {
                        continue;
                    }
                    switch (state.GetValueOrDefault(dep))
                    {
                        case 1:
                            var cycle = path.Skip(path.IndexOf(dep)).ToList();
                            int smallest = cycle.IndexOf(cycle.Min(StringComparer.Ordinal)!);
                            return [.. cycle.Skip(smallest), .. cycle.Take(smallest)];
                        case 0:
                            state[dep] = 1;
                            path.Add(dep);
                            stack.Push((dep, 0));
                            break;
                    }
                }
                else
                {
                    state[id] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        return null;
    }
}
