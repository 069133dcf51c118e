using LlmStruct.Llm.Tests.Servers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace LlmStruct.Llm.Tests.Work;

/// <summary>
/// Semantic Kernel the way its users compose it: <c>services.AddKernel()</c> next to our registration, and auto
/// function calling end to end against a server that first calls a plugin function, then answers with text.
/// </summary>
public sealed class KernelCompositionTests : IDisposable
{
    private readonly WorkFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private async Task<ServiceProvider> ServicesAsync(FakeLlmServer server, bool kernelFirst)
    {
        var structPath = Path.Combine(_fixture.Root, "struct.json");
        var document = WorkFixture.Document with { Modules = [.. WorkFixture.Document.Modules.Select(m => m with { Sha256 = new string('0', 64) })] };
        await LlmStruct.Pipeline.StructFileWriter.WriteAsync(structPath, document);
        var services = new ServiceCollection();
        services.AddLogging();
        if (kernelFirst)
        {
            services.AddKernel();
        }
        services.AddLlmStruct()
            .AddLlmStructLlm(o => o.UsageStorePath = Path.Combine(_fixture.Parent, "usage.db"))
            .AddCloudModel(Harness.Cloud("main", server.OpenAIEndpoint))
            .AddStructWorkPlugin(structPath, _fixture.Root);
        if (!kernelFirst)
        {
            services.AddKernel();
        }
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddKernel_AndOurRegistration_ResolveKernelChatClientAndPlugin(bool kernelFirst)
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var provider = await ServicesAsync(server, kernelFirst);

        var kernel = provider.GetRequiredService<Kernel>();
        Assert.NotNull(provider.GetRequiredService<IChatClient>());
        Assert.NotNull(provider.GetRequiredService<LlmStruct.Llm.Work.StructWorkPlugin>());
        var plugin = Assert.Single(kernel.Plugins);
        Assert.Equal("struct", plugin.Name);
        Assert.Contains(plugin, f => f.Name == "find_symbol");
    }

    [Theory]
    [InlineData("find_symbol", """{"name":"add"}""", "src/calc.py#add")]
    [InlineData("list_callers", """{"id":"src/calc.py#add"}""", "src/calc.py#sub")]
    [InlineData("list_callees", """{"id":"src/calc.py#sub"}""", "src/calc.py#add")]
    [InlineData("module_outline", """{"path":"src/calc.py"}""", "src/calc.py#sub")]
    public async Task AutoFunctionCalling_RunsThePluginFunction_AndSendsItsResultBack(string function, string arguments, string inResult)
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.ToolCall(function, arguments), Reply.Ok("add is in src/calc.py."));
        await using var provider = await ServicesAsync(server, kernelFirst: true);
        var kernel = provider.GetRequiredService<Kernel>();

        var result = await kernel.InvokePromptAsync(
            "Where is add?", new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.Equal("add is in src/calc.py.", result.GetValue<string>());
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Contains(function, requests[0].Body); // the plugin's functions were offered as tools
        var second = System.Text.Json.Nodes.JsonNode.Parse(requests[1].Body)!["messages"]!.AsArray();
        var toolMessage = second.Single(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Equal("call_1", toolMessage["tool_call_id"]!.GetValue<string>());
        Assert.Contains(inResult, toolMessage["content"]!.ToString());
    }
}
