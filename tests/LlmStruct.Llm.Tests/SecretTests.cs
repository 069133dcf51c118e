using System.Text;
using LlmStruct.Json;
using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Llm.Usage;
using LlmStruct.Model;
using LlmStruct.Pipeline;

namespace LlmStruct.Llm.Tests;

/// <summary>A planted API key reaches the server and nothing else: not logs, exceptions, the usage store or struct.json.</summary>
public class SecretTests
{
    [Fact]
    public async Task PlantedKey_EchoedByServers_NeverLeaks()
    {
        var variable = "LLMSTRUCT_TEST_KEY_" + Guid.NewGuid().ToString("n")[..8].ToUpperInvariant();
        var secret = "sk-planted-" + Guid.NewGuid().ToString("n");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            await using var openai = await FakeLlmServer.StartAsync(Reply.EchoAuth(), Reply.EchoAuth());
            await using var anthropic = await FakeLlmServer.StartAsync(Reply.EchoAuth(), Reply.EchoAuth());
            using var harness = new Harness(llm => llm
                .AddCloudModel(Harness.Cloud("openai", openai.OpenAIEndpoint, apiKeyEnv: variable))
                .AddCloudModel(Harness.Cloud("anthropic", anthropic.AnthropicEndpoint, CloudProtocol.Anthropic, apiKeyEnv: variable)));

            var ex = await Assert.ThrowsAsync<LlmUnavailableException>(() => harness.Assistant.AskAsync("Hi?"));
            var streamed = await Assert.ThrowsAsync<LlmUnavailableException>(() => harness.Assistant.AskAsync("Hi?", onText: _ => { }));

            // The key was really sent, and the servers really echoed it back.
            var sent = openai.Requests.Concat(anthropic.Requests).Select(r => r.Authorization + " " + r.ApiKeyHeader).ToList();
            Assert.All(sent, header => Assert.Contains(secret, header));
            // What the servers said is kept, with the key blanked out.
            Assert.Contains("***", ex.Message);
            Assert.DoesNotContain(secret, ex.ToString());
            Assert.DoesNotContain(secret, streamed.ToString());
            Assert.All(ex.Decisions, d => Assert.DoesNotContain(secret, d.Reason));
            Assert.NotEmpty(harness.Logs.Lines);
            Assert.DoesNotContain(secret, harness.Logs.All);

            var document = await UsageMetrics.WithUsageAsync(new StructDocument { Project = new ProjectInfo { Name = "demo" } }, harness.Store);
            var structPath = Path.Combine(harness.Directory, "struct.json");
            await StructFileWriter.WriteAsync(structPath, document);
            Assert.DoesNotContain(secret, await File.ReadAllTextAsync(structPath));
            Assert.Equal(4, document.Metrics.Llm.Sum(u => u.Failures));

            Assert.False(ContainsBytes(await File.ReadAllBytesAsync(harness.StorePath), Encoding.UTF8.GetBytes(secret)));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task MissingKeyVariable_FailsThatProviderOnly_NamingTheVariable()
    {
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("grok", backup.OpenAIEndpoint, apiKeyEnv: "LLMSTRUCT_TEST_UNSET_VARIABLE"))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("backup", answer.Provider);
        Assert.Contains("environment variable LLMSTRUCT_TEST_UNSET_VARIABLE is not set", answer.Decisions[0].Reason);
        Assert.Single(backup.Requests);

        var streamed = await harness.Assistant.AskAsync("Hi?", onText: _ => { });
        Assert.Equal("backup", streamed.Provider);
        var grok = (await harness.Store.SummarizeAsync()).Single(u => u.Provider == "grok");
        Assert.Equal((2L, 2L), (grok.Calls, grok.Failures));
    }

    private static bool ContainsBytes(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
