using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Pipeline;

/// <summary>
/// Guarantees unique definition ids within a module: a repeated id gets <c>~2</c>, <c>~3</c>… in canonical
/// (line, name) order. Parsers already do this; the pipeline enforces it so one parser's slip cannot break the contract.
/// </summary>
internal static class UniqueIds
{
    public static ImmutableArray<Definition> Apply(ImmutableArray<Definition> definitions)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Walk(definitions, seen);
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
