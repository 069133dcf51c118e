using LlmStruct.Context;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Core.Tests.Linking;

public sealed class LinkerRegistrationTests
{
    /// <summary>Links the test language: a call text that names a top-level definition of any module in full ("file.tst#f").</summary>
    private sealed class TestLinker : ILanguageLinker
    {
        public string Language => "test";

        public string? ResolveImport(ModuleInfo module, ImportInfo import, LinkIndex index) =>
            index.GetModule(import.Module + ".tst") is null ? null : import.Module + ".tst";

        public string? ResolveCall(CallSite site, LinkIndex index) =>
            index.GetDefinition(site.Call.Callee)?.Id;
    }

    [Fact]
    public async Task AddLlmStruct_registers_the_default_linkers_and_a_context_builder_and_AddLinker_adds_one()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddParser<TestParser>().AddLinker<TestLinker>().AddLinker<TestLinker>();
        using var provider = services.BuildServiceProvider();
        var linker = provider.GetRequiredService<StructLinker>();
        Assert.Equal(["csharp", "javascript", "python", "test", "typescript"], linker.Languages);
        Assert.IsType<ContextBuilder>(provider.GetRequiredService<IContextBuilder>());

        using var tree = new TempTree();
        tree.Write("a.tst", "import b\ndef f\ncall b.tst#g\ncall nowhere\n");
        tree.Write("b.tst", "def g\n");
        var document = (await provider.GetRequiredService<StructPipeline>().RunAsync(new PipelineRequest { Root = tree.Root })).Document;
        Assert.Equal("b.tst", document.Modules[0].Imports[0].Resolved);
        Assert.Equal("b.tst#g", document.Modules[0].Definitions[0].Calls[0].Target);
        Assert.Equal(new[] { "a.tst#f" }, document.Modules[1].Definitions[0].CalledBy.ToArray());
        Assert.Equal((1, 1, 1, 1), (document.Stats.ImportsResolved, document.Stats.Imports, document.Stats.CallEdgesResolved, document.Stats.CallEdgesUnresolved));
    }
}
