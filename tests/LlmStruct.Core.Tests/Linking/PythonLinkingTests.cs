using LlmStruct.Model;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>
/// The Python fixture (tests/fixtures/linking/python) as the Python parser will emit it. When the Python parser
/// is merged, switch <see cref="Fixture"/> to parsing the fixture folder with the real parser (same expectations).
/// </summary>
public sealed class PythonLinkingTests
{
    private const string Py = "python";

    internal static StructDocument Fixture() => Document(
        Module("app/__init__.py", Py, [From("core", 1, ("Engine", null))]),
        Module("app/core.py", Py,
            [Import("os"), From("util", 1, ("helper", null)), From("", 1, ("util", null)), Import("app.models", "models")],
            Class("Engine", [],
                Method("start", "self.load", "helper", "util.format_name", "models.Model", "os.path.join"),
                Method("load")),
            Fn("run", "Engine", "e.start", "save")),
        Module("app/util.py", Py, [], Fn("helper", "format_name"), Fn("format_name")),
        Module("app/models.py", Py, [],
            Class("Base", [], Method("save")),
            Class("Model", ["Base"], Method("validate", "self.save")),
            Fn("save")),
        Module("main.py", Py, [From("app", 0, ("Engine", null)), Import("app.util")],
            Fn("main", "Engine", "Engine().start", "app.util.helper", "helper")),
        Module("src/pkg/__init__.py", Py, []),
        Module("src/pkg/mod.py", Py, [], Fn("f", "g"), Fn("g")),
        Module("tests/test_mod.py", Py, [Import("pytest"), From("pkg.mod", 0, ("f", null))],
            Fn("test_f", "f", "pytest.raises")));

    [Fact]
    public void Fixture_call_graph_is_exactly_the_expected_edges()
    {
        var linked = Link(Fixture());
        Assert.Equal(Expected("python"), Edges(linked));
    }

    [Fact]
    public void Module_names_that_need_normalizing_resolve_like_their_normal_spelling()
    {
        // The parsers never write "app..util" or "app.util.", but a model from elsewhere may: empty segments are
        // dropped (as they always were), and the answer is the index's own path string.
        var index = new LlmStruct.Linking.LinkIndex(Fixture().Modules);
        var plain = LlmStruct.Linking.PythonLinker.ResolveModule("main.py", "app.util", 0, index);
        Assert.Equal("app/util.py", plain?.ModulePath);
        foreach (var odd in new[] { "app..util", "app.util." })
        {
            var found = LlmStruct.Linking.PythonLinker.ResolveModule("main.py", odd, 0, index);
            Assert.Equal(plain, found);
            Assert.Same(plain?.ModulePath, found?.ModulePath);
        }
    }

    [Fact]
    public void Fixture_imports_resolve_to_project_modules()
    {
        var linked = Link(Fixture());
        Assert.Equal(Expected("python", "expected-imports.txt"), Imports(linked));
    }

    [Fact]
    public void Same_named_functions_in_unrelated_modules_are_not_linked()
    {
        var linked = Link(Fixture());
        var run = AllDefinitions(linked).Single(d => d.Id == "app/core.py#run");
        Assert.Null(run.Calls.Single(c => c.Callee == "save").Target);
        var main = AllDefinitions(linked).Single(d => d.Id == "main.py#main");
        Assert.Null(main.Calls.Single(c => c.Callee == "helper").Target);
    }

    [Fact]
    public void Called_by_is_filled_from_resolved_calls()
    {
        var linked = Link(Fixture());
        var helper = AllDefinitions(linked).Single(d => d.Id == "app/util.py#helper");
        Assert.Equal(new[] { "app/core.py#Engine.start", "main.py#main" }, helper.CalledBy.ToArray());
    }

    [Fact]
    public void Relative_import_beyond_the_root_and_external_modules_stay_unresolved()
    {
        var linked = Link(Document(Module("a.py", Py, [From("x", 3, ("y", null)), Import("numpy", "np")], Fn("f", "np.array", "y"))));
        Assert.All(linked.Modules[0].Imports, i => Assert.Null(i.Resolved));
        Assert.Equal(2, linked.Stats.CallEdgesUnresolved);
        Assert.Equal(0, linked.Stats.CallEdgesResolved);
    }

    [Fact]
    public void Star_imports_and_nested_functions_resolve()
    {
        var linked = Link(Document(
            Module("lib.py", Py, [], Fn("tool")),
            Module("use.py", Py, [From("lib", 0, ("*", null))], Def(DefinitionKinds.Function, "outer", ["inner", "tool"], null, Fn("inner")))));
        Assert.Equal(["use.py#outer -> lib.py#tool", "use.py#outer -> use.py#outer.inner"], Edges(linked));
    }

    [Fact]
    public void Cycles_through_star_imports_re_exports_and_bases_terminate()
    {
        // a and b star-import each other (and 30 more modules do the same): a lookup that fails must stay cheap.
        var modules = new List<ModuleInfo>();
        for (int i = 0; i < 32; i++)
        {
            var imports = Enumerable.Range(0, 32).Where(j => j != i).Select(j => From($"m{j}", 0, ("*", null))).ToArray();
            modules.Add(Module($"m{i}.py", Py, [.. imports], Fn($"f{i}", "missing", $"f{(i + 1) % 32}")));
        }
        modules.Add(Module("cyc.py", Py, [], Class("A", ["B"], Method("m", "self.nothing")), Class("B", ["A"], Method("n", "self.m"))));
        var linked = Link(Document([.. modules]));
        Assert.Contains("m0.py#f0 -> m1.py#f1", Edges(linked));
        Assert.Contains("cyc.py#B.n -> cyc.py#A.m", Edges(linked));
        Assert.Equal(33, linked.Stats.CallEdgesUnresolved);
    }

    [Fact]
    public void Super_calls_resolve_to_the_base_class_member()
    {
        var linked = Link(Document(
            Module("base.py", Py, [], Class("Base", [], Method("save"), Method("__init__"))),
            Module("child.py", Py, [From("base", 0, ("Base", null))],
                Class("Child", ["Base"], Method("save", "super().save", "super().__init__", "super().missing")))));
        Assert.Equal(["child.py#Child.save -> base.py#Base.__init__", "child.py#Child.save -> base.py#Base.save"], Edges(linked));
    }
}
