using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Caching;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Parsers.Python;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Caching;

/// <summary>
/// Patching the previous struct.json (a few files changed, each keeping what other modules link to) gives the bytes
/// of a cold run: random edits to function bodies of a linked Python project — calls across modules, methods,
/// inherited members, lines shifted — and sometimes a change that forces a full run.
/// </summary>
public class PatchProperties
{
    private static readonly string[] Modules = ["app/a.py", "app/b.py", "app/c.py", "app/sub/d.py"];

    // Bodies only: the definitions (and so what other modules link to) stay the same.
    private static readonly string[] BodyLines =
    [
        "helper()", "b.run()", "c.Base().go()", "self.go()", "d.deep(1)", "print('x')", "run()", "Base.go(self)",
        "x = 1", "", "# comment", "super().go()", "a.helper()", "'''not a docstring'''",
    ];

    private sealed record Edit(int Module, int Function, string[] Body, int BlankLinesAbove, bool ChangeSurface);

    private static Arbitrary<Edit[][]> Batches() =>
        (from module in Gen.Choose(0, Modules.Length - 1)
         from function in Gen.Choose(0, 2)
         from body in Gen.Elements(BodyLines).ArrayOf()
         from blank in Gen.Choose(0, 3)
         from surface in Gen.Frequency((1, Gen.Constant(true)), (6, Gen.Constant(false)))
         select new Edit(module, function, body, blank, surface)).ArrayOf().Select(e => e.Take(6).ToArray()).ArrayOf().Select(b => b.Take(5).ToArray()).ToArbitrary();

    private static string Source(int module, string[][] bodies, int blank, bool extra)
    {
        var imports = "from app import b, c\nfrom app.sub import d\nimport app.a as a\n";
        var lines = new List<string> { $"\"\"\"Module {module}.\"\"\"", imports.TrimEnd() };
        lines.AddRange(Enumerable.Repeat("", blank));
        string Body(int f) => string.Join("\n", (bodies[f].Length == 0 ? ["pass"] : bodies[f]).Select(l => "    " + (l.Length == 0 ? "pass" : l)));
        string MethodBody(int f) => string.Join("\n", (bodies[f].Length == 0 ? ["pass"] : bodies[f]).Select(l => "        " + (l.Length == 0 ? "pass" : l)));
        lines.Add("def helper():\n" + Body(0));
        lines.Add("def run():\n" + Body(1));
        lines.Add(module == 3 ? "def deep(n):\n" + Body(2) : "class Base:\n    def go(self):\n" + MethodBody(2));
        lines.Add("class Child(Base if False else object):\n    def go(self):\n        super().go()");
        if (extra)
        {
            lines.Add("def added():\n    helper()");
        }
        return string.Join("\n", lines) + "\n";
    }

    private static StructPipeline Pipeline() => new(new ParserRegistry([new PythonParser()]));

    private static readonly LlmStructOptions Options = new() { Project = new ProjectOptions { Name = "p" } };

    [Property(MaxTest = 20)]
    public Property PatchedOutput_EqualsColdOutput() => Prop.ForAll(Batches(), batches =>
    {
        using var tree = new TempTree();
        var bodies = Modules.Select(_ => new[] { new[] { "helper()" }, new[] { "b.run()", "d.deep(1)" }, new[] { "helper()" } }).ToArray();
        var blank = new int[Modules.Length];
        var extra = new bool[Modules.Length];
        int clock = 0;
        void WriteAll(IEnumerable<int> which)
        {
            foreach (var m in which)
            {
                var full = tree.Write(Modules[m], Source(m, bodies[m], blank[m], extra[m]));
                File.SetLastWriteTimeUtc(full, new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++clock));
            }
        }
        tree.Write("app/__init__.py", "");
        tree.Write("app/sub/__init__.py", "");
        WriteAll(Enumerable.Range(0, Modules.Length));
        var output = Path.Combine(tree.Root, "out", "struct.json");
        var cacheDir = Path.Combine(tree.Root, ".llmstruct", "cache");
        Build(tree.Root, output, cacheDir);
        foreach (var batch in batches)
        {
            foreach (var edit in batch)
            {
                bodies[edit.Module][edit.Function] = edit.Body;
                blank[edit.Module] = edit.BlankLinesAbove;
                if (edit.ChangeSurface)
                {
                    extra[edit.Module] = !extra[edit.Module];
                }
            }
            WriteAll(batch.Select(e => e.Module).Distinct());
            var result = Build(tree.Root, output, cacheDir);
            var cold = StructJson.Serialize(Pipeline().RunAsync(new PipelineRequest { Root = tree.Root, Options = Options }).GetAwaiter().GetResult().Document);
            var patched = File.ReadAllBytes(output);
            if (!patched.AsSpan().SequenceEqual(cold))
            {
                return false.Label($"differs after {string.Join("; ", batch.Select(e => e.ToString()))} (patched: {result.ChangedFiles > 0})");
            }
        }
        return true.ToProperty();
    });

    [Fact]
    public void ABodyEdit_PatchesTheOutput_AndASurfaceEditRebuildsIt()
    {
        using var tree = new TempTree();
        tree.Write("app/__init__.py", "");
        tree.Write("app/sub/__init__.py", "");
        string[][] Bodies() => [["helper()"], ["b.run()"], ["helper()"]];
        for (int m = 0; m < Modules.Length; m++)
        {
            File.SetLastWriteTimeUtc(tree.Write(Modules[m], Source(m, Bodies(), 0, false)), new DateTime(2022, 1, 1, 0, 0, m, DateTimeKind.Utc));
        }
        var output = Path.Combine(tree.Root, "out", "struct.json");
        var cacheDir = Path.Combine(tree.Root, ".llmstruct", "cache");
        Assert.NotNull(Build(tree.Root, output, cacheDir).Document);

        File.SetLastWriteTimeUtc(tree.Write(Modules[0], Source(0, [["helper()"], ["c.Base().go()", "d.deep(2)"], ["print(1)"]], 2, false)), new DateTime(2022, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        var patched = Build(tree.Root, output, cacheDir);
        Assert.Null(patched.Document);
        Assert.Equal(1, patched.ChangedFiles);
        Assert.Contains("\"app/a.py#run\"", File.ReadAllText(output), StringComparison.Ordinal); // a called_by entry in c.py / d.py

        File.SetLastWriteTimeUtc(tree.Write(Modules[0], Source(0, Bodies(), 0, true)), new DateTime(2022, 1, 3, 0, 0, 0, DateTimeKind.Utc));
        var rebuilt = Build(tree.Root, output, cacheDir);
        Assert.NotNull(rebuilt.Document);
    }

    private static BuildResult Build(string root, string output, string cacheDir)
    {
        using var cache = ParseCache.Open(cacheDir);
        return Pipeline().BuildAsync(new PipelineRequest { Root = root, Options = Options, Cache = cache }, output).GetAwaiter().GetResult();
    }
}
