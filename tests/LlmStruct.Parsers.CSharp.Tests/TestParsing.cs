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

    public static Definition Def(this ModuleInfo module, string qualifiedName) =>
        module.All().Single(d => d.QualifiedName == qualifiedName);
}
