using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LlmStruct.Configuration;
using LlmStruct.Llm.Chain;
using LlmStruct.Llm.Work;
using LlmStruct.Llm.Work.Diffs;
using LlmStruct.Serve.Project;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Work;

/// <summary>A plan and who made it.</summary>
/// <param name="Analysis">The plan.</param>
/// <param name="Provider">The provider that answered.</param>
/// <param name="Model">Its model.</param>
internal sealed record ServeAnalysis(TaskAnalysis Analysis, string? Provider, string? Model);

/// <summary>A diff that applies, waiting for its confirmation.</summary>
/// <param name="Hash">SHA-256 of the diff's UTF-8 text (hex): the confirmation carries it.</param>
/// <param name="Diff">The diff.</param>
/// <param name="Changes">The files it changes (path and kind).</param>
/// <param name="Attempts">Model answers it took.</param>
/// <param name="Provider">The provider that answered.</param>
internal sealed record PendingDiff(string Hash, string Diff, IReadOnlyList<(string Path, string Kind)> Changes, int Attempts, string? Provider);

/// <summary>A confirmation names no pending diff (never made here, already applied, or forgotten).</summary>
internal sealed class UnknownDiffException(string hash) : Exception($"no diff '{hash}' is waiting for confirmation (make it again on /generate_diff)");

/// <summary>
/// The work behind <c>/analyze_task</c> and <c>/generate_diff</c>: each request opens the SDK's
/// <see cref="LlmWorkSession"/> over the project's llmstruct.toml (so an edited <c>[llm]</c> counts at once) with the
/// host's chain composition (<see cref="ServeOptions.LlmServices"/>), and plans or diffs against the loaded struct.json.
/// A diff is only kept in memory until it is confirmed by its hash; applying checks it again against the tree as it is
/// then and writes under the project folder only.
/// </summary>
internal sealed class ServeWork(ServeProject project, IOptions<ServeOptions> options, ILogger<ServeWork> logger)
{
    /// <summary>How many diffs wait for confirmation at most (the oldest is forgotten first).</summary>
    public const int MaxPending = 16;

    /// <summary>The longest task text accepted.</summary>
    public const int MaxTaskChars = 20_000;

    private readonly ConcurrentDictionary<string, (PendingDiff Diff, long Order)> _pending = new(StringComparer.Ordinal);
    private long _order;

    /// <summary>Plans <paramref name="task"/>. Throws <see cref="WorkInputException"/>, <see cref="LlmWorkSetupException"/> or a work failure (<see cref="LlmWorkSession.IsWorkFailure"/>).</summary>
    public async Task<ServeAnalysis> AnalyzeAsync(string? task, CancellationToken ct)
    {
        var text = CheckTask(task);
        using var session = await OpenAsync(ct).ConfigureAwait(false);
        var loaded = await project.GetAsync(ct).ConfigureAwait(false);
        var trace = ChainTrace.Begin();
        var analysis = await session.CreatePlugin(loaded.Document).AnalyzeTaskAsync(text, ct).ConfigureAwait(false);
        logger.LogInformation("Planned a task with {Provider} in {Attempts} attempt(s)", trace.Provider, analysis.Attempts);
        return new ServeAnalysis(analysis, trace.Provider, trace.Model);
    }

    /// <summary>Asks for a diff doing <paramref name="task"/> with <paramref name="focus"/> in the prompt; keeps it until confirmed.</summary>
    public async Task<PendingDiff> GenerateDiffAsync(string? task, IReadOnlyList<string> focus, CancellationToken ct)
    {
        var text = CheckTask(task);
        using var session = await OpenAsync(ct).ConfigureAwait(false);
        var loaded = await project.GetAsync(ct).ConfigureAwait(false);
        var trace = ChainTrace.Begin();
        var proposal = await session.CreatePlugin(loaded.Document).GenerateDiffAsync(text, focus, ct).ConfigureAwait(false);
        var pending = new PendingDiff(HashOf(proposal.Diff), proposal.Diff, [.. proposal.Changes.Select(c => (c.Path, c.Kind))], proposal.Attempts, trace.Provider);
        _pending[pending.Hash] = (pending, Interlocked.Increment(ref _order));
        while (_pending.Count > MaxPending && _pending.OrderBy(p => p.Value.Order).FirstOrDefault() is { Key: { } oldest })
        {
            _pending.TryRemove(oldest, out _);
        }
        logger.LogInformation("Made a diff of {Files} file(s) with {Provider}; waiting for confirmation", pending.Changes.Count, trace.Provider);
        return pending;
    }

