using System.Diagnostics;
using LlmStruct.Discovery;
using LlmStruct.Telemetry;

namespace LlmStruct.Pipeline;

/// <summary>What one run handled: recorded once per run, so the per-file work never touches an instrument.</summary>
internal readonly record struct RunCounts(int Files, long Bytes, int CacheHits, int CacheMisses, int Errors);

/// <summary>
/// Records a finished run on <see cref="LlmStructTelemetry"/>: stage durations, files, bytes, cache hits and errors,
/// and the same numbers on the run's span. Nothing is computed or allocated when no listener takes the instruments.
/// </summary>
internal static class ParseTelemetry
{
    public static bool Enabled => LlmStructTelemetry.ParseEnabled;

    public static RunCounts CountsOf(IReadOnlyList<DiscoveredFile> files, int cacheHits, int cacheMisses)
    {
        long bytes = 0;
        foreach (var file in files)
        {
            bytes += file.Length;
        }
        return new RunCounts(files.Count, bytes, cacheHits, cacheMisses, 0);
    }

    public static void Record(RunCounts counts, IReadOnlyList<StageTiming> timings, string outcome, Activity? activity)
    {
        if (activity is not null)
        {
            activity.SetTag(LlmStructTelemetry.OutcomeAttribute, outcome);
            activity.SetTag(LlmStructTelemetry.ParseFiles, counts.Files);
            activity.SetTag(LlmStructTelemetry.ParseBytes, counts.Bytes);
            activity.SetTag(LlmStructTelemetry.ParseCacheHits, counts.CacheHits);
            activity.SetTag(LlmStructTelemetry.ParseErrors, counts.Errors);
        }
        if (!Enabled)
        {
            return;
        }
        LlmStructTelemetry.ParseRunsInstrument.Add(1, new KeyValuePair<string, object?>(LlmStructTelemetry.OutcomeAttribute, outcome));
        if (LlmStructTelemetry.ParseDurationInstrument.Enabled)
        {
            foreach (var timing in timings)
            {
                LlmStructTelemetry.ParseDurationInstrument.Record(timing.Elapsed.TotalSeconds, new KeyValuePair<string, object?>(LlmStructTelemetry.StageAttribute, timing.Stage));
            }
        }
        LlmStructTelemetry.ParseFilesInstrument.Add(counts.Files);
        LlmStructTelemetry.ParseBytesInstrument.Add(counts.Bytes);
        LlmStructTelemetry.ParseCacheHitsInstrument.Add(counts.CacheHits);
        LlmStructTelemetry.ParseCacheMissesInstrument.Add(counts.CacheMisses);
        LlmStructTelemetry.ParseErrorsInstrument.Add(counts.Errors);
    }

    /// <summary>Records a run that threw; returns false so that the exception filter lets it pass on unchanged.</summary>
    public static bool Failed(Activity? activity, Exception ex)
    {
        activity?.SetStatus(ActivityStatusCode.Error);
        activity?.SetTag(LlmStructTelemetry.ErrorType, ex.GetType().FullName);
        if (Enabled)
        {
            LlmStructTelemetry.ParseRunsInstrument.Add(1, new KeyValuePair<string, object?>(LlmStructTelemetry.OutcomeAttribute, ex is OperationCanceledException ? "cancelled" : "failed"));
        }
        return false;
    }
}
