using LlmStruct.Ci.Git;

namespace LlmStruct.Ci.Report;

/// <summary>The SDK entry point of <c>llmstruct ci report</c>: resolves both revisions, parses them from git's objects and compares them.</summary>
public sealed class ChangeReporter(RevisionParser parser)
{
    private readonly RevisionParser _parser = parser ?? throw new ArgumentNullException(nameof(parser));

    /// <summary>
    /// The structural change from <paramref name="baseRevision"/> to <paramref name="headRevision"/> in the repository
    /// holding <paramref name="directory"/>. Both are parsed with the head's llmstruct.toml; the work tree is not read.
    /// </summary>
    /// <exception cref="GitException">A revision is unknown, or git fails.</exception>
    public async Task<ChangeReport> CreateAsync(string directory, string baseRevision, string headRevision, CancellationToken cancellationToken = default)
    {
        var repository = new GitRepository(directory);
        var baseCommit = await repository.ResolveCommitAsync(baseRevision, cancellationToken).ConfigureAwait(false);
        var headCommit = await repository.ResolveCommitAsync(headRevision, cancellationToken).ConfigureAwait(false);
        var options = await RevisionParser.OptionsAtAsync(repository, headCommit, cancellationToken).ConfigureAwait(false);
        var blobs = new ParsedBlobs();
        var before = await _parser.ParseAsync(repository, baseCommit, options, blobs, cancellationToken).ConfigureAwait(false);
        var after = await _parser.ParseAsync(repository, headCommit, options, blobs, cancellationToken).ConfigureAwait(false);
        var changes = await repository.DiffAsync(baseCommit, headCommit, cancellationToken).ConfigureAwait(false);
        return ChangeAnalyzer.Compare(new RevisionName(baseRevision, baseCommit), before, new RevisionName(headRevision, headCommit), after, changes);
    }
}
