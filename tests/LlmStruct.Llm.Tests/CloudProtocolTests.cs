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

/// <summary>Anthropic's documented request headers, and the server rejecting what the real API rejects.</summary>
public class AnthropicRequestTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Request_CarriesApiKeyAndVersionHeaders_NotABearerToken(bool stream)
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("fine"));
        using var harness = new Harness(llm => llm.AddCloudModel(Harness.Cloud("claude", server.AnthropicEndpoint, CloudProtocol.Anthropic)));

        var answer = await harness.Assistant.AskAsync("Hi?", "## context", onText: stream ? _ => { } : null);

        Assert.Equal("fine", answer.Text);
        var request = Assert.Single(server.Requests);
        Assert.Equal(Harness.AnthropicKey, request.ApiKeyHeader);
        Assert.Equal("2023-06-01", request.Headers["anthropic-version"]);
        Assert.StartsWith("application/json", request.Headers["content-type"]);
        Assert.Equal("", request.Authorization);
        var body = System.Text.Json.Nodes.JsonNode.Parse(request.Body)!;
        Assert.Equal(64, body["max_tokens"]!.GetValue<int>());
        Assert.Contains("## context", body["system"]!.GetValue<string>());
        Assert.Equal("user", Assert.Single(body["messages"]!.AsArray())!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestWithoutAKey_IsRejectedLikeTheRealApi_AndTheChainMovesOn()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("claude", server.AnthropicEndpoint, CloudProtocol.Anthropic, apiKeyEnv: ""))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("backup", answer.Provider);
        Assert.Contains("401", answer.Decisions[0].Reason);
        Assert.Contains("x-api-key header is required", answer.Decisions[0].Reason);
    }
}

/// <summary>The provider presets: endpoints, key variables and quirks, and a real request through one.</summary>
public class PresetTests
{
    [Theory]
    [InlineData("openai", CloudProtocol.OpenAI, null, null)]
    [InlineData("anthropic", CloudProtocol.Anthropic, null, "ANTHROPIC_API_KEY")]
    [InlineData("xai", CloudProtocol.OpenAI, "https://api.x.ai/v1", "XAI_API_KEY")]
    [InlineData("huggingface", CloudProtocol.OpenAI, "https://router.huggingface.co/v1", "HF_TOKEN")]
    [InlineData("ollama", CloudProtocol.OpenAI, "http://127.0.0.1:11434/v1", null)]
    [InlineData("openrouter", CloudProtocol.OpenAI, "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY")]
    public void Preset_GivesEndpointKeyVariableAndProtocol(string kind, CloudProtocol protocol, string? endpoint, string? keyEnv)
    {
        var options = CloudModelOptions.FromConfig(new LlmStruct.Configuration.LlmProviderOptions { Name = "p", Kind = kind, Model = "m" });

        Assert.Equal(protocol, options.Protocol);
        Assert.Equal(endpoint, options.Endpoint?.ToString().TrimEnd('/'));
        Assert.Equal(keyEnv, options.ApiKeyEnv);
    }

    [Fact]
    public void ConfiguredValues_WinOverThePreset_AndAnEmptyKeyVariableMeansKeyless()
    {
        var options = CloudModelOptions.FromConfig(new LlmStruct.Configuration.LlmProviderOptions
        {
            Name = "p", Kind = "xai", Model = "grok-3-mini", Endpoint = "http://127.0.0.1:9/v1", ApiKeyEnv = "",
        });

        Assert.Equal("http://127.0.0.1:9/v1", options.Endpoint!.ToString());
        Assert.Equal("", options.ApiKeyEnv);
    }

    [Fact]
    public async Task OpenRouterPreset_SendsItsBearerKeyAndTitleHeader()
    {
        const string variable = "LLMSTRUCT_TEST_OPENROUTER_KEY";
        Environment.SetEnvironmentVariable(variable, "sk-or-test-0123456789");
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("routed"));
        var options = CloudModelOptions.FromConfig(new LlmStruct.Configuration.LlmProviderOptions
        {
            Name = "router", Kind = "openrouter", Model = "qwen/qwen-2.5-coder-32b-instruct", Endpoint = server.OpenAIEndpoint.ToString(), ApiKeyEnv = variable,
        });
        using var harness = new Harness(llm => llm.AddCloudModel(options));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("routed", answer.Text);
        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer sk-or-test-0123456789", request.Authorization);
        Assert.Equal("llmstruct", request.Headers["x-title"]);
    }
}
