using System.Diagnostics;
using LlmStruct.Llm.Telemetry;
using LlmStruct.Llm.Tokens;
using LlmStruct.Llm.Usage;
using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Chain;

/// <summary>
/// Records every call in the usage store: tokens (as reported, else counted), latency, time to first token,
/// process CPU and peak RAM, and GPU memory where the backend reports it.
/// </summary>
internal sealed class UsageMeteringChatClient(IChatClient inner, LlmProviderSettings settings, IUsageStore store, TimeProvider time)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var meter = Meter.Start(time, settings);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RecordAsync(meter, list, null, null, null, ex).ConfigureAwait(false);
            throw;
        }
        await RecordAsync(meter, list, response.Text, response.Usage, null, null).ConfigureAwait(false);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var meter = Meter.Start(time, settings);
        var text = new System.Text.StringBuilder();
        UsageDetails? usage = null;
        long? firstTokenMs = null;
        bool recorded = false;
        IAsyncEnumerator<ChatResponseUpdate> enumerator;
        try
        {
            enumerator = base.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex)
        {
            // A client may fail before returning its stream (e.g. one that could not be created).
            await RecordAsync(meter, list, null, null, null, ex).ConfigureAwait(false);
            throw;
        }
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    recorded = true;
                    await RecordAsync(meter, list, text.ToString(), usage, firstTokenMs, ex).ConfigureAwait(false);
                    throw;
                }
                var update = enumerator.Current;
                var piece = update.Text;
                if (firstTokenMs is null && piece.Length > 0)
                {
                    firstTokenMs = meter.ElapsedMs;
                }
                text.Append(piece);
                foreach (var content in update.Contents.OfType<UsageContent>())
                {
                    usage ??= new UsageDetails();
                    usage.Add(content.Details);
                }
                yield return update;
            }
        }
        finally
        {
            // Also when the caller stops reading early: what was streamed until then was a successful call.
            if (!recorded)
            {
                await RecordAsync(meter, list, text.ToString(), usage, firstTokenMs ?? meter.ElapsedMs, null).ConfigureAwait(false);
            }
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(Meter meter, IReadOnlyCollection<ChatMessage> messages, string? answer, UsageDetails? usage, long? firstTokenMs, Exception? error)
    {
        var counter = InnerClient.GetService<IPromptTokenCounter>() ?? EstimatingTokenCounter.Instance;
        long prompt = usage?.InputTokenCount ?? ConversationTokens.Count(messages, counter);
        long completion = usage?.OutputTokenCount ?? (string.IsNullOrEmpty(answer) ? 0 : counter.CountTokens(answer));
        double seconds = meter.ElapsedSeconds;
        var (latencyMs, cpuMs, peakRam) = meter.Stop();
        var probe = InnerClient.GetService<IDeviceMemoryProbe>();
        LlmTelemetry.RecordCall(settings, meter.Activity, prompt, error is null ? completion : 0, seconds, error);
        if (probe is not null)
        {
            LlmTelemetry.Observe(settings, probe);
        }
        var record = new UsageRecord
        {
            Provider = settings.Name,
            Model = settings.Model,
            Day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            Succeeded = error is null,
            ErrorKind = error?.GetType().Name,
            PromptTokens = prompt,
            CompletionTokens = error is null ? completion : 0,
            LatencyMs = latencyMs,
            FirstTokenMs = error is null ? firstTokenMs : null,
            CpuMs = cpuMs,
            PeakRamBytes = peakRam,
            VramBytes = probe?.UsedBytes(),
        };
        if (error is null && ChainTrace.Current is { } trace)
        {
            // A trace may span several calls (analyze's retries): it holds their sum.
            trace.PromptTokens += prompt;
            trace.CompletionTokens += completion;
            trace.Calls++;
        }
        // The call's own outcome matters more than its bookkeeping: a store that cannot be written must not turn an answer into a failure.
        try
        {
            await store.RecordAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            Debug.WriteLine($"usage store: {ex.GetType().Name}");
        }
    }

    private readonly struct Meter
    {
        private readonly TimeProvider _time;
        private readonly long _start;
        private readonly TimeSpan _cpuStart;

        private Meter(TimeProvider time, long start, TimeSpan cpuStart, Activity? activity) => (_time, _start, _cpuStart, Activity) = (time, start, cpuStart, activity);

        /// <summary>The call's span (null when nothing listens); <see cref="LlmTelemetry.RecordCall"/> ends it.</summary>
        public Activity? Activity { get; }

        public long ElapsedMs => (long)_time.GetElapsedTime(_start).TotalMilliseconds;

        public double ElapsedSeconds => _time.GetElapsedTime(_start).TotalSeconds;

        public static Meter Start(TimeProvider time, LlmProviderSettings settings)
        {
            using var process = Process.GetCurrentProcess();
            return new Meter(time, time.GetTimestamp(), process.TotalProcessorTime, LlmTelemetry.StartChat(settings));
        }

        public (long LatencyMs, long CpuMs, long PeakRamBytes) Stop()
        {
            using var process = Process.GetCurrentProcess();
            long cpu = (long)Math.Max(0, (process.TotalProcessorTime - _cpuStart).TotalMilliseconds);
            return (ElapsedMs, cpu, process.PeakWorkingSet64);
        }
    }
}
