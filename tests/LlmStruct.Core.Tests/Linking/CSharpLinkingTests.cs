using LlmStruct.Configuration;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>The C# fixture (tests/fixtures/linking/csharp) parsed by the real C# parser through the pipeline.</summary>
public sealed class CSharpLinkingTests
{
    private static readonly Lazy<StructDocument> Linked = new(() =>
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddCSharpParser();
        using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<StructPipeline>();
        var root = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "linking", "csharp");
        return pipeline.RunAsync(new PipelineRequest { Root = root, Options = new LlmStructOptions() }).GetAwaiter().GetResult().Document;
    });

    [Fact]
    public void Fixture_call_graph_is_exactly_the_expected_edges() =>
        Assert.Equal(Expected("csharp"), Edges(Linked.Value));

    [Fact]
    public void Usings_resolve_to_a_declaring_file()
    {
        var svc = Linked.Value.Modules.Single(m => m.Path == "Services/Svc.cs");
        Assert.Equal([null, "Util/Helper.cs", "Util/Helper.cs"], svc.Imports.Select(i => i.Resolved));
    }

    [Fact]
    public void Same_named_methods_of_unrelated_types_are_not_linked()
    {
        var unrelated = AllDefinitions(Linked.Value).Where(d => d.Id.StartsWith("Other/", StringComparison.Ordinal));
        Assert.All(unrelated, d => Assert.Empty(d.CalledBy));
    }

    [Fact]
    public async Task Linking_the_repository_sources_keeps_the_document_valid()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddCSharpParser();
        using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<StructPipeline>();
        var document = (await pipeline.RunAsync(new PipelineRequest { Root = Path.Combine(TestPaths.RepoRoot, "src", "LlmStruct.Core"), Options = new LlmStructOptions() }))
            .Document;
        Assert.Empty(Schema.StructValidator.Check(Json.StructJson.Serialize(document)));
        Assert.True(document.Stats.CallEdgesResolved > 50, $"only {document.Stats.CallEdgesResolved} resolved call edges");
        var ids = AllDefinitions(document).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(AllDefinitions(document).SelectMany(d => d.Calls), c => Assert.True(c.Target is null || ids.Contains(c.Target)));
    }

    [Fact]
    public void Csharp_conventions_and_entry_points_are_derived()
    {
        var rules = string.Join("\n", Linked.Value.Instructions.Base);
        Assert.Contains("Naming in csharp: functions and methods are PascalCase (100%), types are PascalCase (100%); follow it.", rules);
        Assert.Contains("Languages: csharp 100% of lines (3 files).", rules);
    }
}
