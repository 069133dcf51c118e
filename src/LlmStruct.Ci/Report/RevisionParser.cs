using System.Collections.Concurrent;
using System.Text;
using LlmStruct.Ci.Git;
using LlmStruct.Configuration;
using LlmStruct.Discovery;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;
using LlmStruct.Tasks;
using LlmStruct.Tasks.Toml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Ci.Report;

/// <summary>One revision of a repository as a linked struct document, read from git's objects (the work tree is never touched).</summary>
/// <param name="Commit">The full commit id.</param>
/// <param name="Document">Modules and errors of every file a parser reads, linked (<c>called_by</c> filled).</param>
/// <param name="Tasks">The tasks of the revision's <c>llmstruct.toml</c> (empty when it has none or they cannot be read).</param>
public sealed record RevisionModel(string Commit, StructDocument Document, IReadOnlyList<ProjectTask> Tasks);

/// <summary>
/// Parses revisions of a git repository in memory: <c>git ls-tree</c> lists the blobs, one <c>git cat-file --batch</c>
/// reads them, the registered parsers parse them and the linker links the result. A blob that two revisions share is
/// parsed once (<see cref="ParsedBlobs"/>).
/// </summary>
public sealed class RevisionParser
{
    private const int BinarySniffBytes = 8192;
    private readonly StructPipeline _pipeline;
    private readonly ParserRegistry _registry;
    private readonly StructLinker _linker;
    private readonly ILogger _logger;

    /// <summary>Creates the parser over the SDK's pipeline (its parsers parse each blob), registry and linker.</summary>
    public RevisionParser(StructPipeline pipeline, ParserRegistry registry, StructLinker? linker = null, ILogger<RevisionParser>? logger = null)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _linker = linker ?? StructLinker.Default;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>
    /// Parses <paramref name="commit"/> with <paramref name="options"/> (include, exclude and <c>max_file_bytes</c>
    /// apply as in <c>parse</c>, secrets are redacted as <c>[security]</c> says); <paramref name="blobs"/> carries
    /// parses between calls. Only files under <paramref name="prefix"/> (a folder of the repository, with a trailing
    /// '/', or empty for all) are read, with paths relative to it, as <c>parse --input</c> that folder names them. With
    /// a <paramref name="cache"/> (the project's parse cache), a file whose content it holds is not parsed again.
    /// </summary>
    public async Task<RevisionModel> ParseAsync(
        GitRepository repository, string commit, LlmStructOptions options, ParsedBlobs blobs, string prefix = "", Caching.ParseCache? cache = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(blobs);
        var includes = options.Parsing.Include.Select(Glob.Parse).ToArray();
        var excludes = options.Parsing.Exclude.Select(Glob.Parse).ToArray();
        var redactor = new Security.SourceRedactor(options.Security);
        var entries = (await repository.ListTreeAsync(commit, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => e with { Path = e.Path[prefix.Length..] })
            .Where(e => _registry.ForPath(e.Path) is not null
                && e.Size <= options.Parsing.MaxFileBytes
                && (includes.Length == 0 || includes.Any(g => g.IsMatch(e.Path)))
                && !excludes.Any(g => g.IsMatch(e.Path)))
            .ToArray();
        var missing = entries.Where(e => !blobs.Contains(e.Path, e.ObjectId)).Select(e => e.ObjectId).Distinct(StringComparer.Ordinal).ToArray();
        var contents = await repository.ReadBlobsAsync(missing, cancellationToken).ConfigureAwait(false);
        Parallel.ForEach(
            entries.Where(e => !blobs.Contains(e.Path, e.ObjectId)),
            new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            entry => blobs.Add(entry.Path, entry.ObjectId, Parse(entry, contents, redactor, cache, cancellationToken)));

        var modules = new List<ModuleInfo>(entries.Length);
        var errors = new List<ParseError>();
        foreach (var entry in entries)
        {
            var parsed = blobs.Get(entry.Path, entry.ObjectId);
            if (parsed.Module is not null)
            {
                modules.Add(parsed.Module);
            }
            errors.AddRange(parsed.Errors);
        }
        var document = _linker.Link(new StructDocument { Modules = [.. modules], Errors = [.. errors] });
        _logger.LogDebug("Parsed {Count} files at {Commit}", modules.Count, commit);
        return new RevisionModel(commit, document, await TasksAtAsync(repository, commit, prefix, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The options of <paramref name="commit"/>'s <c>llmstruct.toml</c> in <paramref name="prefix"/>, or the defaults when it has none.</summary>
    public static async Task<LlmStructOptions> OptionsAtAsync(GitRepository repository, string commit, string prefix = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var bytes = await repository.ReadFileAsync(commit, prefix + LlmStructOptions.FileName, cancellationToken).ConfigureAwait(false);
        return bytes is null ? new LlmStructOptions() : ConfigLoader.Parse(Encoding.UTF8.GetString(bytes)).Options;
    }

    private async Task<IReadOnlyList<ProjectTask>> TasksAtAsync(GitRepository repository, string commit, string prefix, CancellationToken cancellationToken)
    {
        var bytes = await repository.ReadFileAsync(commit, prefix + LlmStructOptions.FileName, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return [];
        }
        try
        {
            return TaskTomlReader.Read(Encoding.UTF8.GetString(bytes)).Tasks;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException or ConfigException)
        {
            _logger.LogWarning("The tasks of {File} at {Commit} cannot be read: {Message}", LlmStructOptions.FileName, commit, ex.Message);
            return [];
        }
    }

    private ParsedBlob Parse(TreeEntry entry, IReadOnlyDictionary<string, byte[]> contents, Security.SourceRedactor redactor, Caching.ParseCache? cache, CancellationToken cancellationToken)
    {
        if (!contents.TryGetValue(entry.ObjectId, out var bytes))
        {
            return new ParsedBlob(null, [new ParseError { File = entry.Path, Reason = "cannot read file: the blob is missing from the repository" }]);
        }
        if (bytes.AsSpan(0, Math.Min(bytes.Length, BinarySniffBytes)).Contains((byte)0))
        {
            return new ParsedBlob(null, []);
        }
        var result = _pipeline.ParseFile(new SourceFile(entry.Path, bytes), redactor, cache, cancellationToken);
        return new ParsedBlob(result.Module, [.. result.Errors]);
    }
}

/// <summary>Parses of blobs by path and object id, shared between the revisions of one report (a blob both have is parsed once).</summary>
public sealed class ParsedBlobs
{
    private readonly ConcurrentDictionary<(string Path, string ObjectId), ParsedBlob> _parsed = new();

    internal bool Contains(string path, string objectId) => _parsed.ContainsKey((path, objectId));

    internal ParsedBlob Get(string path, string objectId) => _parsed[(path, objectId)];

    internal void Add(string path, string objectId, ParsedBlob parsed) => _parsed[(path, objectId)] = parsed;

    /// <summary>How many blobs were parsed.</summary>
    public int Count => _parsed.Count;
}

/// <summary>One blob's module (null when binary or unreadable) and errors.</summary>
internal sealed record ParsedBlob(ModuleInfo? Module, ParseError[] Errors);
