using LlmStruct.Configuration;
using LlmStruct.Llm.Usage;
using LlmStruct.Model;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Llm.Work;

/// <summary>What <see cref="LlmWorkSession.OpenAsync"/> needs.</summary>
public sealed record LlmWorkSessionRequest
{
    /// <summary>The llmstruct.toml to read <c>[llm]</c> from (a path that does not exist means defaults: no provider).</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The project folder (the folder of struct.json): the usage store and local model paths resolve against it.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The folder the diffs apply to (usually <see cref="ProjectDirectory"/>); nothing outside it is read or written.</summary>
    public required string Root { get; init; }

    /// <summary>Ask only this provider (a name from <c>[[llm.providers]]</c>); null: the configured order.</summary>
    public string? Provider { get; init; }

    /// <summary>How many times an invalid answer is sent back to the model (0 or more).</summary>
    public int Retries { get; init; } = 2;
}

/// <summary>The work cannot start: a bad setting, a bad llmstruct.toml, no provider configured. The message says why, for a person.</summary>
public sealed class LlmWorkSetupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LlmWorkSetupException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public LlmWorkSetupException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public LlmWorkSetupException() { }
}

/// <summary>
/// What <c>llmstruct analyze</c>, <c>llmstruct diff</c> and the serve work pages share: the configuration's <c>[llm]</c>
/// (a provider required, <see cref="LlmWorkSessionRequest.Provider"/> checked), the services of the chain built by the
/// host's factory, and work plugins over a struct document. Dispose it to release the chain (a local model included).
/// </summary>
public sealed class LlmWorkSession : IDisposable
{
    private readonly IServiceProvider _services;
    private readonly WorkOptions _options;

    private LlmWorkSession(IServiceProvider services, WorkOptions options, string root, IReadOnlyList<string> warnings, LlmOptions llm)
    {
        _services = services;
        _options = options;
        Root = root;
        Warnings = warnings;
        Llm = llm;
    }

    /// <summary>The folder diffs apply to (absolute).</summary>
    public string Root { get; }

    /// <summary>The configuration's warnings (unknown keys and the like), for the caller to show.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The <c>[llm]</c> section in use (its order narrowed to the chosen provider).</summary>
    public LlmOptions Llm { get; }

    /// <summary>The usage store of the chain (every call is recorded there).</summary>
    public IUsageStore UsageStore => _services.GetRequiredService<IUsageStore>();

    /// <summary>
    /// Reads the configuration and builds the chain with <paramref name="services"/> (the host's composition: which
    /// model packages exist is the host's business). Throws <see cref="LlmWorkSetupException"/> with a readable message.
    /// </summary>
    public static async Task<LlmWorkSession> OpenAsync(
        LlmWorkSessionRequest request, Func<LlmOptions, string, IServiceProvider> services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(services);
        if (request.Retries < 0)
        {
            throw new LlmWorkSetupException("--retries must be 0 or more");
        }
        var root = Path.GetFullPath(request.Root);
        if (!Directory.Exists(root))
        {
            throw new LlmWorkSetupException($"root folder not found: {root}");
        }
        LoadedConfig loaded;
        try
        {
            loaded = await ConfigLoader.LoadAsync(request.ConfigPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
        {
            throw new LlmWorkSetupException(ex.Message, ex);
        }
        var llm = loaded.Options.Llm;
        if (llm.Providers.Count == 0)
        {
            throw new LlmWorkSetupException("no LLM is configured: add [[llm.providers]] to llmstruct.toml (see docs/llm.md)");
        }
        if (request.Provider is { } provider)
        {
            if (!llm.Providers.Any(p => p.Name == provider))
            {
                throw new LlmWorkSetupException($"--provider {provider}: no such provider in [[llm.providers]]");
            }
            llm.Order = [provider];
        }
        IServiceProvider built;
        try
        {
            built = services(llm, Path.GetFullPath(request.ProjectDirectory));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new LlmWorkSetupException(ex.Message, ex);
        }
        var options = new WorkOptions
        {
            MaxRetries = request.Retries,
            ContextTokens = llm.ContextTokens,
            Redactor = new LlmStruct.Security.SourceRedactor(loaded.Options.Security),
        };
        return new LlmWorkSession(built, options, root, loaded.Warnings, llm);
    }

    /// <summary>
    /// The provider chain as a plain chat client (fallback, quota, context fit and usage metering included; no tools):
    /// every response and streamed update names the provider that answered under <c>llmstruct.provider</c>.
    /// </summary>
    public Microsoft.Extensions.AI.IChatClient ChatClient => _services.GetRequiredService<LlmAssistant>().ChatClient;

    /// <summary>A work plugin (analyze_task, generate_diff) over <paramref name="document"/>, asking this session's chain.</summary>
    public StructWorkPlugin CreatePlugin(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return _services.GetRequiredService<LlmAssistant>().CreateWorkPlugin(document, Root, _options);
    }

    /// <summary>
    /// Applies <paramref name="diff"/> to the tree as it is now (checked again: a file changed since the diff was made
    /// refuses it with <see cref="Diffs.DiffException"/>), each file written atomically under <see cref="Root"/> only;
    /// returns the files changed.
    /// </summary>
    public async Task<IReadOnlyList<Diffs.FileChange>> ApplyDiffAsync(string diff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var changes = Diffs.DiffApplier.Apply(Root, diff, _options.Redactor);
        await Diffs.DiffApplier.WriteAsync(Root, changes, cancellationToken).ConfigureAwait(false);
        return changes;
    }

    /// <summary><paramref name="document"/> with its <c>metrics.llm</c> folded from the usage store (to write back to struct.json).</summary>
    public Task<StructDocument> WithUsageAsync(StructDocument document, CancellationToken cancellationToken = default) =>
        UsageMetrics.WithUsageAsync(document, UsageStore, cancellationToken);

    /// <summary>
    /// True for the failures of a work call a caller reports rather than crashes on: no valid answer
    /// (<see cref="LlmWorkException"/>), no provider answered, a diff that does not apply, file access.
    /// </summary>
    public static bool IsWorkFailure(Exception ex) =>
        ex is LlmWorkException or LlmUnavailableException or IOException or UnauthorizedAccessException or InvalidOperationException
            or Diffs.DiffException;

    /// <inheritdoc/>
    public void Dispose() => (_services as IDisposable)?.Dispose();
}
