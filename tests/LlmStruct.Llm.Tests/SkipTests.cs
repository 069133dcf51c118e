using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Llm.Usage;

namespace LlmStruct.Llm.Tests;

/// <summary>Providers skipped before any request: daily quota used up, prompt too long for the context window.</summary>
public class SkipTests
{
    [Fact]
    public async Task DailyQuota_UsedUp_SkipsProviderWithoutCallingIt()
    {
        await using var free = await FakeLlmServer.StartAsync(Reply.Ok("free answer"));
        await using var paid = await FakeLlmServer.StartAsync(Reply.Ok("paid answer 1"), Reply.Ok("paid answer 2"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("free", free.OpenAIEndpoint, dailyQuota: 1))
            .AddCloudModel(Harness.Cloud("paid", paid.OpenAIEndpoint)));

        var first = await harness.Assistant.AskAsync("One?");
        var second = await harness.Assistant.AskAsync("Two?");
        var third = await harness.Assistant.AskAsync("Three?");

        Assert.Equal(["free", "paid", "paid"], new[] { first.Provider, second.Provider, third.Provider });
        Assert.Single(free.Requests);
        Assert.Equal(2, paid.Requests.Count);
        Assert.Equal(FallbackOutcome.SkippedQuota, second.Decisions[0].Outcome);
        Assert.Contains("daily quota of 1 requests used up", second.Decisions[0].Reason);
        Assert.Contains("LLM provider free skipped: daily quota", harness.Logs.All);
    }

    [Fact]
    public async Task DailyQuota_CountsEarlierCallsInTheStore()
    {
        await using var free = await FakeLlmServer.StartAsync();
        await using var paid = await FakeLlmServer.StartAsync();
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("free", free.OpenAIEndpoint, dailyQuota: 2))
            .AddCloudModel(Harness.Cloud("paid", paid.OpenAIEndpoint)));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var yesterday = today.AddDays(-1);
        foreach (var day in new[] { yesterday, yesterday, yesterday, today })
        {
            await harness.Store.RecordAsync(new UsageRecord { Provider = "free", Model = "free-model", Day = day, Succeeded = true });
        }

        Assert.Equal("free", (await harness.Assistant.AskAsync("Hi?")).Provider); // 1 used today, 2 allowed
        Assert.Equal("paid", (await harness.Assistant.AskAsync("Hi?")).Provider);
        Assert.Equal(2, await harness.Store.CountCallsAsync("free", today));
    }

    [Fact]
    public async Task PromptLongerThanContextWindow_SkipsProvider()
    {
        await using var small = await FakeLlmServer.StartAsync();
        await using var large = await FakeLlmServer.StartAsync(Reply.Ok("large answer"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("small", small.OpenAIEndpoint, contextWindow: 300))
            .AddCloudModel(Harness.Cloud("large", large.AnthropicEndpoint, Cloud.CloudProtocol.Anthropic, contextWindow: 100_000)));
        var context = string.Join("\n", Enumerable.Range(0, 200).Select(i => $"- src/module{i}.py: def function_{i}()"));

        var answer = await harness.Assistant.AskAsync("Which module defines function_7?", context);

        Assert.Equal("large", answer.Provider);
        Assert.Empty(small.Requests);
        var skip = answer.Decisions[0];
        Assert.Equal(("small", FallbackOutcome.SkippedContextWindow), (skip.Provider, skip.Outcome));
        Assert.Matches(@"prompt of \d+ tokens plus 64 for the answer does not fit the 300-token context window", skip.Reason);
    }

    [Fact]
    public async Task ShortPrompt_FitsSmallWindow()
    {
        await using var small = await FakeLlmServer.StartAsync(Reply.Ok("small answer"));
        using var harness = new Harness(llm => llm.AddCloudModel(Harness.Cloud("small", small.OpenAIEndpoint, contextWindow: 300)));

        Assert.Equal("small", (await harness.Assistant.AskAsync("Hi?")).Provider);
    }
}
