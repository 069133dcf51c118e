using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Tests;

internal static class Js
{
    private static readonly JavaScriptParser Parser = new();

    public static ParseResult Parse(string source, string path = "test.js") => Parser.Parse(SourceFile.FromText(path, source));

    public static ModuleInfo Module(string source, string path = "test.js")
    {
        var result = Parse(source, path);
        Assert.True(result.Errors.Count == 0, string.Join("; ", result.Errors.Select(e => $"{e.Line}:{e.Column} {e.Reason}")));
        return result.Module;
    }

    public static IEnumerable<Definition> All(ModuleInfo module) => module.Definitions.SelectMany(Flatten);

    public static Definition Def(ModuleInfo module, string qualifiedName) => All(module).Single(d => d.QualifiedName == qualifiedName);

    private static IEnumerable<Definition> Flatten(Definition d) => new[] { d }.Concat(d.Children.SelectMany(Flatten));
}
