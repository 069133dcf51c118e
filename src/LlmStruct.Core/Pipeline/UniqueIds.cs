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

    private static ImmutableArray<Definition> Walk(ImmutableArray<Definition> definitions, HashSet<string> seen)
    {
        if (definitions.IsDefaultOrEmpty)
        {
            return [];
        }
        var builder = ImmutableArray.CreateBuilder<Definition>(definitions.Length);
        foreach (var definition in definitions)
        {
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
            builder.Add(definition with { Id = id, Children = Walk(definition.Children, seen) });
        }
        return builder.MoveToImmutable();
    }
}
