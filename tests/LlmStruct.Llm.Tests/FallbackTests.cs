using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Tests.Servers;

namespace LlmStruct.Llm.Tests;

/// <summary>The fallback order, retries with backoff and Retry-After, and the failure kinds that move the chain on.</summary>
public class FallbackTests
{
    [Fact]
    public async Task ServerErrors_PastRetryBudget_FallBackInOrder()
    {
        await using var first = await FakeLlmServer.StartAsync(Reply.Status(500), Reply.Status(500), Reply.Status(500));
        await using var second = await FakeLlmServer.StartAsync(Reply.Status(503));
        await using var third = await FakeLlmServer.StartAsync(Reply.Ok("from third"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("first", first.OpenAIEndpoint, retries: 2))
            .AddCloudModel(Harness.Cloud("second", second.AnthropicEndpoint, CloudProtocol.Anthropic, retries: 0))
            .AddCloudModel(Harness.Cloud("third", third.OpenAIEndpoint)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("from third", answer.Text);
        Assert.Equal("third", answer.Provider);
        Assert.Equal(3, first.Requests.Count); // one try + two retries
        Assert.Single(second.Requests);
        Assert.Single(third.Requests);
        Assert.Equal(
            [("first", FallbackOutcome.Failed), ("second", FallbackOutcome.Failed), ("third", FallbackOutcome.Answered)],
            answer.Decisions.Select(d => (d.Provider, d.Outcome)));
        Assert.Contains("500", answer.Decisions[0].Reason);
        var logs = harness.Logs.All;
        Assert.Contains("LLM provider first failed, trying the next one", logs);
        Assert.Contains("LLM provider second failed, trying the next one", logs);
        Assert.Contains("LLM provider third (third-model) answered", logs);
    }

    [Fact]
    public async Task ExplicitOrder_OverridesRegistrationOrder_AndLeavesOthersOut()
    {
        await using var a = await FakeLlmServer.StartAsync(Reply.Ok("from a"));
        await using var b = await FakeLlmServer.StartAsync(Reply.Ok("from b"));
        await using var c = await FakeLlmServer.StartAsync(Reply.Ok("from c"));
        using var harness = new Harness(
            llm => llm.AddCloudModel(Harness.Cloud("a", a.OpenAIEndpoint)).AddCloudModel(Harness.Cloud("b", b.OpenAIEndpoint)).AddCloudModel(Harness.Cloud("c", c.OpenAIEndpoint)),
            o => { o.Order.Add("c"); o.Order.Add("a"); });

        Assert.Equal(["c", "a"], harness.Assistant.Providers);
        var answer = await harness.Assistant.AskAsync("Hi?");
        Assert.Equal("c", answer.Provider);
        Assert.Empty(a.Requests);
        Assert.Empty(b.Requests);
    }

    [Fact]
    public async Task TooManyRequests_HonoursRetryAfter_ThenSameProviderAnswers()
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Status(429, retryAfterSeconds: 1), Reply.Ok("after waiting"));
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup"));
        var clock = new DelayRecorder();
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("limited", server.OpenAIEndpoint, retries: 2, time: clock))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("limited", answer.Provider);
        Assert.Equal("after waiting", answer.Text);
        Assert.Equal(2, server.Requests.Count);
        Assert.Empty(backup.Requests);
        // The backoff would have been 50 ms; Retry-After: 1 wins.
        Assert.Equal([TimeSpan.FromSeconds(1)], clock.Delays(except: Harness.DefaultTimeout));
    }

    [Fact]
    public async Task RetryAfterLongerThanAllowed_FallsBackAtOnce()
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Status(429, retryAfterSeconds: 3600));
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup"));
        var clock = new DelayRecorder();
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("limited", server.OpenAIEndpoint, retries: 3, time: clock))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("backup", answer.Provider);
        Assert.Equal([("limited", FallbackOutcome.Failed), ("backup", FallbackOutcome.Answered)], answer.Decisions.Select(d => (d.Provider, d.Outcome)));
        Assert.Single(server.Requests);
        Assert.Single(backup.Requests);
        // No wait at all: neither the hour asked for nor a backoff.
        Assert.Empty(clock.Delays(except: Harness.DefaultTimeout));
    }

    [Fact]
    public async Task Retries_BackOffExponentially()
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Status(502), Reply.Status(500), Reply.Status(503), Reply.Ok("third retry"));
        var clock = new DelayRecorder();
        using var harness = new Harness(llm => llm.AddCloudModel(
            Harness.Cloud("flaky", server.OpenAIEndpoint, retries: 3, retryDelay: TimeSpan.FromMilliseconds(100), time: clock)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("third retry", answer.Text);
        Assert.Equal(4, server.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)], clock.Delays(except: Harness.DefaultTimeout));
    }

    /// <summary>
    /// The system clock, recording every timer the retry pipeline asks for: its retry delays, and the per-attempt
    /// timeouts (which <see cref="Delays"/> leaves out). Nothing is measured, only what was asked.
    /// </summary>
    private sealed class DelayRecorder : TimeProvider
    {
        private readonly List<TimeSpan> _timers = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_timers)
            {
                _timers.Add(dueTime);
            }
            return System.CreateTimer(callback, state, dueTime, period);
        }

        public List<TimeSpan> Delays(TimeSpan except)
        {
            lock (_timers)
            {
                return [.. _timers.Where(t => t != except && t != Timeout.InfiniteTimeSpan)];
            }
        }
    }

    [Fact]
    public async Task SlowServer_TimesOut_AndFallsBack()
    {
        await using var slow = await FakeLlmServer.StartAsync(Reply.Slow(TimeSpan.FromSeconds(5)), Reply.Slow(TimeSpan.FromSeconds(5)));
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("slow", slow.OpenAIEndpoint, retries: 1, timeout: TimeSpan.FromMilliseconds(300)))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("backup", answer.Provider);
        // A server that does not answer in time is, for this request, down: no retry, the next provider at once.
        Assert.Single(slow.Requests);
        Assert.Equal(FallbackOutcome.Failed, answer.Decisions[0].Outcome);
        Assert.Contains("Timeout", answer.Decisions[0].Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ClosedConnection_IsRetried_ThenFallsBack()
    {
        await using var closing = await FakeLlmServer.StartAsync(Reply.Close(), Reply.Close());
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("closing", closing.AnthropicEndpoint, CloudProtocol.Anthropic, retries: 1))
            .AddCloudModel(Harness.Cloud("backup", backup.AnthropicEndpoint, CloudProtocol.Anthropic)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("backup", answer.Provider);
        Assert.Equal(2, closing.Requests.Count);
    }

    [Fact]
    public async Task RefusedConnection_FallsBack()
    {
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("backup"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("nobody", Harness.RefusedEndpoint(), retries: 1))
            .AddCloudModel(Harness.Cloud("backup", backup.OpenAIEndpoint)));

        var answer = await harness.Assistant.AskAsync("Hi?");

        Assert.Equal("backup", answer.Provider);
        Assert.Equal(FallbackOutcome.Failed, answer.Decisions[0].Outcome);
        Assert.Contains("refused", answer.Decisions[0].Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Streaming_FallsBackBeforeTheFirstPiece()
    {
        await using var broken = await FakeLlmServer.StartAsync(Reply.Status(500));
        await using var backup = await FakeLlmServer.StartAsync(Reply.Ok("streamed from backup"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("broken", broken.OpenAIEndpoint, retries: 0))
            .AddCloudModel(Harness.Cloud("backup", backup.AnthropicEndpoint, CloudProtocol.Anthropic)));
        var pieces = new List<string>();

        var answer = await harness.Assistant.AskAsync("Hi?", onText: pieces.Add);

        Assert.Equal("backup", answer.Provider);
        Assert.Equal("streamed from backup", string.Concat(pieces));
        Assert.True(Assert.Single(broken.Requests).Stream);
    }

    [Fact]
    public async Task EveryProviderFailing_ThrowsWithEachReason()
    {
        await using var a = await FakeLlmServer.StartAsync(Reply.Status(500));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("a", a.OpenAIEndpoint, retries: 0))
            .AddCloudModel(Harness.Cloud("b", Harness.RefusedEndpoint(), retries: 0)));

        var ex = await Assert.ThrowsAsync<LlmUnavailableException>(() => harness.Assistant.AskAsync("Hi?"));

        Assert.Equal(["a", "b"], ex.Decisions.Select(d => d.Provider));
        Assert.All(ex.Decisions, d => Assert.Equal(FallbackOutcome.Failed, d.Outcome));
        Assert.StartsWith("no LLM provider could answer: a: ", ex.Message);
    }
}
