using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Tests.Servers;

namespace LlmStruct.Llm.Tests;

/// <summary>
/// Every way a response can go wrong on the wire, for both protocols, streamed and not: before the first piece of the
/// answer the chain falls back with a redacted reason; after it, the stream ends with one clear, redacted message.
/// </summary>
public class StreamFailureTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(700);

    public static TheoryData<CloudProtocol, BreakMode, bool> BeforeFirstPiece()
    {
        var data = new TheoryData<CloudProtocol, BreakMode, bool>();
        foreach (var protocol in new[] { CloudProtocol.OpenAI, CloudProtocol.Anthropic })
        {
            foreach (var stream in new[] { true, false })
            {
                data.Add(protocol, BreakMode.StallAfterHeaders, stream);
                data.Add(protocol, BreakMode.WrongContentType, stream);
                data.Add(protocol, BreakMode.InvalidSse, stream);
                // Not streamed, the "first piece" is half a JSON body: nothing reached the caller, so the chain moves on.
                if (!stream)
                {
                    data.Add(protocol, BreakMode.StallMidStream, stream);
                    data.Add(protocol, BreakMode.DropMidStream, stream);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BeforeFirstPiece))]
    public async Task FailureBeforeTheFirstPiece_FallsBack_WithARedactedReason(CloudProtocol protocol, BreakMode mode, bool stream)
    {
        await using var broken = await FakeLlmServer.StartAsync(Reply.Broken(mode));
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup answer"));
        var endpoint = protocol == CloudProtocol.OpenAI ? broken.OpenAIEndpoint : broken.AnthropicEndpoint;
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("broken", endpoint, protocol, retries: 2, idleTimeout: Idle, apiKeyEnv: Harness.AnthropicKeyVariable))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));
        var pieces = new List<string>();

        var answer = await harness.Assistant.AskAsync("Hi?", onText: stream ? pieces.Add : null);

        Assert.Equal("backup answer", answer.Text);
        Assert.Equal("backup", answer.Provider);
        Assert.Equal(stream ? "backup answer" : "", string.Concat(pieces));
        var failed = answer.Decisions[0];
        Assert.Equal(("broken", FallbackOutcome.Failed), (failed.Provider, failed.Outcome));
        Assert.Contains(mode switch
        {
            BreakMode.WrongContentType => "text/html",
            BreakMode.StallAfterHeaders or BreakMode.StallMidStream => "sent nothing for 0.7 s",
            _ => "",
        }, failed.Reason);
        // A stalled or garbled answer is this provider's failure, not a transient one: no retry against it.
        Assert.Single(broken.Requests);
        Assert.DoesNotContain(Harness.AnthropicKey, failed.Reason + harness.Logs.All);
        Assert.DoesNotContain("   at ", failed.Reason);
        var usage = (await harness.Store.SummarizeAsync()).Single(u => u.Provider == "broken");
        Assert.Equal((1L, 1L), (usage.Calls, usage.Failures));
    }

    [Theory]
    [InlineData(CloudProtocol.OpenAI, BreakMode.StallMidStream)]
    [InlineData(CloudProtocol.OpenAI, BreakMode.DropMidStream)]
    [InlineData(CloudProtocol.Anthropic, BreakMode.StallMidStream)]
    [InlineData(CloudProtocol.Anthropic, BreakMode.DropMidStream)]
    public async Task FailureAfterTheFirstPiece_EndsWithOneClearMessage(CloudProtocol protocol, BreakMode mode)
    {
        await using var broken = await FakeLlmServer.StartAsync(Reply.Broken(mode));
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup answer"));
        var endpoint = protocol == CloudProtocol.OpenAI ? broken.OpenAIEndpoint : broken.AnthropicEndpoint;
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("broken", endpoint, protocol, idleTimeout: Idle, apiKeyEnv: Harness.AnthropicKeyVariable))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));
        var pieces = new List<string>();

        var error = await Assert.ThrowsAsync<LlmStreamInterruptedException>(() => harness.Assistant.AskAsync("Hi?", onText: pieces.Add));

        Assert.Equal("First", string.Concat(pieces));
        Assert.Equal("broken", error.Provider);
        Assert.StartsWith("the answer from broken broke off: ", error.Message);
        if (mode == BreakMode.StallMidStream)
        {
            Assert.Contains("sent nothing for 0.7 s", error.Message);
        }
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain(Harness.AnthropicKey, error.Message + harness.Logs.All);
        // What was streamed cannot be taken back: nobody else is asked.
        Assert.Empty(backup.Requests);
        var usage = Assert.Single(await harness.Store.SummarizeAsync());
        Assert.Equal(("broken", 1L, 1L), (usage.Provider, usage.Calls, usage.Failures));
    }

    [Fact]
    public void Defaults_ReachTheNextProviderInSeconds()
    {
        var options = CloudModelOptions.FromConfig(new LlmStruct.Configuration.LlmProviderOptions { Name = "x", Kind = "openai", Model = "m" });

        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.IdleTimeout);
    }
}
