using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.Python.Tests;

/// <summary>Test helpers.</summary>
internal static class Py
{
    public static readonly PythonParser Parser = new();

    public static ParseResult Parse(string code, string path = "m.py") => Parser.Parse(SourceFile.FromText(path, code));

    public static ModuleInfo Module(string code)
    {
        var result = Parse(code);
        Assert.True(result.Errors.Count == 0, result.Errors.Count > 0 ? $"{result.Errors[0].Reason} @{result.Errors[0].Line}:{result.Errors[0].Column}" : "");
        return result.Module;
    }

    public static ParseError Error(string code)
    {
        var result = Parse(code);
        Assert.True(result.Errors.Count > 0, "expected a syntax error for: " + code);
        return result.Errors[0];
    }

    public static IEnumerable<Definition> All(IEnumerable<Definition> defs) =>
        defs.SelectMany(d => new[] { d }.Concat(All(d.Children)));

    public static Definition Def(ModuleInfo module, string qualifiedName) =>
        All(module.Definitions).Single(d => d.QualifiedName == qualifiedName);
}
