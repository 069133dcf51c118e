using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Core.Tests.Linking.Reference;
using LlmStruct.Json;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>
/// The optimized linkers (per-module binding tables, star-import name filters, lookups by characters, one rebuild
/// per module) against the linkers as they were before (<c>Reference/</c>): random projects full of what makes
/// name resolution subtle — star-import chains and cycles, re-exports, aliases, relative imports, packages and
/// namespace packages, inheritance through imported bases, self/cls/super calls, dotted module walks — must link
/// to the same bytes.
/// </summary>
public class LinkerEquivalenceProperties
{
    private static readonly StructLinker Reference = new([new ReferencePythonLinker(), new ReferenceJavaScriptLinker(), new CSharpLinker()]);

    private static readonly string[] PythonPaths =
    [
        "a.py", "b.py", "c.py", "pkg/__init__.py", "pkg/x.py", "pkg/y.py", "pkg/sub/__init__.py", "pkg/sub/z.py",
        "ns/w.py", "src/lib/__init__.py", "src/lib/core.py", "tests/test_a.py", "stubs.pyi",
    ];

    private static readonly string[] ModuleNames = ["a", "b", "c", "pkg", "pkg.x", "pkg.y", "pkg.sub", "pkg.sub.z", "ns.w", "lib", "lib.core", "os", "stubs", "x", "sub", ""];
    private static readonly string[] Names = ["f", "g", "h", "C", "D", "Base", "x", "y", "z", "sub", "core", "helper", "*", "*", "m"];
    private static readonly string?[] Aliases = [null, null, null, "m1", "g", "C", "alias"];
    private static readonly string[] Bases = ["Base", "C", "D", "x.C", "pkg.x.C", "m1.Base", "object", "metaclass=M", "sub.z.D"];
    private static readonly string[] Callees =
    [
        "f", "g", "h", "helper", "len", "C", "D", "Base", "C.m", "self.m", "self.f", "self.n", "cls.m", "super().m", "super().n",
        "x.f", "x.C", "x.C.m", "pkg.x.f", "pkg.sub.z.f", "sub.z.D", "m1.f", "m1.C.m", "alias.g", "os.path.join", "core.f",
        "lib.core.helper", "inner", "inner.deep", "C().m", "a.b.c.d", "y.h",
    ];

    private static Gen<ImportInfo> PythonImport() =>
        Gen.OneOf(
            from module in Gen.Elements(ModuleNames)
            from alias in Gen.Elements(Aliases)
            select Import(module.Length == 0 ? "a" : module, alias),
            from module in Gen.Elements(ModuleNames)
            from level in Gen.Frequency((4, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(4)))
            from names in (from name in Gen.Elements(Names)
                           from alias in Gen.Elements(Aliases)
                           select (Name: name, Alias: name == "*" ? null : alias)).ArrayOf().Where(n => n.Length is > 0 and < 4)
            select From(level == 0 && module.Length == 0 ? "a" : module, level, names));

    private static Gen<Definition> PythonDefinition(int depth) =>
        Gen.OneOf(
            from name in Gen.Elements("f", "g", "h", "helper", "inner", "m", "n")
            from calls in Gen.Elements(Callees).ArrayOf().Select(c => c.Distinct().Take(5).ToArray())
            from children in depth > 1 ? PythonDefinition(depth - 1).ArrayOf().Select(c => c.Take(2).ToArray()) : Gen.Constant(Array.Empty<Definition>())
            select Def(DefinitionKinds.Function, name, calls, null, children),
            from name in Gen.Elements("C", "D", "Base")
            from bases in Gen.Elements(Bases).ArrayOf().Select(b => b.Distinct().Take(2).ToArray())
            from methods in (from method in Gen.Elements("m", "n", "f", "__init__")
                             from calls in Gen.Elements(Callees).ArrayOf().Select(c => c.Distinct().Take(5).ToArray())
                             select Def(DefinitionKinds.Method, method, calls)).ArrayOf().Select(m => m.DistinctBy(d => d.Name).Take(3).ToArray())
            select Def(DefinitionKinds.Class, name, null, bases, methods));

