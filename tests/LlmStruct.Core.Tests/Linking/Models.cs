using System.Collections.Immutable;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>
/// Builds models the way the Python and JavaScript parsers emit them (see /work/prompts/python.md and js.md):
/// ids from <see cref="DefinitionIds.Create"/>, qualified names joined with '.', one call per callee text.
/// Tests built on these should switch to the real parsers once those packages are merged.
/// </summary>
internal static class Models
{
    public static ModuleInfo Module(string path, string language, ImmutableArray<ImportInfo> imports, params Definition[] definitions)
    {
        return new ModuleInfo
        {
            Path = path,
            Language = language,
            Sha256 = new string('0', 64),
            Lines = 10,
            Imports = imports,
            Definitions = [.. definitions.Select(d => Rebase(d, path, ""))],
        };
    }

    /// <summary>A definition; its id and qualified name are filled by <see cref="Module"/> from its place in the tree.</summary>
    public static Definition Def(string kind, string name, string[]? calls = null, string[]? bases = null, params Definition[] children) => new()
    {
        Kind = kind,
        Name = name,
        StartLine = 1,
        EndLine = 2,
        Bases = [.. bases ?? []],
        Calls = [.. (calls ?? []).Select((c, i) => new CallInfo { Callee = c, Line = 1, Count = 1 })],
        Children = [.. children],
    };

    public static Definition Fn(string name, params string[] calls) => Def(DefinitionKinds.Function, name, calls);

    public static Definition Method(string name, params string[] calls) => Def(DefinitionKinds.Method, name, calls);

    public static Definition Class(string name, string[] bases, params Definition[] members) => Def(DefinitionKinds.Class, name, null, bases, members);

    public static ImportInfo Import(string module, string? alias = null, string kind = "import", int level = 0, params (string Name, string? Alias)[] names) => new()
    {
        Module = module,
        Kind = kind,
        Alias = alias,
        Level = level,
        Line = 1,
        Names = [.. names.Select(n => new ImportedName { Name = n.Name, Alias = n.Alias })],
    };

    public static ImportInfo From(string module, int level, params (string Name, string? Alias)[] names) => Import(module, null, "from", level, names);

    public static StructDocument Document(params ModuleInfo[] modules) =>
        StructAssembler.Assemble("/nonexistent/fixture", new global::LlmStruct.Configuration.LlmStructOptions { Project = new global::LlmStruct.Configuration.ProjectOptions { Name = "fixture" } }, modules, [], []);

    /// <summary>Every call edge of a linked document as "caller -> target" (resolved only), sorted.</summary>
    public static List<string> Edges(StructDocument document) =>
        [.. AllDefinitions(document).SelectMany(d => d.Calls.Where(c => c.Target is not null).Select(c => $"{d.Id} -> {c.Target}")).Distinct().Order(StringComparer.Ordinal)];

    public static IEnumerable<Definition> AllDefinitions(StructDocument document)
    {
        var stack = new Stack<Definition>(document.Modules.SelectMany(m => m.Definitions).Reverse());
        while (stack.Count > 0)
        {
            var d = stack.Pop();
            yield return d;
            foreach (var child in d.Children.Reverse())
            {
                stack.Push(child);
            }
        }
    }

    /// <summary>Reads an expected-edges.txt (comments with '#' at the start of a line), sorted.</summary>
    public static List<string> Expected(string fixture, string file = "expected-edges.txt") =>
        [.. File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "linking", fixture, file))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Order(StringComparer.Ordinal)];

    /// <summary>Every import as "module | kind level module -> resolved", sorted (the format of expected-imports.txt).</summary>
    public static List<string> Imports(StructDocument document) =>
        [.. document.Modules.SelectMany(m => m.Imports.Select(i => $"{m.Path} | {i.Kind} {i.Level} {i.Module} -> {i.Resolved ?? "-"}")).Order(StringComparer.Ordinal)];

    public static StructDocument Link(StructDocument document, LinkOptions? options = null) => StructLinker.Default.Link(document, options);

    private static Definition Rebase(Definition definition, string path, string prefix)
    {
        var qualified = prefix.Length == 0 ? definition.Name : prefix + "." + definition.Name;
        return definition with
        {
            Id = DefinitionIds.Create(path, qualified),
            QualifiedName = qualified,
            Children = [.. definition.Children.Select(c => Rebase(c, path, qualified))],
        };
    }
}
