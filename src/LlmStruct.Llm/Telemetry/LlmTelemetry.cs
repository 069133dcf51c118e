using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using LlmStruct.Llm.Usage;
using LlmStruct.Telemetry;

namespace LlmStruct.Llm.Telemetry;

/// <summary>
/// The LLM instruments on <see cref="LlmStructTelemetry.Meter"/> (GenAI semantic conventions plus fallbacks, skips
/// and GPU memory) and the <c>chat {model}</c> span. Attributes are provider and model names, the operation, the
/// token type, a skip reason and an exception type name: never a prompt, an answer or a key.
/// </summary>
internal static class LlmTelemetry
{
    public const string ChatOperation = "chat";

    private static readonly Histogram<long> TokenUsage = LlmStructTelemetry.Meter.CreateHistogram(
        LlmStructTelemetry.GenAiTokenUsage, "{token}", "Number of input and output tokens used.", tags: null,
        new InstrumentAdvice<long> { HistogramBucketBoundaries = LlmStructTelemetry.TokenBuckets });

    private static readonly Histogram<double> OperationDuration = LlmStructTelemetry.Meter.CreateHistogram(
        LlmStructTelemetry.GenAiOperationDuration, "s", "GenAI operation duration.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = LlmStructTelemetry.DurationBuckets });

    private static readonly Counter<long> Calls = LlmStructTelemetry.Meter.CreateCounter<long>(LlmStructTelemetry.LlmCalls, "{call}", "LLM calls by outcome.");

    private static readonly Counter<long> Fallbacks = LlmStructTelemetry.Meter.CreateCounter<long>(LlmStructTelemetry.LlmFallbacks, "{call}", "Providers passed over after a failure.");

    private static readonly Counter<long> Skips = LlmStructTelemetry.Meter.CreateCounter<long>(LlmStructTelemetry.LlmSkips, "{call}", "Providers skipped without a call.");

    // Probes by provider name: the gauge asks each when a listener collects (a CPU backend answers null: no point).
    private static readonly ConcurrentDictionary<string, (string Model, IDeviceMemoryProbe Probe)> Probes = new(StringComparer.Ordinal);

    private static readonly ObservableGauge<long> GpuMemory = LlmStructTelemetry.Meter.CreateObservableGauge(
        LlmStructTelemetry.GpuMemoryUsage, ObserveGpuMemory, "By", "GPU memory in use as a local model's backend reports it.");

    /// <summary>Starts the call's span (null when nothing listens), parented to the current one but not made current.</summary>
    public static Activity? StartChat(LlmProviderSettings settings)
    {
        var source = LlmStructTelemetry.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }
        var previous = Activity.Current;
        var activity = source.StartActivity(ChatOperation + " " + settings.Model, ActivityKind.Client);
        // Streamed answers are async iterators: a span made current there would leak into the caller between updates.
        Activity.Current = previous;
        if (activity is not null)
        {
            activity.SetTag(LlmStructTelemetry.GenAiOperationName, ChatOperation);
            activity.SetTag(LlmStructTelemetry.GenAiProviderName, settings.Name);
            activity.SetTag(LlmStructTelemetry.GenAiRequestModel, settings.Model);
        }
        return activity;
    }

    /// <summary>Records one finished call on the span (ended here) and the instruments.</summary>
    public static void RecordCall(LlmProviderSettings settings, Activity? activity, long inputTokens, long outputTokens, double seconds, Exception? error)
    {
        if (activity is not null)
        {
            activity.SetTag(LlmStructTelemetry.GenAiUsageInputTokens, inputTokens);
            if (error is null)
            {
                activity.SetTag(LlmStructTelemetry.GenAiUsageOutputTokens, outputTokens);
            }
            else
            {
                activity.SetTag(LlmStructTelemetry.ErrorType, error.GetType().FullName);
                activity.SetStatus(ActivityStatusCode.Error);
            }
            activity.Dispose();
        }
        if (!OperationDuration.Enabled && !TokenUsage.Enabled && !Calls.Enabled)
        {
            return;
        }
        var tags = Common(settings);
        Calls.Add(1, Append(tags, LlmStructTelemetry.OutcomeAttribute, error is null ? "answered" : "failed"));
        if (error is not null)
        {
            tags.Add(LlmStructTelemetry.ErrorType, error.GetType().FullName);
            OperationDuration.Record(seconds, tags);
            return;
        }
        OperationDuration.Record(seconds, tags);
        TokenUsage.Record(inputTokens, Append(tags, LlmStructTelemetry.GenAiTokenType, "input"));
        TokenUsage.Record(outputTokens, Append(tags, LlmStructTelemetry.GenAiTokenType, "output"));
    }

    /// <summary>Counts a provider the fallback chain passed over after a failure.</summary>
    public static void RecordFallback(LlmProviderSettings settings, Exception error)
    {
        if (Fallbacks.Enabled)
        {
            Fallbacks.Add(1, Append(Common(settings), LlmStructTelemetry.ErrorType, error.GetType().FullName));
        }
    }

    /// <summary>Counts a provider skipped without a call.</summary>
    public static void RecordSkip(LlmProviderSettings settings, FallbackOutcome outcome)
    {
        if (Skips.Enabled)
        {
            Skips.Add(1, Append(Common(settings), LlmStructTelemetry.ReasonAttribute, outcome == FallbackOutcome.SkippedQuota ? "quota" : "context"));
        }
    }

    /// <summary>Lets the GPU memory gauge ask <paramref name="probe"/> for the provider's backend.</summary>
    public static void Observe(LlmProviderSettings settings, IDeviceMemoryProbe probe)
    {
        Probes[settings.Name] = (settings.Model, probe);
        GC.KeepAlive(GpuMemory);
    }

    private static IEnumerable<Measurement<long>> ObserveGpuMemory()
    {
        foreach (var (provider, (model, probe)) in Probes)
        {
            if (probe.UsedBytes() is long used)
            {
                yield return new Measurement<long>(used,
                    new KeyValuePair<string, object?>(LlmStructTelemetry.GenAiProviderName, provider),
                    new KeyValuePair<string, object?>(LlmStructTelemetry.GenAiRequestModel, model));
            }
        }
    }

    private static TagList Common(LlmProviderSettings settings) => new()
    {
        { LlmStructTelemetry.GenAiOperationName, ChatOperation },
        { LlmStructTelemetry.GenAiProviderName, settings.Name },
        { LlmStructTelemetry.GenAiRequestModel, settings.Model },
    };

    private static TagList Append(TagList tags, string key, object? value)
    {
        tags.Add(key, value);
        return tags;
    }
}
