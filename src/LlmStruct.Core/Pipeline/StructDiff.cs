using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Pipeline;

/// <summary>What changed between two documents, by module path and definition id; every list sorted ordinally.</summary>
public sealed record StructChanges(
    IReadOnlyList<string> ModulesAdded,
    IReadOnlyList<string> ModulesRemoved,
    IReadOnlyList<string> ModulesChanged,
    IReadOnlyList<string> DefinitionsAdded,
    IReadOnlyList<string> DefinitionsRemoved,
    IReadOnlyList<string> DefinitionsChanged)
{
    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => ModulesAdded.Count + ModulesRemoved.Count + ModulesChanged.Count
        + DefinitionsAdded.Count + DefinitionsRemoved.Count + DefinitionsChanged.Count == 0;
}

/// <summary>Compares two struct documents.</summary>
public static class StructDiff
{
    /// <summary>
    /// Modules are changed when their content hash differs; definitions are changed when anything but their
    /// children differs (a changed child is reported itself, not through its parent).
    /// </summary>
    public static StructChanges Compare(StructDocument before, StructDocument after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var oldModules = before.Modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
        var newModules = after.Modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
        var oldDefs = Flatten(before);
        var newDefs = Flatten(after);
        return new StructChanges(
            Sorted(newModules.Keys.Where(p => !oldModules.ContainsKey(p))),
            Sorted(oldModules.Keys.Where(p => !newModules.ContainsKey(p))),
            Sorted(newModules.Where(p => oldModules.TryGetValue(p.Key, out var old) && old.Sha256 != p.Value.Sha256).Select(p => p.Key)),
            Sorted(newDefs.Keys.Where(id => !oldDefs.ContainsKey(id))),
            Sorted(oldDefs.Keys.Where(id => !newDefs.ContainsKey(id))),
            Sorted(newDefs.Where(p => oldDefs.TryGetValue(p.Key, out var old) && !old.AsSpan().SequenceEqual(p.Value)).Select(p => p.Key)));
    }

    private static Dictionary<string, byte[]> Flatten(StructDocument document)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var stack = new Stack<Definition>(document.Modules.SelectMany(m => m.Definitions));
        while (stack.Count > 0)
        {
            var definition = stack.Pop();
            result[definition.Id] = StructJson.SerializeCompact(definition with { Children = [] });
            foreach (var child in definition.Children)
            {
                stack.Push(child);
            }
        }
        return result;
    }

    private static string[] Sorted(IEnumerable<string> values) => [.. values.Order(StringComparer.Ordinal)];
}
