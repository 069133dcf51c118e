using LlmStruct.Llm.Tests.Servers;
using Microsoft.SemanticKernel;

namespace LlmStruct.Llm.Tests;

/// <summary>The Semantic Kernel entry point: prompts and functions run on the fallback chain.</summary>
public class KernelTests
{
    [Fact]
    public async Task KernelPrompt_RunsThroughTheChain_AndIsMetered()
    {
        await using var down = await FakeLlmServer.StartAsync(Reply.Status(500));
        await using var up = await FakeLlmServer.StartAsync(Reply.Ok("kernel answer", 7, 2));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("down", down.OpenAIEndpoint, retries: 0))
            .AddCloudModel(Harness.Cloud("up", up.OpenAIEndpoint)));

        var result = await harness.Assistant.Kernel.InvokePromptAsync("Summarise {{$topic}}.", new KernelArguments { ["topic"] = "the parser" });

        Assert.Equal("kernel answer", result.GetValue<string>());
        Assert.Contains("Summarise the parser.", Assert.Single(up.Requests).Body);
        var usage = await harness.Store.SummarizeAsync();
        Assert.Equal([("down", 1L, 1L), ("up", 1L, 0L)], usage.Select(u => (u.Provider, u.Calls, u.Failures)));
    }
}
