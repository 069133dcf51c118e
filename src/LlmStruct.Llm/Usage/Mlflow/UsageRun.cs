using System.Globalization;

namespace LlmStruct.Llm.Usage.Mlflow;

/// <summary>
/// Makes an <see cref="MlflowRun"/> of the usage store: params <c>provider</c> and <c>model</c> (the providers and
/// models that made calls, comma-separated) and <c>budget</c> (the context budget); metrics per provider and model
/// (<c>llm/{provider}/{model}/prompt_tokens</c>, <c>completion_tokens</c>, <c>calls</c>, <c>failures</c>,
/// <c>latency_ms_mean</c>, <c>latency_ms_max</c>, <c>cpu_ms</c>, <c>peak_ram_bytes</c>, <c>peak_vram_bytes</c>), the
/// same totals without the prefix, and the tokens per day at step <c>yyyyMMdd</c> (<c>tokens/prompt</c>,
/// <c>tokens/completion</c>); tags <c>mlflow.source.git.commit</c>, <c>mlflow.source.name</c> and <c>llmstruct.command</c>.
/// Only names and numbers: never a prompt, an answer or a key.
/// </summary>
public static class UsageRun
{
    /// <summary>The run for <paramref name="days"/> (the store's rows, e.g. <see cref="SqliteUsageStore.ByDayAsync"/>).</summary>
    /// <param name="days">The usage by day, provider and model.</param>
    /// <param name="experiment">The MLflow experiment's name.</param>
    /// <param name="name">The run's name.</param>
    /// <param name="budget">The context budget in tokens, when known.</param>
    /// <param name="gitCommit">The commit the work ran on, when known.</param>
    /// <param name="command">What produced the usage (<c>ask</c>, <c>ci</c>, <c>metrics push</c>).</param>
    public static MlflowRun From(IReadOnlyList<UsageDay> days, string experiment, string name, int? budget = null, string? gitCommit = null, string command = "metrics push")
    {
        ArgumentNullException.ThrowIfNull(days);
        var groups = days.GroupBy(d => (d.Provider, d.Model)).OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal).ToList();
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("provider", Joined(groups.Select(g => g.Key.Provider))),
            new("model", Joined(groups.Select(g => g.Key.Model))),
        };
        if (budget is int b)
        {
            parameters.Add(new("budget", b.ToString(CultureInfo.InvariantCulture)));
        }
        var metrics = new List<MlflowMetric>();
        foreach (var group in groups)
        {
            Add(metrics, "llm/" + MlflowTracking.MetricKey(group.Key.Provider) + "/" + MlflowTracking.MetricKey(group.Key.Model) + "/", [.. group]);
        }
        Add(metrics, "", days);
        foreach (var day in days.GroupBy(d => d.Day).OrderBy(g => g.Key))
        {
            long step = long.Parse(day.Key.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            metrics.Add(new MlflowMetric("tokens/prompt", day.Sum(d => d.PromptTokens), step));
            metrics.Add(new MlflowMetric("tokens/completion", day.Sum(d => d.CompletionTokens), step));
        }
        var tags = new List<KeyValuePair<string, string>> { new("mlflow.source.name", "llmstruct"), new("llmstruct.command", command) };
        if (!string.IsNullOrWhiteSpace(gitCommit))
        {
            tags.Add(new("mlflow.source.git.commit", gitCommit.Trim()));
        }
        return new MlflowRun { Experiment = experiment, Name = name, Params = parameters, Metrics = metrics, Tags = tags };
    }

    private static string Joined(IEnumerable<string> names)
    {
        var text = string.Join(",", names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return text.Length <= 6000 ? text : text[..6000];
    }

    private static void Add(List<MlflowMetric> metrics, string prefix, IReadOnlyCollection<UsageDay> rows)
    {
        long calls = rows.Sum(r => r.Calls);
        metrics.Add(new MlflowMetric(prefix + "calls", calls));
        metrics.Add(new MlflowMetric(prefix + "failures", rows.Sum(r => r.Failures)));
        metrics.Add(new MlflowMetric(prefix + "prompt_tokens", rows.Sum(r => r.PromptTokens)));
        metrics.Add(new MlflowMetric(prefix + "completion_tokens", rows.Sum(r => r.CompletionTokens)));
        metrics.Add(new MlflowMetric(prefix + "latency_ms_mean", calls == 0 ? 0 : (double)rows.Sum(r => r.LatencyMs) / calls));
        metrics.Add(new MlflowMetric(prefix + "latency_ms_max", rows.Count == 0 ? 0 : rows.Max(r => r.MaxLatencyMs)));
        metrics.Add(new MlflowMetric(prefix + "cpu_ms", rows.Sum(r => r.CpuMs)));
        metrics.Add(new MlflowMetric(prefix + "peak_ram_bytes", rows.Count == 0 ? 0 : rows.Max(r => r.PeakRamBytes)));
        if (rows.Any(r => r.PeakVramBytes is not null))
        {
            metrics.Add(new MlflowMetric(prefix + "peak_vram_bytes", rows.Max(r => r.PeakVramBytes ?? 0)));
        }
    }
}
