using LlmStruct.Ci.Git;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Ci.Update;

/// <summary>What <see cref="StructUpdater.CheckAsync"/> found.</summary>
/// <param name="Stale">True when the file is missing or its bytes differ from a fresh parse's.</param>
/// <param name="Missing">True when there is no struct.json at the path.</param>
/// <param name="Changes">What differs, by module and definition (null when the file is missing or unreadable).</param>
/// <param name="Fresh">The bytes a fresh parse writes.</param>
public sealed record StructCheck(bool Stale, bool Missing, StructChanges? Changes, ReadOnlyMemory<byte> Fresh);

/// <summary>What <see cref="StructUpdater.UpdateAsync"/> did.</summary>
/// <param name="Written">True when struct.json's bytes changed on disk.</param>
/// <param name="Commit">The commit made, or null when none was (not asked, or nothing to commit).</param>
/// <param name="Check">The comparison with the file as it was.</param>
public sealed record StructUpdate(bool Written, string? Commit, StructCheck Check);

/// <summary>How <see cref="StructUpdater.UpdateAsync"/> commits.</summary>
public sealed record CommitOptions
{
    /// <summary>The default message: <c>[skip ci]</c> keeps GitHub Actions and GitLab CI from running again on the bot's own push.</summary>
    public const string DefaultMessage = "chore: update struct.json [skip ci]";

    /// <summary>The commit message.</summary>
    public string Message { get; init; } = DefaultMessage;

    /// <summary>The bot's name (author and committer).</summary>
    public string AuthorName { get; init; } = "llmstruct-bot";

    /// <summary>The bot's e-mail address.</summary>
    public string AuthorEmail { get; init; } = "llmstruct-bot@users.noreply.github.com";
}

/// <summary>
/// The SDK entry point of <c>llmstruct ci check</c> and <c>ci update</c>: parses the work tree in memory as
/// <c>parse</c> would, compares the bytes with the struct.json on disk, writes it atomically and commits it alone.
/// </summary>
public sealed class StructUpdater(StructPipeline pipeline, ILogger<StructUpdater>? logger = null)
{
    private readonly StructPipeline _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>Parses <paramref name="root"/> with <paramref name="options"/> and compares the result with <paramref name="structPath"/>.</summary>
    public async Task<StructCheck> CheckAsync(string root, string structPath, LlmStructOptions options, string? configPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(structPath);
        ArgumentNullException.ThrowIfNull(options);
        var result = await _pipeline.RunAsync(new PipelineRequest { Root = root, Options = options, ConfigPath = configPath }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var fresh = StructJson.Serialize(result.Document);
        if (!File.Exists(structPath))
        {
            return new StructCheck(true, true, null, fresh);
        }
        var current = await File.ReadAllBytesAsync(structPath, cancellationToken).ConfigureAwait(false);
        if (current.AsSpan().SequenceEqual(fresh))
        {
            return new StructCheck(false, false, StructDiff.Compare(result.Document, result.Document), fresh);
        }
        StructDocument? old = null;
        try
        {
            old = StructJson.Deserialize(current);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            _logger.LogWarning("{Path} cannot be read as struct.json: {Message}", structPath, ex.Message);
        }
        return new StructCheck(true, false, old is null ? null : StructDiff.Compare(old, result.Document), fresh);
    }

    /// <summary>
    /// Brings <paramref name="structPath"/> up to date (atomically) and, with <paramref name="commit"/>, commits that
    /// file alone when it differs from HEAD's: other changes in the work tree or the index stay as they are.
    /// Nothing to commit makes no commit.
    /// </summary>
    /// <exception cref="GitException">With <paramref name="commit"/>: not a repository, a detached HEAD, a shallow clone, or git fails.</exception>
    public async Task<StructUpdate> UpdateAsync(
        string root, string structPath, LlmStructOptions options, string? configPath = null, CommitOptions? commit = null, CancellationToken cancellationToken = default)
    {
        GitRepository? repository = null;
        string? relative = null;
        if (commit is not null)
        {
            // Checked before anything is written: a refused commit leaves the work tree as it was.
            (repository, relative) = await CommitTargetAsync(root, structPath, cancellationToken).ConfigureAwait(false);
        }
        var check = await CheckAsync(root, structPath, options, configPath, cancellationToken).ConfigureAwait(false);
        if (check.Stale)
        {
            await StructFileWriter.WriteAtomicAsync(structPath, check.Fresh, cancellationToken).ConfigureAwait(false);
        }
        if (repository is null || commit is null)
        {
            return new StructUpdate(check.Stale, null, check);
        }
        var status = await repository.TextAsync(["status", "--porcelain", "--untracked-files=all", "--", relative!], cancellationToken).ConfigureAwait(false);
        if (status.Length == 0)
        {
            _logger.LogInformation("{Path} is as committed: no commit", relative);
            return new StructUpdate(check.Stale, null, check);
        }
        var identity = new[] { "-c", "user.name=" + commit.AuthorName, "-c", "user.email=" + commit.AuthorEmail, "-c", "commit.gpgsign=false" };
        await repository.RunAsync([.. identity, "add", "--", relative!], cancellationToken).ConfigureAwait(false);
        // --only: the commit holds this path alone, whatever else is staged.
        await repository.RunAsync([.. identity, "commit", "--quiet", "--no-verify", "--only", "-m", commit.Message, "--", relative!], cancellationToken,
            environment: new Dictionary<string, string>
            {
                ["GIT_AUTHOR_NAME"] = commit.AuthorName,
                ["GIT_AUTHOR_EMAIL"] = commit.AuthorEmail,
                ["GIT_COMMITTER_NAME"] = commit.AuthorName,
                ["GIT_COMMITTER_EMAIL"] = commit.AuthorEmail,
            }).ConfigureAwait(false);
        var id = await repository.TextAsync(["rev-parse", "HEAD"], cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Committed {Path} as {Commit}", relative, id);
        return new StructUpdate(check.Stale, id, check);
    }

    private static async Task<(GitRepository, string)> CommitTargetAsync(string root, string structPath, CancellationToken cancellationToken)
    {
        var repository = new GitRepository(root);
        var (code, _, stderr) = await repository.TryRunAsync(["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new GitException($"{root} is not in a git repository, so struct.json cannot be committed ({stderr.Trim()})");
        }
        var top = await repository.TopLevelAsync(cancellationToken).ConfigureAwait(false);
        var relative = Path.GetRelativePath(top, Path.GetFullPath(structPath)).Replace('\\', '/');
        if (relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new GitException($"{structPath} is outside the repository at {top}");
        }
        var (branch, _, _) = await repository.TryRunAsync(["symbolic-ref", "--quiet", "HEAD"], cancellationToken).ConfigureAwait(false);
        if (branch != 0)
        {
            throw new GitException("HEAD is detached (no branch is checked out), so a commit would belong to no branch: check out the branch to update first "
                + "(in GitHub Actions, a push event checks out the branch; a pull_request event checks out a detached merge commit)");
        }
        if (await repository.IsShallowAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new GitException("this is a shallow clone: commit struct.json from a full clone (actions/checkout with fetch-depth: 0, "
                + "GIT_DEPTH: 0 in GitLab CI, or git fetch --unshallow)");
        }
        return (repository, relative);
    }
}
