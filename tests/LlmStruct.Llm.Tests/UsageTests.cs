using Microsoft.Extensions.AI;
using LlmStruct.Json;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Llm.Usage;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using LlmStruct.Schema;

namespace LlmStruct.Llm.Tests;

/// <summary>Per-call usage in the SQLite store, summarised deterministically into struct.json's metrics.</summary>
public class UsageTests
{
    [Fact]
    public async Task Calls_AreRecorded_WithTokensLatencyAndProcessFigures()
    {
        // The server's token counts are far from any local estimate of these short prompts and answers, so a meter
        // that ignored them (and counted itself) would not reach these sums. The second answer costs 40 ms of CPU.
        var cpu = TimeSpan.FromMilliseconds(40);
        await using var server = await FakeLlmServer.StartAsync(Reply.Status(500), Reply.Busy(cpu, "a", 100, 7), Reply.Ok("b c", 50, 3));
        using var harness = new Harness(llm => llm.AddCloudModel(Harness.Cloud("main", server.OpenAIEndpoint, retries: 0)));

        await Assert.ThrowsAsync<LlmUnavailableException>(() => harness.Assistant.AskAsync("first"));
        await harness.Assistant.AskAsync("second");
        await harness.Assistant.AskAsync("third", onText: _ => { });

        var usage = Assert.Single(await harness.Store.SummarizeAsync());
        Assert.Equal(("main", "main-model"), (usage.Provider, usage.Model));
        Assert.Equal((3L, 1L, 1L), (usage.Calls, usage.Failures, usage.StreamedCalls));
        // A failed call has no server usage: its prompt is the chain's estimate of the messages the server was sent.
        var sent = server.Requests.Select(r => Estimate(r.Body)).ToList();
        Assert.Equal(3, sent.Count);
        Assert.Equal(100 + 50 + sent[0], usage.PromptTokens);
        Assert.NotEqual(sent.Sum(), usage.PromptTokens);
        Assert.Equal(7 + 3, usage.CompletionTokens);
        Assert.True(usage.MaxLatencyMs <= usage.LatencyMs);
        Assert.True(usage.PeakRamBytes > 0);
        // The server runs in this process, so the process CPU the meter takes around the call includes its 40 ms.
        Assert.True(usage.CpuMs >= (long)cpu.TotalMilliseconds, $"cpu_ms {usage.CpuMs}");
        Assert.Null(usage.PeakVramBytes);
    }

    private static long Estimate(string body)
    {
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var messages = json.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => new ChatMessage(new ChatRole(m.GetProperty("role").GetString()!), m.GetProperty("content").GetString()))
            .ToList();
        return LlmStruct.Llm.Tokens.ConversationTokens.Count(messages, LlmStruct.Llm.Tokens.EstimatingTokenCounter.Instance);
    }

    [Fact]
    public async Task StreamAbandonedEarly_IsStillRecorded()
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("many words in this answer"));
        using var harness = new Harness(llm => llm.AddCloudModel(Harness.Cloud("main", server.OpenAIEndpoint)));

        await foreach (var update in harness.Assistant.ChatClient.GetStreamingResponseAsync("hi"))
        {
            if (update.Text.Length > 0)
            {
                Assert.Equal("main", update.AdditionalProperties?["llmstruct.provider"]);
                break;
            }
        }

        var usage = Assert.Single(await harness.Store.SummarizeAsync());
        Assert.Equal((1L, 0L, 1L), (usage.Calls, usage.Failures, usage.StreamedCalls));
    }

    [Fact]
    public async Task WithUsage_IsDeterministic_AndValidatesAgainstTheSchema()
    {
        await using var server = await FakeLlmServer.StartAsync();
        await using var other = await FakeLlmServer.StartAsync(Reply.Ok("x", 5, 1));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("zeta", server.OpenAIEndpoint, dailyQuota: 1))
            .AddCloudModel(Harness.Cloud("alpha", other.AnthropicEndpoint, Cloud.CloudProtocol.Anthropic)));
        await harness.Assistant.AskAsync("one");
        await harness.Assistant.AskAsync("two");

        var document = new StructDocument { Project = new ProjectInfo { Name = "demo" } };
        var first = await UsageMetrics.WithUsageAsync(document, harness.Store);
        var second = await UsageMetrics.WithUsageAsync(first, harness.Store);

        Assert.Equal(["alpha", "zeta"], first.Metrics.Llm.Select(u => u.Provider));
        var bytes = StructJson.Serialize(StructCanonicalizer.Canonicalize(first));
        Assert.Equal(bytes, StructJson.Serialize(StructCanonicalizer.Canonicalize(second)));
        Assert.True(StructSchema.Validate(bytes).IsValid, string.Join("\n", StructSchema.Validate(bytes).Errors));
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"peak_ram_bytes\"", text);
        Assert.DoesNotContain("day", text);

        var path = Path.Combine(harness.Directory, "struct.json");
        await StructFileWriter.WriteAsync(path, first);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Store_IsARealSqliteFile_SharedBetweenInstances()
    {
        var dir = Path.Combine(Path.GetTempPath(), "llmstruct-llm-tests", Guid.NewGuid().ToString("n"));
        var path = Path.Combine(dir, "nested", "usage.db");
        try
        {
            var day = new DateOnly(2026, 1, 2);
            await new SqliteUsageStore(path).RecordAsync(new UsageRecord { Provider = "p", Model = "m", Day = day, Succeeded = true, PromptTokens = 3 });
            await new SqliteUsageStore(path).RecordAsync(new UsageRecord { Provider = "p", Model = "m", Day = day, Succeeded = false, ErrorKind = "HttpRequestException" });

            var header = new byte[16];
            await using (var file = File.OpenRead(path))
            {
                await file.ReadExactlyAsync(header);
            }
            Assert.Equal("SQLite format 3\0", System.Text.Encoding.ASCII.GetString(header));
            var store = new SqliteUsageStore(path);
            Assert.Equal(2, await store.CountCallsAsync("p", day));
            Assert.Equal(0, await store.CountCallsAsync("p", day.AddDays(1)));
            var summary = Assert.Single(await store.SummarizeAsync());
            Assert.Equal((2L, 1L, 3L), (summary.Calls, summary.Failures, summary.PromptTokens));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