    /// <summary>The diff waiting under <paramref name="hash"/>, or null.</summary>
    public PendingDiff? Pending(string? hash) => hash is not null && _pending.TryGetValue(hash, out var p) ? p.Diff : null;

    /// <summary>
    /// Applies the diff waiting under <paramref name="hash"/> (checked again against the tree now) and forgets it;
    /// returns the files changed. Throws <see cref="UnknownDiffException"/>, <see cref="DiffException"/> (it no longer applies) or an I/O error.
    /// </summary>
    public async Task<IReadOnlyList<FileChange>> ApplyAsync(string? hash, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(hash))
        {
            throw new WorkInputException("hash", "give the hash of the diff to apply (from /generate_diff)");
        }
        if (!_pending.TryGetValue(hash, out var entry))
        {
            throw new UnknownDiffException(hash);
        }
        using var session = await OpenAsync(ct).ConfigureAwait(false);
        var changes = await session.ApplyDiffAsync(entry.Diff.Diff, ct).ConfigureAwait(false);
        _pending.TryRemove(hash, out _);
        logger.LogInformation("Applied a diff to {Files} file(s)", changes.Count);
        return changes;
    }

    /// <summary>SHA-256 of the diff's UTF-8 text, lower-case hex.</summary>
    public static string HashOf(string diff) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(diff)));

    private async Task<LlmWorkSession> OpenAsync(CancellationToken ct)
    {
        var services = options.Value.LlmServices
            ?? throw new LlmWorkSetupException("this server has no LLM chain (the host did not set ServeOptions.LlmServices)");
        return await LlmWorkSession.OpenAsync(new LlmWorkSessionRequest
        {
            ConfigPath = project.ConfigFile,
            ProjectDirectory = project.Root,
            Root = project.Root,
            Retries = options.Value.WorkRetries,
        }, services, ct).ConfigureAwait(false);
    }

    private static string CheckTask(string? task)
    {
        if (string.IsNullOrWhiteSpace(task))
        {
            throw new WorkInputException("task", "describe the task (it is empty)");
        }
        if (task.Length > MaxTaskChars)
        {
            throw new WorkInputException("task", $"the task is longer than {MaxTaskChars} characters");
        }
        return task.Trim();
    }
}

/// <summary>Bad input to a work endpoint, naming the field.</summary>
internal sealed class WorkInputException(string field, string message) : Exception(message)
{
    /// <summary>The field.</summary>
    public string Field { get; } = field;
}

/// <summary>How a work failure is answered: status, title and detail for a person.</summary>
internal static class WorkFailures
{
    /// <summary>The status, title and message of <paramref name="ex"/>; null when it is not a work failure.</summary>
    public static (int Status, string Title, string Detail, IReadOnlyList<string> Errors)? Describe(Exception ex) => ex switch
    {
        WorkInputException input => (400, "Bad request", input.Message, []),
        LlmWorkSetupException setup => (503, "LLM not available", setup.Message, []),
        ConfigException config => (503, "LLM not available", config.Message, []),
        UnknownDiffException unknown => (404, "No such diff", unknown.Message, []),
        LlmWorkException { Refused: true } refused => (422, "Refused", refused.Message, refused.Errors),
        LlmWorkException work => (502, "No valid answer", work.Message, work.Errors),
        LlmStruct.Llm.LlmUnavailableException unavailable => (503, "LLM not available", unavailable.Message, []),
        DiffException diff => (409, "The diff no longer applies", diff.Message, []),
        IOException or UnauthorizedAccessException => (500, "File error", ex.Message, []),
        InvalidOperationException => (502, "LLM error", ex.Message, []),
        _ => null,
    };
}
