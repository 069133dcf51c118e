using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.CSharp.Tests;

/// <summary>Shortcuts shared by the tests.</summary>
internal static class TestParsing
{
    public static readonly CSharpParser Parser = new();

    public static ParseResult Parse(string source, string path = "src/A.cs") =>
        Parser.Parse(SourceFile.FromText(path, source.ReplaceLineEndings("\n")));

    public static ModuleInfo Module(string source) => Parse(source).Module;

    /// <summary>Every definition, nested ones included, in pre-order.</summary>
    public static IEnumerable<Definition> All(this ModuleInfo module) => Flatten(module.Definitions);

    public static IEnumerable<Definition> Flatten(IEnumerable<Definition> definitions)
    {
        foreach (var d in definitions)
        {
            yield return d;
            foreach (var child in Flatten(d.Children))
            {
                yield return child;
            }
        }
    }

    /// <summary>
    /// The rules of the struct.json schema and the model a parser must keep, whatever its input: non-empty names,
    /// callees and parameter names, lines from 1 with end ≥ start, known kinds, ids unique in the file.
    /// Returns the first broken rule, or null.
    /// </summary>
    public static string? BrokenRule(ParseResult result, string path)
    {
        string[] visibilities = ["public", "private", "protected", "internal", "protected_internal", "private_protected"];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in Flatten(result.Module.Definitions))
        {
            if (d.Name.Length == 0 || d.QualifiedName.Length == 0 || !d.Id.StartsWith(path + "#", StringComparison.Ordinal) || !ids.Add(d.Id))
            {
                return $"bad name or id: '{d.Id}' '{d.QualifiedName}'";
            }
            if (d.StartLine < 1 || d.EndLine < d.StartLine || !DefinitionKinds.All.Contains(d.Kind))
            {
                return $"bad lines or kind: {d.Id} {d.StartLine}-{d.EndLine} {d.Kind}";
            }
            if (d.Visibility is not null && !visibilities.Contains(d.Visibility))
            {
                return $"bad visibility: {d.Id} {d.Visibility}";
            }
            if (d.Parameters.Any(p => p.Name.Length == 0 || !ParameterKinds.All.Contains(p.Kind)))
            {
                return $"bad parameter: {d.Id}";
            }
            if (d.Calls.Any(c => c.Callee.Length == 0 || c.Line < 1 || c.Count < 1))
            {
                return $"bad call: {d.Id}";
            }
            if (d.Modifiers.Any(m => m.Length == 0) || !d.Modifiers.SequenceEqual(d.Modifiers.Order(StringComparer.Ordinal)))
            {
                return $"bad modifiers: {d.Id}";
            }
        }
        if (result.Module.Imports.Any(i => i.Line < 1))
        {
            return "bad import line";
        }
        if (result.Errors.Any(e => e.File != path || e.Line < 0 || e.Column < 0 || e.Reason.Length == 0))
        {
            return "bad error";
        }
        return null;
    }

    public static Definition Def(this ModuleInfo module, string qualifiedName) =>
        module.All().Single(d => d.QualifiedName == qualifiedName);
}
