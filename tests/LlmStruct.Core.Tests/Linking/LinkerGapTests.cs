using LlmStruct.Linking;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>The two gaps the context benchmark found: relative submodule imports and workspace packages built to dist/.</summary>
public sealed class LinkerGapTests
{
    [Fact]
    public void From_dot_import_of_a_submodule_resolves_to_the_submodule_not_the_package()
    {
        var linked = Link(Document(
            Module("pkg/__init__.py", "python", [From("typing", 1, ("Helper", null))]),
            Module("pkg/typing.py", "python", [], Fn("helper")),
            Module("pkg/core.py", "python", [From("", 1, ("typing", "ft"))], Fn("run", "ft.helper")),
            Module("pkg/other.py", "python", [From("", 1, ("missing", null))], Fn("go"))));
        var imports = linked.Modules.ToDictionary(m => m.Path, m => m.Imports.Select(i => i.Resolved).ToArray());
        Assert.Equal("pkg/typing.py", Assert.Single(imports["pkg/core.py"]));
        // A name that is no submodule still means the package.
        Assert.Equal("pkg/__init__.py", Assert.Single(imports["pkg/other.py"]));
        Assert.Contains("pkg/core.py#run -> pkg/typing.py#helper", Edges(linked));
    }

    [Theory]
    [InlineData("{\"name\":\"@demo/ui\",\"main\":\"dist/index.js\"}")]
    [InlineData("{\"name\":\"@demo/ui\",\"exports\":{\".\":{\"import\":\"./dist/esm/index.mjs\",\"require\":\"./dist/cjs/index.cjs\"}}}")]
    public void Workspace_package_built_to_dist_resolves_to_its_sources(string manifest)
    {
        using var tree = new TempTree();
        tree.Write("package.json", "{\"name\":\"root\",\"workspaces\":[\"packages/*\"]}");
        tree.Write("packages/ui/package.json", manifest);
        var document = Document(
            Module("packages/ui/src/index.ts", "javascript", [], Fn("button")),
            Module("app/main.ts", "javascript", [Import("@demo/ui", names: ("button", null))], Fn("go", "button")));
        var options = LinkOptions.FromRoot(tree.Root, document);
        var linked = Link(document, options);
        Assert.Equal("packages/ui/src/index.ts", linked.Modules.Single(m => m.Path == "app/main.ts").Imports[0].Resolved);
        Assert.Equal(["app/main.ts#go -> packages/ui/src/index.ts#button"], Edges(linked));
    }
}
