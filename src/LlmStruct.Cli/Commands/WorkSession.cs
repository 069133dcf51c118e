using System.Globalization;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Llm;
using LlmStruct.Llm.Work;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli.Commands;

/// <summary>
/// What <c>analyze</c> and <c>diff</c> share: struct.json (required), the configuration beside it, and the SDK's
/// <see cref="LlmWorkSession"/> (the LLM chain from <c>[llm]</c> and the work plugin); this class only prints. <see cref="OpenAsync"/> returns null after printing the error (exit code 2).
/// </summary>
internal sealed class WorkSession : IDisposable
{
    private readonly LlmWorkSession _session;

    private WorkSession(LlmWorkSession session, StructWorkPlugin plugin, string structPath, StructDocument document)
    {
        _session = session;
        Document = document;
        Plugin = plugin;
        StructPath = structPath;
    }

    public StructWorkPlugin Plugin { get; }

    public string StructPath { get; }

    /// <summary>The struct.json read (its tasks resolve <c>--task ID</c>).</summary>
    public StructDocument Document { get; }

    public void Dispose() => _session.Dispose();

    public static async Task<WorkSession?> OpenAsync(
        CliConsole console, Func<LlmOptions, string, ServiceProvider> services, FileInfo? structFile, FileInfo? config, DirectoryInfo? root,
        string? provider, int retries, CancellationToken cancellationToken)
    {
        var structPath = structFile?.FullName ?? Path.GetFullPath("struct.json");
        if (!File.Exists(structPath))
        {
            await console.FailAsync(ExitCodes.UsageOrIo, $"struct file not found: {structPath} (run 'llmstruct parse' first)").ConfigureAwait(false);
            return null;
        }
        var projectDir = Path.GetDirectoryName(structPath)!;
        StructDocument document;
        LlmWorkSession session;
        try
        {
            var request = new LlmWorkSessionRequest
            {
                ConfigPath = ConfigFile.Find(config, projectDir),
                ProjectDirectory = projectDir,
                Root = root?.FullName ?? projectDir,
                Provider = provider,
                Retries = retries,
            };
            document = await StructJson.ReadFileAsync(structPath, cancellationToken).ConfigureAwait(false);
            session = await LlmWorkSession.OpenAsync(request, services, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LlmWorkSetupException or ConfigException or IOException or UnauthorizedAccessException or JsonException)
        {
            await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
            return null;
        }
        foreach (var warning in session.Warnings)
        {
            await console.Error.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }
        return new WorkSession(session, session.CreatePlugin(document), structPath, document);
    }

    /// <summary>
    /// Starts recording what the chain does from here on in the caller's flow (call it directly from the command,
    /// not from an async helper: the trace flows down, not back up).
    /// </summary>
    public static LlmStruct.Llm.Chain.ChainTrace BeginTrace() => LlmStruct.Llm.Chain.ChainTrace.Begin();

    /// <summary>
    /// Like <c>ask</c>: prints each provider that failed or was skipped and why, the one that answered with the tokens
    /// used, and folds the usage store into struct.json's metrics (atomically). Returns <paramref name="exitCode"/>, or
    /// 2 when the metrics could not be written.
    /// </summary>
    public async Task<int> FinishAsync(CliConsole console, LlmStruct.Llm.Chain.ChainTrace trace, int exitCode, CancellationToken cancellationToken)
    {
        foreach (var decision in trace.Decisions.Where(d => d.Outcome != FallbackOutcome.Answered).Distinct())
        {
            var what = decision.Outcome == FallbackOutcome.Failed ? "failed" : "skipped";
            await console.Error.WriteLineAsync($"{decision.Provider} {what}: {decision.Reason}").ConfigureAwait(false);
        }
        if (trace.Provider is not null)
        {
            var calls = trace.Calls == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" over {trace.Calls} calls");
            await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"answered by {trace.Provider} ({trace.Model}): {trace.PromptTokens} prompt + {trace.CompletionTokens} completion tokens{calls}")).ConfigureAwait(false);
        }
        try
        {
            var updated = await _session.WithUsageAsync(Document, cancellationToken).ConfigureAwait(false);
            await LlmStruct.Pipeline.StructFileWriter.WriteAsync(StructPath, updated, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidStructException or Microsoft.Data.Sqlite.SqliteException)
        {
            return await console.FailAsync(ExitCodes.UsageOrIo, $"could not update the metrics in {StructPath}: {ex.Message}").ConfigureAwait(false);
        }
        return exitCode;
    }

    /// <summary>True for the failures <see cref="FailureAsync"/> reports.</summary>
    public static bool IsWorkFailure(Exception ex) => LlmWorkSession.IsWorkFailure(ex);

    /// <summary>Prints a work failure (see <see cref="IsWorkFailure"/>) and returns its exit code.</summary>
    public static async Task<int> FailureAsync(CliConsole console, Exception ex)
    {
        switch (ex)
        {
            case LlmWorkException work:
                for (int i = 0; i < work.Errors.Count; i++)
                {
                    await console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"attempt {i + 1}: {work.Errors[i]}")).ConfigureAwait(false);
                }
                return await console.FailAsync(ExitCodes.ModelFailed, work.Message).ConfigureAwait(false);
            case LlmUnavailableException unavailable:
                return await console.FailAsync(ExitCodes.UsageOrIo, unavailable.Message).ConfigureAwait(false);
            default:
                return await console.FailAsync(ExitCodes.UsageOrIo, ex.Message).ConfigureAwait(false);
        }
    }
}
