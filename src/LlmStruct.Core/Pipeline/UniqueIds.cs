using System.Collections.Immutable;
using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Pipeline;

/// <summary>
/// Guarantees unique definition ids within a module: a repeated id gets <c>~2</c>, <c>~3</c>… in canonical
/// (line, name) order. Parsers already do this; the pipeline enforces it so one parser's slip cannot break the contract.
/// </summary>
internal static class UniqueIds
{
    // One set per thread, reused from module to module while it stays small (clearing costs its capacity).
    [ThreadStatic]
    private static HashSet<string>? t_seen;

    /// <summary>
    /// The canonical <paramref name="module"/> with unique ids, still canonical: ids are a sort key (after line and
    /// name), so a renamed one can move among definitions of the same line and name, and such a module is put back
    /// in order. Unchanged (the same instance) when every id was unique already.
    /// </summary>
    public static ModuleInfo Apply(ModuleInfo module)
    {
        var seen = t_seen ?? new HashSet<string>(IdComparer.Instance);
        t_seen = null;
        var unique = Walk(module.Definitions, seen);
        if (seen.Count <= 256)
        {
            seen.Clear();
            t_seen = seen;
        }
        return unique == module.Definitions ? module : StructCanonicalizer.Canonicalize(module with { Definitions = unique });
    }

    // Ordinal equality, hashed on the length and the last characters: a module's ids share their path, so hashing
    // all of each id would read the same prefix over and over.
    private sealed class IdComparer : IEqualityComparer<string>
    {
        public static readonly IdComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

        public int GetHashCode(string id) => HashCode.Combine(id.Length, string.GetHashCode(id.AsSpan(Math.Max(0, id.Length - 24))));
    }

    // Parsers already make their ids unique, so this is almost always a read-only walk: a definition is copied
    // only when its id or one of its children's ids had to change.
    private static ImmutableArray<Definition> Walk(ImmutableArray<Definition> definitions, HashSet<string> seen)
    {
        if (definitions.IsDefaultOrEmpty)
        {
            return definitions.IsDefault ? [] : definitions;
        }
        Definition[]? changed = null;
        for (int i = 0; i < definitions.Length; i++)
        {
            var definition = definitions[i];
            var id = definition.Id;
            if (!seen.Add(id))
            {
                int n = 2;
                while (!seen.Add($"{definition.Id}~{n}"))
                {
                    n++;
                }
                id = $"{definition.Id}~{n}";
            }
            var children = Walk(definition.Children, seen);
            if (id != definition.Id || children != definition.Children)
            {
                changed ??= [.. definitions];
                changed[i] = definition with { Id = id, Children = children };
            }
        }
        return changed is null ? definitions : ImmutableArray.Create(changed);
    }
}
