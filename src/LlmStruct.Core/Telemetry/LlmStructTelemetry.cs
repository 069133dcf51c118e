using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LlmStruct.Telemetry;

/// <summary>
/// The names of everything LlmStruct reports through <c>System.Diagnostics</c>: one <see cref="Meter"/> and one
/// <see cref="ActivitySource"/> (both named <see cref="Name"/>) shared by every package, the instruments on them, and
/// the attributes they carry. A host that wants them adds an exporter (OpenTelemetry's <c>AddMeter(LlmStructTelemetry.Name)</c>
/// and <c>AddSource(LlmStructTelemetry.Name)</c>, or any <see cref="MeterListener"/>); without one, recording costs a
/// check of <see cref="Instrument.Enabled"/> per run or call. LLM calls follow the OpenTelemetry GenAI semantic
/// conventions (<c>gen_ai.*</c>); the rest are LlmStruct's own (<c>llmstruct.*</c>). No attribute ever holds a prompt,
/// an answer, file content, a path or a key: only stage, format, provider, model, operation and error type names.
/// See docs/metrics.md for units, attributes and their Prometheus names.
/// </summary>
public static class LlmStructTelemetry
{
    /// <summary>The name of the meter and of the activity source: <c>LlmStruct</c>.</summary>
    public const string Name = "LlmStruct";

    /// <summary>Histogram, seconds: wall time of one parse stage (attribute <see cref="StageAttribute"/>).</summary>
    public const string ParseDuration = "llmstruct.parse.duration";

    /// <summary>Counter: source files a parse run handled (parsed or taken from the cache).</summary>
    public const string ParseFiles = "llmstruct.parse.files";

    /// <summary>Counter, bytes: size of the source files a parse run handled.</summary>
    public const string ParseBytes = "llmstruct.parse.bytes";

    /// <summary>Counter: files taken from the parse cache instead of being parsed.</summary>
    public const string ParseCacheHits = "llmstruct.parse.cache.hits";

    /// <summary>Counter: files looked up in the parse cache and not found (parsed).</summary>
    public const string ParseCacheMisses = "llmstruct.parse.cache.misses";

    /// <summary>Counter: parse errors (files that could not be read or parsed cleanly).</summary>
    public const string ParseErrors = "llmstruct.parse.errors";

    /// <summary>Counter: parse runs (attribute <see cref="OutcomeAttribute"/>: <c>parsed</c>, <c>patched</c>, <c>up_to_date</c>, <c>failed</c>).</summary>
    public const string ParseRuns = "llmstruct.parse.runs";

    /// <summary>Counter, tokens: context rendered for an LLM (attribute <see cref="FormatAttribute"/>).</summary>
    public const string ContextTokens = "llmstruct.context.tokens";

    /// <summary>Histogram, tokens: the GenAI convention's token usage per call (attribute <see cref="GenAiTokenType"/>: <c>input</c> or <c>output</c>).</summary>
    public const string GenAiTokenUsage = "gen_ai.client.token.usage";

    /// <summary>Histogram, seconds: the GenAI convention's duration of one call (with <see cref="ErrorType"/> when it failed).</summary>
    public const string GenAiOperationDuration = "gen_ai.client.operation.duration";

    /// <summary>Counter: LLM calls by outcome (attribute <see cref="OutcomeAttribute"/>: <c>answered</c> or <c>failed</c>).</summary>
    public const string LlmCalls = "llmstruct.llm.calls";

    /// <summary>Counter: providers passed over by the fallback chain after a failure (the next one was tried).</summary>
    public const string LlmFallbacks = "llmstruct.llm.fallbacks";

    /// <summary>Counter: providers skipped without a call (attribute <see cref="ReasonAttribute"/>: <c>quota</c> or <c>context</c>).</summary>
    public const string LlmSkips = "llmstruct.llm.skips";

    /// <summary>Observable gauge, bytes: device (GPU) memory in use as a local model's backend reports it.</summary>
    public const string GpuMemoryUsage = "llmstruct.gpu.memory.usage";

    /// <summary>Observable gauge, bytes: the process's working set (RAM).</summary>
    public const string ProcessMemoryUsage = "llmstruct.process.memory.usage";

    /// <summary>Observable counter, seconds: CPU time the process has used.</summary>
    public const string ProcessCpuTime = "llmstruct.process.cpu.time";

    /// <summary>Span of one parse run (<c>StructPipeline.RunAsync</c> or <c>BuildAsync</c>).</summary>
    public const string ParseActivity = "llmstruct.parse";

