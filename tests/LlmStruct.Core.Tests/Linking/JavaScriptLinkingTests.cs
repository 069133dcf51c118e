using System.Collections.Immutable;
using LlmStruct.Linking;
using LlmStruct.Model;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>
/// The JavaScript fixture (tests/fixtures/linking/javascript) as the JavaScript parser will emit it. When that
/// parser is merged, switch <see cref="Fixture"/> to parsing the fixture folder with it (same expectations).
/// </summary>
public sealed class JavaScriptLinkingTests
{
    private const string Js = "javascript";

    internal static StructDocument Fixture() => Document(
        Module("src/index.js", Js,
            [Import("./util.js", names: ("helper", null)), Import("./store", names: ("default", "Store")), Import("./format/index.js", names: ("*", "fmt"))],
            Fn("main", "helper", "Store", "fmt.pad", "other")),
        Module("src/util.js", Js, [], Fn("helper", "inner"), Fn("inner")),
        Module("src/store.js", Js, [],
            Class("Store", [], Def(DefinitionKinds.Constructor, "constructor", ["this.load"]), Method("load"))),
        Module("src/format/index.js", Js, [Import("../util.js", kind: "reexport", names: ("helper", "h"))], Fn("pad")),
        Module("src/legacy.js", Js, [Import("./util", "u", "require")], Fn("go", "u.helper"), Fn("helper")),
        Module("src/app.js", Js, [Import("./format", names: ("h", null)), Import("demo", names: ("default", "lib"))],
            Fn("run", "h", "pad", "lib.main")));

    internal static LinkOptions Options() => new()
    {
        PackageManifests = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [new KeyValuePair<string, string>("",
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "linking", "javascript", "package.json")))]),
    };

    [Fact]
    public void Fixture_call_graph_is_exactly_the_expected_edges()
    {
        var linked = Link(Fixture(), Options());
        Assert.Equal(Expected("javascript"), Edges(linked));
    }

    [Fact]
    public void Fixture_imports_resolve_with_extensions_index_files_and_package_names()
    {
        var linked = Link(Fixture(), Options());
        Assert.Equal(Expected("javascript", "expected-imports.txt"), Imports(linked));
    }

    [Fact]
    public void Package_json_main_is_an_entry_point()
    {
        var linked = Link(Fixture(), Options());
        Assert.Contains(linked.Context.Files, f => f.Path == "src/index.js" && f.Reason == "entry_point");
    }

    [Theory]
    [InlineData("{\"exports\": \"./lib/main.js\"}", "./lib/main.js")]
    [InlineData("{\"exports\": {\".\": {\"import\": \"./esm.js\", \"require\": \"./cjs.js\"}}}", "./esm.js")]
    [InlineData("{\"main\": \"index2.js\"}", "index2.js")]
    [InlineData("{not json", null)]
    public void Manifest_entry_prefers_exports_then_main(string manifest, string? expected) =>
        Assert.Equal(expected, JavaScriptLinker.ManifestEntry(manifest));

    [Fact]
    public void Object_literal_methods_resolve_this_to_siblings()
    {
        var linked = Link(Document(Module("o.js", Js, [], Fn("api.get", "this.put"), Fn("api.put"))));
        // Qualified names with a dot come from `api.get = function…` / object literals.
        Assert.Single(Edges(linked));
    }

    [Fact]
    public void FromRoot_reads_package_json_beside_modules_and_in_parent_folders()
    {
        using var tree = new TempTree();
        tree.Write("package.json", "{\"name\":\"root\"}");
        tree.Write("packages/ui/package.json", "{\"name\":\"@demo/ui\",\"main\":\"lib/index.js\"}");
        tree.Write("other/package.json", "{}");
        var document = Document(Module("packages/ui/lib/index.js", Js, [], Fn("button")), Module("app/main.js", Js, [Import("@demo/ui", names: ("button", null))], Fn("go", "button")));
        var options = LinkOptions.FromRoot(tree.Root, document);
        Assert.Equal(["", "packages/ui"], options.PackageManifests.Keys);
        Assert.Equal(["app/main.js#go -> packages/ui/lib/index.js#button"], Edges(Link(document, options)));
    }

    [Fact]
    public void Super_and_inherited_this_calls_follow_extends()
    {
        var linked = Link(Document(
            Module("base.js", Js, [], Class("Base", [], Method("init"), Method("render"))),
            Module("view.js", Js, [Import("./base.js", names: ("Base", null))],
                Class("View", ["Base"], Method("render", "super.render", "this.init")))));
        Assert.Equal(["view.js#View.render -> base.js#Base.init", "view.js#View.render -> base.js#Base.render"], Edges(linked));
    }
}