    private static Gen<ModuleInfo> PythonModule(string path) =>
        from imports in PythonImport().ArrayOf().Select(i => i.Take(6).ToArray())
        from definitions in PythonDefinition(3).ArrayOf().Select(d => d.DistinctBy(x => x.Name).Take(4).ToArray())
        select Module(path, "python", [.. imports.Select((import, line) => import with { Line = line + 1 })], definitions);

    private static Arbitrary<StructDocument> PythonProjects() =>
        (from paths in Gen.SubListOf(PythonPaths).Where(p => p.Count > 0)
         from modules in Gen.CollectToArray(paths, PythonModule)
         select Document([.. modules])).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property PythonProjects_LinkAsTheReferenceLinkerDoes() =>
        Prop.ForAll(PythonProjects(), document =>
        {
            var expected = StructJson.Serialize(Reference.Link(document));
            var actual = StructJson.Serialize(StructLinker.Default.Link(document));
            return expected.AsSpan().SequenceEqual(actual);
        });

    private static readonly string[] JsPaths = ["index.js", "lib/a.js", "lib/b.mjs", "lib/index.js", "util/c.cjs", "util/d.jsx", "pkgs/p/index.js", "pkgs/p/main.js"];
    private static readonly string[] Specifiers = ["./lib/a.js", "./lib/a", "./lib", "../lib/b.mjs", "./util/c.cjs", "./c", "./d", "../index.js", "p", "p/main", "node:fs", "react", "."];
    private static readonly string[] JsNames = ["default", "*", "f", "g", "Widget", "helper", "exports.f", "x"];
    private static readonly string[] JsCallees = ["f", "g", "helper", "Widget", "ns.f", "ns.g", "x.f", "this.m", "this.n", "super.m", "require", "obj.m", "exports.f", "module.exports.g", "h"];

    private static Gen<ImportInfo> JsImport() =>
        from specifier in Gen.Elements(Specifiers)
        from kind in Gen.Elements("import", "require", "reexport", "dynamic")
        from alias in Gen.Elements<string?>(null, null, "ns", "x")
        from names in (from name in Gen.Elements(JsNames)
                       from local in Gen.Elements<string?>(null, null, "f", "g", "h", "ns")
                       select (Name: name, Alias: local)).ArrayOf().Select(n => n.Take(3).ToArray())
        select Import(specifier, alias, kind, 0, names);

    private static Gen<Definition> JsDefinition() =>
        Gen.OneOf(
            from name in Gen.Elements("f", "g", "h", "helper", "default", "exports.f", "module.exports.g", "obj.m", "obj.n")
            from calls in Gen.Elements(JsCallees).ArrayOf().Select(c => c.Distinct().Take(4).ToArray())
            select Def(DefinitionKinds.Function, name, calls),
            from name in Gen.Elements("Widget", "Base")
            from bases in Gen.Elements("Base", "ns.Base", "x.Widget", "Widget").ArrayOf().Select(b => b.Distinct().Take(1).ToArray())
            from methods in (from method in Gen.Elements("m", "n", "constructor")
                             from calls in Gen.Elements(JsCallees).ArrayOf().Select(c => c.Distinct().Take(4).ToArray())
                             select Def(DefinitionKinds.Method, method, calls)).ArrayOf().Select(m => m.DistinctBy(d => d.Name).Take(2).ToArray())
            select Def(DefinitionKinds.Class, name, null, bases, methods));

