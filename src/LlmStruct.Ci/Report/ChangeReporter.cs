using LlmStruct.Caching;
using LlmStruct.Ci.Git;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Ci.Report;

/// <summary>The SDK entry point of <c>llmstruct ci report</c>: resolves both revisions, parses them from git's objects and compares them.</summary>
public sealed class ChangeReporter(RevisionParser parser, ILogger<ChangeReporter>? logger = null)
{
    private readonly RevisionParser _parser = parser ?? throw new ArgumentNullException(nameof(parser));
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>
    /// The structural change from <paramref name="baseRevision"/> to <paramref name="headRevision"/> of the project in
    /// <paramref name="directory"/> (a repository's root or a folder in it: only its files count, named relative to
    /// it). Both revisions are parsed with the head's llmstruct.toml; the work tree is not read. The project's parse
    /// cache (<c>[cache] dir</c>, as <c>parse</c> left it) is used read-only when it is there and free, so files whose
    /// content it holds are not parsed again.
    /// </summary>
    /// <exception cref="GitException">A revision is unknown, the folder is not in a repository, or git fails.</exception>
    public async Task<ChangeReport> CreateAsync(string directory, string baseRevision, string headRevision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var repository = new GitRepository(directory);
        var (code, _, stderr) = await repository.TryRunAsync(["rev-parse", "--show-prefix"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new GitException($"{directory} is not in a git repository ({stderr.Trim()})");
        }
        var prefix = await repository.TextAsync(["rev-parse", "--show-prefix"], cancellationToken).ConfigureAwait(false);
        var baseCommit = await repository.ResolveCommitAsync(baseRevision, cancellationToken).ConfigureAwait(false);
        var headCommit = await repository.ResolveCommitAsync(headRevision, cancellationToken).ConfigureAwait(false);
        var options = await RevisionParser.OptionsAtAsync(repository, headCommit, prefix, cancellationToken).ConfigureAwait(false);
        using var cache = OpenCache(Path.GetFullPath(options.Cache.Dir, Path.GetFullPath(directory)), options.Cache.Enabled);
        var blobs = new ParsedBlobs();
        var before = await _parser.ParseAsync(repository, baseCommit, options, blobs, prefix, cache, cancellationToken).ConfigureAwait(false);
        var after = await _parser.ParseAsync(repository, headCommit, options, blobs, prefix, cache, cancellationToken).ConfigureAwait(false);
        var changes = (await repository.DiffAsync(baseCommit, headCommit, cancellationToken).ConfigureAwait(false))
            .Where(c => c.OldPath.StartsWith(prefix, StringComparison.Ordinal) || c.NewPath.StartsWith(prefix, StringComparison.Ordinal))
            .Select(c => c with { OldPath = Strip(c.OldPath, prefix), NewPath = Strip(c.NewPath, prefix) })
            .ToList();
        return ChangeAnalyzer.Compare(new RevisionName(baseRevision, baseCommit), before, new RevisionName(headRevision, headCommit), after, changes);
    }

    // A path outside the project folder keeps a name no file of the project has, so it pairs with nothing.
    private static string Strip(string path, string prefix) => path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : "../" + path;

    private ParseCache? OpenCache(string directory, bool enabled)
    {
        if (!enabled || !File.Exists(Path.Combine(directory, ParseCache.DatabaseFileName)))
        {
            return null;
        }
        try
        {
            return ParseCache.Open(directory, logger: _logger);
        }
        catch (IOException ex)
        {
            // Busy or unusable: the report parses everything instead.
            _logger.LogInformation("Parse cache not used: {Message}", ex.Message);
            return null;
        }
    }
}