    /// <summary>Attribute: the parse stage (<c>discover</c>, <c>parse</c>, <c>link</c>, <c>write</c>…).</summary>
    public const string StageAttribute = "llmstruct.stage";

    /// <summary>Attribute: how a run or call ended.</summary>
    public const string OutcomeAttribute = "llmstruct.outcome";

    /// <summary>Attribute: why a provider was skipped.</summary>
    public const string ReasonAttribute = "llmstruct.reason";

    /// <summary>Attribute: the context format (<c>md</c>, <c>xml</c>, <c>json</c>).</summary>
    public const string FormatAttribute = "llmstruct.format";

    /// <summary>GenAI attribute: the operation (<c>chat</c>).</summary>
    public const string GenAiOperationName = "gen_ai.operation.name";

    /// <summary>GenAI attribute: the provider, as named in <c>[llm]</c>.</summary>
    public const string GenAiProviderName = "gen_ai.provider.name";

    /// <summary>GenAI attribute: the model asked for.</summary>
    public const string GenAiRequestModel = "gen_ai.request.model";

    /// <summary>GenAI attribute: <c>input</c> or <c>output</c> tokens.</summary>
    public const string GenAiTokenType = "gen_ai.token.type";

    /// <summary>GenAI span attribute: input tokens of the call.</summary>
    public const string GenAiUsageInputTokens = "gen_ai.usage.input_tokens";

    /// <summary>GenAI span attribute: output tokens of the call.</summary>
    public const string GenAiUsageOutputTokens = "gen_ai.usage.output_tokens";

    /// <summary>Attribute: the failure's exception type name (never its message).</summary>
    public const string ErrorType = "error.type";

    /// <summary>
    /// The meter every LlmStruct package creates its instruments on. Hosts listen by <see cref="Name"/>; creating
    /// instruments on it from outside LlmStruct is not supported.
    /// </summary>
    public static Meter Meter { get; } = new(Name, typeof(LlmStructTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>The activity source every LlmStruct span starts from.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(LlmStructTelemetry).Assembly.GetName().Version?.ToString(3));

    /// <summary>Bucket bounds (seconds) for durations: the GenAI convention's advice, 10 ms to 82 s.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>Bucket bounds for token counts: the GenAI convention's advice, powers of four from 1 to 67,108,864.</summary>
    public static IReadOnlyList<long> TokenBuckets { get; } = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    internal static Histogram<double> ParseDurationInstrument { get; } = Meter.CreateHistogram(
        ParseDuration, "s", "Wall time of one parse stage.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    internal static Counter<long> ParseFilesInstrument { get; } = Meter.CreateCounter<long>(ParseFiles, "{file}", "Source files a parse run handled.");

    internal static Counter<long> ParseBytesInstrument { get; } = Meter.CreateCounter<long>(ParseBytes, "By", "Bytes of the source files a parse run handled.");

    internal static Counter<long> ParseCacheHitsInstrument { get; } = Meter.CreateCounter<long>(ParseCacheHits, "{file}", "Files taken from the parse cache.");

    internal static Counter<long> ParseCacheMissesInstrument { get; } = Meter.CreateCounter<long>(ParseCacheMisses, "{file}", "Files not found in the parse cache.");

    internal static Counter<long> ParseErrorsInstrument { get; } = Meter.CreateCounter<long>(ParseErrors, "{error}", "Parse errors.");

    internal static Counter<long> ParseRunsInstrument { get; } = Meter.CreateCounter<long>(ParseRuns, "{run}", "Parse runs by outcome.");

    internal static Counter<long> ContextTokensInstrument { get; } = Meter.CreateCounter<long>(ContextTokens, "{token}", "Tokens of context rendered.");

    internal static ObservableGauge<long> ProcessMemoryInstrument { get; } = Meter.CreateObservableGauge(
        ProcessMemoryUsage, static () => Environment.WorkingSet, "By", "The process's working set.");

    internal static ObservableCounter<double> ProcessCpuInstrument { get; } = Meter.CreateObservableCounter(
        ProcessCpuTime, static () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "CPU time the process has used.");

    /// <summary>Whether any listener takes the parse instruments (a run records nothing otherwise).</summary>
    internal static bool ParseEnabled => ParseRunsInstrument.Enabled || ParseDurationInstrument.Enabled || ParseFilesInstrument.Enabled;
}
