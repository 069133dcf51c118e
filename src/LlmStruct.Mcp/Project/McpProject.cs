using LlmStruct.Caching;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Llm.Work;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;
using LlmStruct.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmStruct.Mcp.Project;

/// <summary>The struct the tools answer from: the document, its index and the configuration it was made with.</summary>
/// <param name="Document">The document.</param>
/// <param name="Index">Lookups by id and name, callers.</param>
/// <param name="Options">llmstruct.toml's options (default ones when there is none).</param>
internal sealed record McpStruct(StructDocument Document, StructIndex Index, LlmStructOptions Options)
{
    /// <summary>The redactor of <c>[security]</c>: source text a tool returns is redacted as struct.json is.</summary>
    public SourceRedactor Redactor { get; } = new(Options.Security);
}

/// <summary>
/// The served project, kept current while the server runs: struct.json is read again when its write time changes; with
/// <see cref="StructMcpOptions.WatchFiles"/> and the parsers registered, a change to any other file under the root marks
/// the struct stale, and the next call parses the project again through the parse cache (only changed files are read),
/// keeping the result in memory (struct.json on disk is the user's, and is never written by the server). Without a
/// struct.json the project is parsed on first use.
/// </summary>
internal sealed class McpProject : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly TreeWatcher? _watcher;
    private McpStruct? _loaded;
    private DateTime _structStamp;
    private int _stale;
    private int _reloads;

    public McpProject(IOptions<StructMcpOptions> options, IServiceProvider services, ILogger<McpProject> logger)
    {
        if (string.IsNullOrWhiteSpace(options.Value.ProjectRoot))
        {
            throw new InvalidOperationException("StructMcpOptions.ProjectRoot is not set");
        }
        Root = Path.GetFullPath(options.Value.ProjectRoot);
        _services = services;
        _logger = logger;
        if (options.Value.WatchFiles && Directory.Exists(Root) && CanParse)
        {
            try
            {
                // struct.json has its own stamp check; LlmStruct's folder, .git and temp files are no source either.
                _watcher = new TreeWatcher(Root, [StructFile]);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Out of inotify watches, say: serve without watching (struct.json is still read again when it changes).
                _logger.LogWarning("Not watching {Root} for changes: {Reason}", Root, ex.Message);
            }
        }
    }

    /// <summary>The project folder (absolute).</summary>
    public string Root { get; }

    /// <summary>The project's struct.json.</summary>
    public string StructFile => Path.Combine(Root, "struct.json");

    /// <summary>The project's llmstruct.toml (which may not exist).</summary>
    public string ConfigFile => Path.Combine(Root, LlmStructOptions.FileName);

    /// <summary>How many times the struct was loaded or parsed (for tests and logs).</summary>
    public int Reloads => Volatile.Read(ref _reloads);

    /// <summary>Whether a file change has not been taken in yet.</summary>
    public bool IsStale
    {
        get
        {
            TakeWatchedChanges();
            return Volatile.Read(ref _stale) == 1;
        }
    }

    // What the watcher saw since the last look marks the struct stale.
    private void TakeWatchedChanges()
    {
        if (_watcher?.TakeChanges() == true)
        {
            Interlocked.Exchange(ref _stale, 1);
        }
    }

    private bool CanParse => _services.GetService<StructPipeline>() is not null && _services.GetServices<ILanguageParser>().Any();

    /// <summary>The current struct (loaded, read again, or parsed again as described on the class). Throws <see cref="McpProjectException"/>.</summary>
    public async Task<McpStruct> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stamp = File.Exists(StructFile) ? File.GetLastWriteTimeUtc(StructFile) : DateTime.MinValue;
            TakeWatchedChanges();
            bool stale = Interlocked.Exchange(ref _stale, 0) == 1;
            if (_loaded is not null && stamp == _structStamp && !stale)
            {
                return _loaded;
            }
            var config = await LoadConfigAsync(cancellationToken).ConfigureAwait(false);
            StructDocument document;
            if (CanParse && (stamp == DateTime.MinValue || (stale && _loaded is not null && stamp == _structStamp)))
            {
                document = await ParseAsync(config, cancellationToken).ConfigureAwait(false);
            }
            else if (stamp != DateTime.MinValue)
            {
                try
                {
                    document = await StructJson.ReadFileAsync(StructFile, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    throw new McpProjectException($"cannot read struct.json: {ex.Message}", ex);
                }
            }
            else
            {
                throw new McpProjectException($"no struct.json in the project (run 'llmstruct parse' first)");
            }
            _loaded = new McpStruct(document, new StructIndex(document), config);
            _structStamp = stamp;
            Interlocked.Increment(ref _reloads);
            _logger.LogInformation("Loaded {Modules} modules and {Definitions} definitions", document.Modules.Length, _loaded.Index.Count);
            return _loaded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Resolves <paramref name="relative"/> under the root; throws <see cref="McpProjectException"/> for a path outside it.</summary>
    public string Resolve(string relative)
    {
        try
        {
            return LlmStruct.Llm.Work.Diffs.SafePaths.Resolve(Root, relative.Replace('\\', '/'));
        }
        catch (LlmStruct.Llm.Work.Diffs.UnsafeDiffPathException ex)
        {
            throw new McpProjectException($"path outside the project: {ex.Message}", ex);
        }
    }

    /// <summary>Marks the struct stale (as a file change does).</summary>
    public void Invalidate() => Interlocked.Exchange(ref _stale, 1);

    /// <inheritdoc/>
    public void Dispose()
    {
        _watcher?.Dispose();
        _gate.Dispose();
    }

    private async Task<LlmStructOptions> LoadConfigAsync(CancellationToken cancellationToken)
    {
        try
        {
            var loaded = await ConfigLoader.LoadAsync(ConfigFile, cancellationToken).ConfigureAwait(false);
            foreach (var warning in loaded.Warnings)
            {
                _logger.LogWarning("llmstruct.toml: {Warning}", warning);
            }
            return loaded.Options;
        }
        catch (ConfigException ex)
        {
            throw new McpProjectException(ex.Message, ex);
        }
    }

    private async Task<StructDocument> ParseAsync(LlmStructOptions options, CancellationToken cancellationToken)
    {
        var pipeline = _services.GetRequiredService<StructPipeline>();
        ParseCache? cache = null;
        if (options.Cache.Enabled)
        {
            try
            {
                cache = ParseCache.Open(Path.GetFullPath(Path.Combine(Root, options.Cache.Dir)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another run holds the cache, or it cannot be opened: a full parse costs time, never correctness.
                _logger.LogInformation("Parsing without the cache: {Reason}", ex.Message);
            }
        }
        try
        {
            var request = new PipelineRequest { Root = Root, Options = options, ConfigPath = ConfigFile, Cache = cache };
            var result = await pipeline.RunAsync(request, null, cancellationToken).ConfigureAwait(false);
            return result.Document;
        }
        finally
        {
            cache?.Dispose();
        }
    }
}

/// <summary>The project cannot be loaded (no struct.json and no parser, a damaged file, a bad llmstruct.toml), or a path is outside it.</summary>
public sealed class McpProjectException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpProjectException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public McpProjectException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public McpProjectException() { }
}
