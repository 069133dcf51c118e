using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Telemetry;

namespace LlmStruct.Llm.Tests.Telemetry;

/// <summary>
/// The chain's GenAI metrics and spans, read by a listener: token usage by type, duration, calls by outcome, quota and
/// context skips, fallbacks; attributes are names only. Providers have names no other test uses, because the meter is
/// process-wide and other tests run at the same time.
/// </summary>
public sealed class LlmTelemetryTests
{
    [Fact]
    public async Task Calls_skips_and_fallbacks_are_measured_with_names_only()
    {
        using var recorder = new Recorder("tm-");
        await using var quota = await FakeLlmServer.StartAsync(Reply.Ok("first"));
        await using var broken = await FakeLlmServer.StartAsync(Reply.Status(500));
        await using var good = await FakeLlmServer.StartAsync(Reply.Ok("second"), Reply.Ok("third"));
        using var harness = new Harness(llm => llm
            .AddCloudModel(Harness.Cloud("tm-quota", quota.OpenAIEndpoint, dailyQuota: 1))
            .AddCloudModel(Harness.Cloud("tm-broken", broken.OpenAIEndpoint, retries: 0))
            .AddCloudModel(Harness.Cloud("tm-good", good.OpenAIEndpoint)));

        Assert.Equal("tm-quota", (await harness.Assistant.AskAsync("The first question, secret-prompt-1")).Provider);
        Assert.Equal("tm-good", (await harness.Assistant.AskAsync("The second question, secret-prompt-2")).Provider);

        Assert.Equal(1, recorder.Sum(LlmStructTelemetry.LlmSkips, "tm-quota", (LlmStructTelemetry.ReasonAttribute, "quota")));
        Assert.Equal(1, recorder.Sum(LlmStructTelemetry.LlmFallbacks, "tm-broken"));
        Assert.Equal(1, recorder.Sum(LlmStructTelemetry.LlmCalls, "tm-broken", (LlmStructTelemetry.OutcomeAttribute, "failed")));
        Assert.Equal(1, recorder.Sum(LlmStructTelemetry.LlmCalls, "tm-good", (LlmStructTelemetry.OutcomeAttribute, "answered")));
        Assert.Equal(1, recorder.Count(LlmStructTelemetry.GenAiTokenUsage, "tm-good", (LlmStructTelemetry.GenAiTokenType, "input")));
        Assert.Equal(1, recorder.Count(LlmStructTelemetry.GenAiTokenUsage, "tm-good", (LlmStructTelemetry.GenAiTokenType, "output")));
        Assert.True(recorder.Sum(LlmStructTelemetry.GenAiTokenUsage, "tm-good", (LlmStructTelemetry.GenAiTokenType, "input")) > 0);
        Assert.Equal(1, recorder.Count(LlmStructTelemetry.GenAiOperationDuration, "tm-broken", (LlmStructTelemetry.ErrorType, null)));

        var spans = recorder.Spans.Where(s => s.GetTagItem(LlmStructTelemetry.GenAiProviderName) is string p && p.StartsWith("tm-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["chat tm-broken-model", "chat tm-good-model", "chat tm-quota-model"], spans.Select(s => s.DisplayName).Order(StringComparer.Ordinal));
        var failed = spans.Single(s => s.DisplayName == "chat tm-broken-model");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.NotNull(failed.GetTagItem(LlmStructTelemetry.ErrorType));
        Assert.Equal(ActivityKind.Client, failed.Kind);

        // Names only: no question, no answer in any attribute.
        var values = recorder.AllTagValues().Concat(spans.SelectMany(s => s.TagObjects.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")));
        Assert.DoesNotContain(values, v => v.Contains("secret-prompt", StringComparison.Ordinal) || v.Contains("second", StringComparison.Ordinal));
    }

    private sealed class Recorder : IDisposable
    {
        private readonly string _prefix;
        private readonly MeterListener _meters = new();
        private readonly ActivityListener _spans;
        private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public Recorder(string providerPrefix)
        {
            _prefix = providerPrefix;
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LlmStructTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
            _meters.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
            _meters.Start();
            _spans = new ActivityListener
            {
                ShouldListenTo = s => s.Name == LlmStructTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => Spans.Enqueue(a),
            };
            ActivitySource.AddActivityListener(_spans);
        }

        public ConcurrentQueue<Activity> Spans { get; } = new();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = tags.ToArray();
            if (copy.Any(t => t.Key == LlmStructTelemetry.GenAiProviderName && t.Value is string p && p.StartsWith(_prefix, StringComparison.Ordinal)))
            {
                _measurements.Enqueue((instrument.Name, value, copy));
            }
        }

        private IEnumerable<double> Matching(string instrument, string provider, (string Key, object? Value)[] tags) =>
            _measurements.Where(m => m.Instrument == instrument
                    && m.Tags.Any(t => t.Key == LlmStructTelemetry.GenAiProviderName && (string?)t.Value == provider)
                    && tags.All(w => m.Tags.Any(t => t.Key == w.Key && (w.Value is null || Equals(t.Value, w.Value)))))
                .Select(m => m.Value);

        public double Sum(string instrument, string provider, params (string Key, object? Value)[] tags) => Matching(instrument, provider, tags).Sum();

        public int Count(string instrument, string provider, params (string Key, object? Value)[] tags) => Matching(instrument, provider, tags).Count();

        public IEnumerable<string> AllTagValues() =>
            _measurements.SelectMany(m => m.Tags.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));

        public void Dispose()
        {
            _meters.Dispose();
            _spans.Dispose();
        }
    }
}
