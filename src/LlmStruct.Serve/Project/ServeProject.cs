using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.Project;

/// <summary>A loaded struct.json and the index built over it.</summary>
/// <param name="Document">The document.</param>
/// <param name="Index">Its lookups.</param>
internal sealed record LoadedStruct(StructDocument Document, SymbolIndex Index);

/// <summary>
/// The served project: its folder, its llmstruct.toml, and struct.json loaded once and again whenever the file
/// changes (else parsed, when no struct.json exists and the host registered the parsers). Requests read only these two
/// files; nothing a request names is opened as a path. With <see cref="ServeOptions.Watch"/> the project's sources are
/// followed and parsed again incrementally (<see cref="RefreshAsync"/>).
/// </summary>
internal sealed class ServeProject
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private LoadedStruct? _loaded;
    private DateTime _loadedStamp;

    /// <summary>Creates the project view from <see cref="ServeOptions.ProjectRoot"/>.</summary>
    public ServeProject(IOptions<ServeOptions> options, IServiceProvider services, ILogger<ServeProject> logger)
    {
        if (string.IsNullOrWhiteSpace(options.Value.ProjectRoot))
        {
            throw new InvalidOperationException("ServeOptions.ProjectRoot is not set");
        }
        Root = Path.GetFullPath(options.Value.ProjectRoot);
        _services = services;
        _logger = logger;
    }

    /// <summary>The project folder (absolute).</summary>
    public string Root { get; }

    /// <summary>The project's llmstruct.toml (which may not exist yet: the first task added makes it).</summary>
    public string ConfigFile => Path.Combine(Root, LlmStructOptions.FileName);

    /// <summary>The project's struct.json.</summary>
    public string StructFile => Path.Combine(Root, "struct.json");

    /// <summary>
    /// struct.json as loaded (again when the file changed since), or a fresh parse when there is none. Throws
    /// <see cref="ServeProjectException"/> when neither is possible.
    /// </summary>
    public async Task<LoadedStruct> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stamp = File.Exists(StructFile) ? File.GetLastWriteTimeUtc(StructFile) : DateTime.MinValue;
            if (_loaded is not null && stamp == _loadedStamp)
            {
                return _loaded;
            }
            StructDocument document;
            if (stamp != DateTime.MinValue)
            {
                try
                {
                    document = await StructJson.ReadFileAsync(StructFile, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
                {
                    throw new ServeProjectException($"cannot read struct.json: {ex.Message}", ex);
                }
            }
            else
            {
                document = await ParseAsync(cancellationToken).ConfigureAwait(false);
            }
            _loaded = new LoadedStruct(document, new SymbolIndex(document));
            _loadedStamp = stamp;
            _logger.LogInformation("Loaded {Modules} modules and {Definitions} definitions", document.Modules.Length, _loaded.Index.Count);
            return _loaded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// After a task edit: struct.json's <c>tasks</c> written again as <c>llmstruct parse</c> writes them (through the
    /// tasks package's contributor, references resolved against the loaded code), atomically; the rest of the file is
    /// unchanged. A project served from an in-memory parse has no struct.json to update.
    /// </summary>
    public async Task WriteTasksAsync(IStructContributor tasks, CancellationToken cancellationToken)
    {
        if (!File.Exists(StructFile))
        {
            return;
        }
        var loaded = await GetAsync(cancellationToken).ConfigureAwait(false);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var config = await ConfigLoader.LoadAsync(ConfigFile, cancellationToken).ConfigureAwait(false);
            var context = new StructContributionContext(Root, config.Options, ConfigFile);
            var document = await tasks.ContributeAsync(loaded.Document with { Tasks = [] }, context, cancellationToken).ConfigureAwait(false);
            document = document with { Tasks = StructCanonicalizer.CanonicalizeTasks(document.Tasks) };
            await StructFileWriter.WriteAtomicAsync(StructFile, StructJson.Serialize(document), cancellationToken).ConfigureAwait(false);
            // The code is unchanged: keep the index, take the new tasks and the file's new stamp.
            _loaded = loaded with { Document = document };
            _loadedStamp = File.GetLastWriteTimeUtc(StructFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ConfigException)
        {
            throw new ServeProjectException($"llmstruct.toml was updated, but struct.json could not be: {ex.Message} (run 'llmstruct parse')", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether the host registered a pipeline with parsers (so the project can be parsed and followed).</summary>
    public bool CanParse => _services.GetService<StructPipeline>() is not null && _services.GetServices<ILanguageParser>().Any();

    /// <summary>
    /// After files changed (<see cref="ServeWatch"/>): brings the project up to date the way <c>llmstruct parse</c>
    /// does, incrementally through the parse cache (<c>[cache]</c>, under the project): struct.json, when there is
    /// one, is rebuilt (only the changed files parsed, written atomically); else the in-memory parse is redone. The
    /// next request sees the new code map. Throws <see cref="ServeProjectException"/> when the parse cannot run.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (!CanParse)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(StructFile))
            {
                var (config, cache) = await OpenAsync(cancellationToken).ConfigureAwait(false);
                using (cache)
                {
                    var request = new PipelineRequest { Root = Root, Options = config, ConfigPath = ConfigFile, Cache = cache };
                    var result = await _services.GetRequiredService<StructPipeline>().BuildAsync(request, StructFile, null, cancellationToken).ConfigureAwait(false);
                    _logger.LogInformation("Followed a change: {Changed} changed file(s), up to date: {UpToDate}", result.ChangedFiles, result.UpToDate);
                }
                // Read again on the next request (the file's stamp is new).
                _loaded = null;
            }
            else
            {
                var document = await ParseCoreAsync(cancellationToken).ConfigureAwait(false);
                _loaded = new LoadedStruct(document, new SymbolIndex(document));
                _loadedStamp = DateTime.MinValue;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidStructException or System.Text.Json.JsonException)
        {
            throw new ServeProjectException($"cannot follow the change: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<StructDocument> ParseAsync(CancellationToken cancellationToken)
    {
        // Without a parser a parse would serve an empty project as if it were the real one.
        if (!CanParse)
        {
            throw new ServeProjectException($"no struct.json in {Root} (run 'llmstruct parse' first)");
        }
        return await ParseCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<StructDocument> ParseCoreAsync(CancellationToken cancellationToken)
    {
        var (config, cache) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using (cache)
        {
            var request = new PipelineRequest { Root = Root, Options = config, ConfigPath = ConfigFile, Cache = cache };
            var result = await _services.GetRequiredService<StructPipeline>().RunAsync(request, null, cancellationToken).ConfigureAwait(false);
            return result.Document;
        }
    }

    // The options of llmstruct.toml and the parse cache they name (null when disabled or it cannot be opened: that costs time, never correctness).
    private async Task<(LlmStructOptions Options, LlmStruct.Caching.ParseCache? Cache)> OpenAsync(CancellationToken cancellationToken)
    {
        LlmStructOptions options;
        try
        {
            options = (await ConfigLoader.LoadAsync(ConfigFile, cancellationToken).ConfigureAwait(false)).Options;
        }
        catch (ConfigException ex)
        {
            throw new ServeProjectException(ex.Message, ex);
        }
        if (!options.Cache.Enabled)
        {
            return (options, null);
        }
        try
        {
            return (options, LlmStruct.Caching.ParseCache.Open(Path.GetFullPath(Path.Combine(Root, options.Cache.Dir))));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Parse cache disabled for this run: {Reason}", ex.Message);
            return (options, null);
        }
    }
}

/// <summary>The project cannot be loaded (no struct.json and no parser, a damaged file, a bad llmstruct.toml).</summary>
public sealed class ServeProjectException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServeProjectException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public ServeProjectException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public ServeProjectException() { }
}
