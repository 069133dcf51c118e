using System.Collections.Immutable;
using LlmStruct.Linking;
using LlmStruct.Model;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>TypeScript modules link with the JavaScript rules, with each other and with JavaScript, and through tsconfig.json paths/baseUrl.</summary>
public sealed class TypeScriptLinkingTests
{
    private const string Ts = "typescript";

    private static LinkOptions Config(params (string Folder, string Json)[] configs) => new()
    {
        TypeScriptConfigs = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, configs.Select(c => new KeyValuePair<string, string>(c.Folder, c.Json))),
    };

    [Fact]
    public void Ts_modules_resolve_relative_imports_with_extension_probing_and_js_suffixes()
    {
        var linked = Link(Document(
            Module("src/main.ts", Ts, [Import("./util.js", names: ("helper", null)), Import("./legacy", names: ("old", null))], Fn("main", "helper", "old")),
            Module("src/util.ts", Ts, [], Fn("helper")),
            Module("src/legacy.js", "javascript", [], Fn("old"))));
        Assert.Equal<string?>(["src/util.ts", "src/legacy.js"], linked.Modules.Single(m => m.Path == "src/main.ts").Imports.Select(i => i.Resolved));
        Assert.Equal(2, Edges(linked).Count);
    }

    [Fact]
    public void Tsconfig_paths_map_aliases_longest_prefix_first_then_base_url()
    {
        const string tsconfig = """
            {
              // comments and trailing commas are allowed
              "compilerOptions": {
                "baseUrl": "./src",
                "paths": { "@/*": ["./*"], "@lib/*": ["../lib/*", "./vendor/*"], "config": ["./settings/index.ts"], },
              },
            }
            """;
        var linked = Link(Document(
            Module("src/app/main.ts", Ts,
                [Import("@/util/format", names: ("pad", null)), Import("@lib/math", names: ("add", null)), Import("config", names: ("load", null)),
                 Import("models/user", names: ("User", null)), Import("react", names: ("useState", null))],
                Fn("main", "pad", "add", "load", "User", "useState")),
            Module("src/util/format.ts", Ts, [], Fn("pad")),
            Module("lib/math.ts", Ts, [], Fn("add")),
            Module("src/settings/index.ts", Ts, [], Fn("load")),
            Module("src/models/user.ts", Ts, [], Class("User", []))), Config(("", tsconfig)));
        Assert.Equal<string?>(["src/util/format.ts", "lib/math.ts", "src/settings/index.ts", "src/models/user.ts", null],
            linked.Modules.Single(m => m.Path == "src/app/main.ts").Imports.Select(i => i.Resolved));
        Assert.Equal(4, Edges(linked).Count);
    }

    [Fact]
    public void The_nearest_tsconfig_with_mappings_governs_and_bad_json_maps_nothing()
    {
        var document = Document(
            Module("packages/a/src/index.ts", Ts, [Import("~/x", names: ("x", null))], Fn("go", "x")),
            Module("packages/a/src/x.ts", Ts, [], Fn("x")),
            Module("packages/b/index.ts", Ts, [Import("~/x", names: ("x", null))], Fn("go", "x")));
        var linked = Link(document, Config(("packages/a", "{\"compilerOptions\":{\"paths\":{\"~/*\":[\"src/*\"]}}}"), ("packages/b", "{not json")));
        Assert.Equal("packages/a/src/x.ts", linked.Modules.Single(m => m.Path == "packages/a/src/index.ts").Imports[0].Resolved);
        Assert.Null(linked.Modules.Single(m => m.Path == "packages/b/index.ts").Imports[0].Resolved);
    }

    [Fact]
    public void TypeScript_tests_name_their_javascript_framework()
    {
        var linked = Link(Document(
            Module("src/a.ts", Ts, [], Fn("a")),
            Module("test/a.test.ts", Ts, [Import("vitest", names: ("it", null))], Fn("check", "a"))));
        Assert.Contains("Tests use Vitest (1 files, under test/)", string.Join("\n", linked.Instructions.Base));
    }

    [Fact]
    public void FromRoot_reads_tsconfig_json_beside_modules_and_above_them()
    {
        using var tree = new TempTree();
        tree.Write("tsconfig.json", "{\"compilerOptions\":{\"baseUrl\":\".\"}}");
        tree.Write("src/tsconfig.json", "{}");
        var options = LinkOptions.FromRoot(tree.Root, Document(Module("src/deep/a.ts", Ts, [], Fn("a"))));
        Assert.Equal(["", "src"], options.TypeScriptConfigs.Keys);
    }
}
