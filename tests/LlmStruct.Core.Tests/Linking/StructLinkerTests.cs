using LlmStruct.Json;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Schema;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

public sealed class StructLinkerTests
{
    [Fact]
    public void Linked_document_is_canonical_and_valid()
    {
        var linked = Link(PythonLinkingTests.Fixture());
        var bytes = StructJson.Serialize(linked);
        Assert.Equal(bytes, StructJson.Serialize(StructCanonicalizer.Canonicalize(linked)));
        Assert.Empty(StructValidator.Check(bytes));
    }

    [Fact]
    public void Linking_twice_changes_nothing()
    {
        var once = Link(JavaScriptLinkingTests.Fixture(), JavaScriptLinkingTests.Options());
        var twice = Link(once, JavaScriptLinkingTests.Options());
        Assert.Equal(StructJson.Serialize(once), StructJson.Serialize(twice));
    }

    [Fact]
    public void Module_order_does_not_change_the_result()
    {
        var document = PythonLinkingTests.Fixture();
        var reversed = document with { Modules = [.. document.Modules.Reverse()] };
        Assert.Equal(StructJson.Serialize(Link(document)), StructJson.Serialize(Link(reversed)));
    }

    [Fact]
    public void Stats_count_resolved_and_unresolved_edges_and_imports()
    {
        var linked = Link(PythonLinkingTests.Fixture());
        int resolved = AllDefinitions(linked).Sum(d => d.Calls.Count(c => c.Target is not null));
        int unresolved = AllDefinitions(linked).Sum(d => d.Calls.Count(c => c.Target is null));
        Assert.Equal(resolved, linked.Stats.CallEdgesResolved);
        Assert.Equal(unresolved, linked.Stats.CallEdgesUnresolved);
        Assert.Equal(7, linked.Stats.ImportsResolved);
        Assert.Equal(9, linked.Stats.Imports);
    }

    [Fact]
    public void Context_files_list_entry_points_then_top_ranked_files()
    {
        var linked = Link(PythonLinkingTests.Fixture());
        Assert.InRange(linked.Context.Files.Length, 1, LinkOptions.DefaultContextFileCount);
        Assert.All(linked.Context.Files, f => Assert.Contains(f.Reason, (string[])["entry_point", "top_ranked"]));
        Assert.Equal(["main.py"], linked.Context.Files.Where(f => f.Reason == "entry_point").Select(f => f.Path));
        Assert.Equal("entry_point", linked.Context.Files[0].Reason);
        Assert.Equal(linked.Context.Files.Length, linked.Context.Files.Select(f => f.Path).Distinct().Count());
    }

    [Fact]
    public void Base_instructions_name_languages_layout_tests_and_conventions()
    {
        var linked = Link(PythonLinkingTests.Fixture());
        var rules = string.Join("\n", linked.Instructions.Base);
        Assert.Contains("Languages: python 100% of lines (8 files).", rules);
        Assert.Contains("Layout: app/ 4 files", rules);
        Assert.Contains("Tests use pytest (1 files, under tests/)", rules);
        Assert.Contains("Naming in python: types are PascalCase (100%); follow it.", rules); // too few multi-word function names for a rule
        Assert.Equal(linked.Instructions.Base.ToArray(), Link(PythonLinkingTests.Fixture()).Instructions.Base.ToArray());
    }

    [Theory]
    [InlineData("load_file", "snake_case")]
    [InlineData("loadFile", "camelCase")]
    [InlineData("LoadFile", "PascalCase")]
    [InlineData("MAX_SIZE", "UPPER_SNAKE_CASE")]
    [InlineData("load", null)]
    [InlineData("__init__", null)]
    public void Naming_styles(string name, string? style) => Assert.Equal(style, InstructionDeriver.Style(name));

    [Fact]
    public void Unknown_languages_pass_through_unlinked()
    {
        var document = Document(Module("a.rb", "ruby", [Import("x")], Fn("f", "g"), Fn("g")));
        var linked = Link(document);
        Assert.Null(linked.Modules[0].Imports[0].Resolved);
        Assert.Equal(1, linked.Stats.CallEdgesUnresolved);
    }
}