    private static Arbitrary<StructDocument> JsProjects() =>
        (from paths in Gen.SubListOf(JsPaths).Where(p => p.Count > 0)
         from modules in Gen.CollectToArray(paths, path =>
             from imports in JsImport().ArrayOf().Select(i => i.Take(5).ToArray())
             from definitions in JsDefinition().ArrayOf().Select(d => d.DistinctBy(x => x.Name).Take(4).ToArray())
             select Module(path, "javascript", [.. imports.Select((import, line) => import with { Line = line + 1 })], definitions))
         select Document([.. modules])).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property JavaScriptProjects_LinkAsTheReferenceLinkerDoes() =>
        Prop.ForAll(JsProjects(), document =>
        {
            var options = new LinkOptions
            {
                PackageManifests = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                    [new KeyValuePair<string, string>("pkgs/p", """{"name": "p", "main": "main.js"}""")]),
            };
            var expected = StructJson.Serialize(Reference.Link(document, options));
            var actual = StructJson.Serialize(StructLinker.Default.Link(document, options));
            return expected.AsSpan().SequenceEqual(actual);
        });

    [Fact]
    public void StarImportCycles_AndDeepReExportChains_LinkAsTheReferenceDoes()
    {
        // A ring of packages re-exporting each other with star imports, longer than the linker's depth limit, and
        // a chain of re-exports through aliases: the shapes where a lookup's answer depends on how deep it starts.
        var modules = new List<ModuleInfo>();
        for (int i = 0; i < 16; i++)
        {
            modules.Add(Module($"ring/p{i}.py", "python", [From($"p{(i + 1) % 16}", 1, ("*", null)), From($"p{(i + 5) % 16}", 1, ("g", $"g{i}"))],
                Fn($"f{i}", "f0", "f15", $"g{i}", "g", "missing", $"p{(i + 3) % 16}.f{(i + 7) % 16}")));
            modules.Add(Module($"chain/c{i}.py", "python", [From($"c{i + 1}", 1, ("h", null)), Import($"chain.c{(i + 2) % 16}", "nxt")],
                Fn($"use{i}", "h", "nxt.h", "nxt.use0")));
        }
        modules.Add(Module("ring/__init__.py", "python", [From("p0", 1, ("*", null))]));
        modules.Add(Module("chain/c16.py", "python", [], Fn("h")));
        modules.Add(Module("main.py", "python", [Import("ring"), From("ring", 0, ("*", null)), From("chain.c0", 0, ("h", null))],
            Fn("main", "ring.f3", "f9", "h", "ring.p4.f4", "g2")));
        var document = Document([.. modules]);
        Assert.Equal(StructJson.Serialize(Reference.Link(document)), StructJson.Serialize(StructLinker.Default.Link(document)));
        Assert.True(StructLinker.Default.Link(document).Stats.CallEdgesResolved > 10);
    }

    /// <summary>A few packages of the machine's Python library (or all of it with LLMSTRUCT_FULL_CORPUS=1), parsed by the real parser.</summary>
    [SkippableLibraryFact]
    public void PythonLibrary_LinksAsTheReferenceLinkerDoes()
    {
        var full = Environment.GetEnvironmentVariable("LLMSTRUCT_FULL_CORPUS") == "1";
        var services = new ServiceCollection();
        services.AddLlmStruct().AddPythonParser().AddJavaScriptParser();
        using var provider = services.BuildServiceProvider();
        var options = new global::LlmStruct.Configuration.LlmStructOptions();
        if (!full)
        {
            options.Parsing.Include = ["unittest/**", "email/**", "asyncio/**", "json/**", "test/test_json/**", "tkinter/**", "idlelib/**"];
        }
        var document = provider.GetRequiredService<StructPipeline>()
            .RunAsync(new PipelineRequest { Root = SkippableLibraryFactAttribute.Library!, Options = options }).GetAwaiter().GetResult().Document;
        Assert.True(document.Stats.CallEdgesResolved > 1000);
        Assert.Equal(StructJson.Serialize(Reference.Link(document)), StructJson.Serialize(document));
    }
}

/// <summary>Skips, saying why, when python3 (whose library is the corpus) is not on the machine.</summary>
public sealed class SkippableLibraryFactAttribute : FactAttribute
{
    /// <summary>The Python library folder, or null.</summary>
    public static readonly string? Library = Find();

    /// <summary>Sets the skip reason when there is no library.</summary>
    public SkippableLibraryFactAttribute()
    {
        if (Library is null)
        {
            Skip = "python3 is not on this machine: its library is the corpus of this test";
        }
    }

    private static string? Find()
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("python3", ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = System.Diagnostics.Process.Start(start)!;
            var path = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && Directory.Exists(path) ? path : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
