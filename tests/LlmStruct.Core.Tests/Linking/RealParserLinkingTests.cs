using LlmStruct.Configuration;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Linking;

/// <summary>
/// The Python and JavaScript fixtures (tests/fixtures/linking/…) parsed by the real parsers through the pipeline:
/// the linker must find exactly the expected edges and imports, as it does on the hand-built models.
/// </summary>
public sealed class RealParserLinkingTests
{
    private static StructDocument Parse(string fixture)
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddPythonParser().AddJavaScriptParser();
        using var provider = services.BuildServiceProvider();
        var root = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "linking", fixture);
        var document = provider.GetRequiredService<StructPipeline>()
            .RunAsync(new PipelineRequest { Root = root, Options = new LlmStructOptions() }).GetAwaiter().GetResult().Document;
        Assert.Empty(document.Errors);
        return document;
    }

    [Theory]
    [InlineData("python")]
    [InlineData("javascript")]
    public void RealParserOutput_LinksToExactlyTheExpectedEdges(string fixture) =>
        Assert.Equal(Expected(fixture), Edges(Parse(fixture)));

    [Theory]
    [InlineData("python")]
    [InlineData("javascript")]
    public void RealParserOutput_ResolvesExactlyTheExpectedImports(string fixture) =>
        Assert.Equal(Expected(fixture, "expected-imports.txt"), Imports(Parse(fixture)));
}
