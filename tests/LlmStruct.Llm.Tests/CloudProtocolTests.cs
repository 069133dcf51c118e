using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Tests.Servers;

namespace LlmStruct.Llm.Tests;

/// <summary>Both wire protocols, JSON and SSE, against real servers on 127.0.0.1.</summary>
public class CloudProtocolTests
{
    [Theory]
    [InlineData(CloudProtocol.OpenAI)]
    [InlineData(CloudProtocol.Anthropic)]
    public async Task Answer_NonStreaming_ReportsProviderAndServerUsage(CloudProtocol protocol)
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("The parser lives in src/Parser.cs.", 40, 9));
        var endpoint = protocol == CloudProtocol.OpenAI ? server.OpenAIEndpoint : server.AnthropicEndpoint;
        using var harness = new Harness(llm => llm.AddCloudModel(Harness.Cloud("main", endpoint, protocol)));

        var answer = await harness.Assistant.AskAsync("Where is the parser?", "## Modules\n- src/Parser.cs");

        Assert.Equal("The parser lives in src/Parser.cs.", answer.Text);
        Assert.Equal("main", answer.Provider);
        Assert.Equal("main-model", answer.Model);
        Assert.Equal(40, answer.PromptTokens);
        Assert.Equal(9, answer.CompletionTokens);
        Assert.Null(answer.TimeToFirstToken);
        var request = Assert.Single(server.Requests);
        Assert.Equal(protocol == CloudProtocol.OpenAI ? "/v1/chat/completions" : "/v1/messages", request.Path);
        Assert.Contains("Where is the parser?", request.Body);
        Assert.Contains("src/Parser.cs", request.Body);
        Assert.False(request.Stream);
    }

    [Theory]
    [InlineData(CloudProtocol.OpenAI)]
    [InlineData(CloudProtocol.Anthropic)]
    public async Task Answer_Streaming_DeliversPiecesInOrder(CloudProtocol protocol)
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("one two three four", 30, 4));
        var endpoint = protocol == CloudProtocol.OpenAI ? server.OpenAIEndpoint : server.AnthropicEndpoint;
        using var harness = new Harness(llm => llm.AddCloudModel(Harness.Cloud("main", endpoint, protocol)));
        var pieces = new List<string>();

        var answer = await harness.Assistant.AskAsync("Count.", onText: pieces.Add);

        Assert.Equal("one two three four", answer.Text);
        Assert.Equal("one two three four", string.Concat(pieces));
        Assert.True(pieces.Count >= 4, $"expected several pieces, got {pieces.Count}");
        Assert.Equal("main", answer.Provider);
        Assert.NotNull(answer.TimeToFirstToken);
        Assert.True(Assert.Single(server.Requests).Stream);
        var usage = Assert.Single(await harness.Store.SummarizeAsync());
        Assert.Equal(30, usage.PromptTokens);
        Assert.Equal(4, usage.CompletionTokens);
        Assert.Equal(1, usage.StreamedCalls);
    }
}
