using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using LlmStruct.Context;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Ranking;

/// <summary>
/// Reads a <see cref="CoChangeIndex"/> from the git history of the work tree holding a folder: one
/// <c>git log --no-merges --no-renames --name-only</c> run over the last <c>maxCommits</c> commits before HEAD,
/// cached under <c>.llmstruct/cochange/</c> (beside the parse cache) by HEAD's commit id, so a second read costs
/// one file. Without git, or outside a work tree, there is no index (null) and ranking goes without it.
/// </summary>
public static class CoChangeHistory
{
    /// <summary>How many commits before HEAD are read by default.</summary>
    public const int DefaultMaxCommits = 3000;

    /// <summary>
    /// The index for the work tree holding <paramref name="root"/>, or null when <paramref name="root"/> is not in a
    /// git work tree with at least one commit, or git cannot run. The cache lives in <paramref name="cacheRoot"/>
    /// (default <paramref name="root"/>) under <c>.llmstruct/cochange/</c>.
    /// </summary>
    public static async Task<CoChangeIndex?> LoadAsync(
        string root, int maxCommits = DefaultMaxCommits, string? cacheRoot = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCommits, 1);
        var head = await GitAsync(root, ["rev-parse", "HEAD", "--show-prefix"], cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            logger?.LogDebug("no git history at {Root}: co-change is off", root);
            return null;
        }
        var lines = head.Split('\n');
        var commit = lines[0].Trim();
        var prefix = lines.Length > 1 ? lines[1].Trim() : "";
        if (commit.Length == 0 || commit.Any(c => !char.IsAsciiHexDigitLower(c)))
        {
            return null;
        }
        var cache = new ContextCache(Path.Combine(cacheRoot ?? root, ".llmstruct", "cochange"));
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"cochange v1|{commit}|{maxCommits}")));
        var log = await cache.TryReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (log is null)
        {
            log = await GitAsync(root, ["-c", "core.quotepath=off", "log", "--no-merges", "--no-renames", "--name-only", "--format=%x01%H",
                "-n", maxCommits.ToString(System.Globalization.CultureInfo.InvariantCulture), commit, "--"], cancellationToken).ConfigureAwait(false);
            if (log is null)
            {
                return null;
            }
            try
            {
                await cache.WriteAsync(key, log, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger?.LogWarning("cannot write the co-change cache: {Message}", ex.Message);
            }
        }
        return CoChangeIndex.Parse(commit, log, prefix);
    }

    // Standard output of a git command run in `root`, or null when git is missing or fails.
    private static async Task<string?> GitAsync(string root, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(root);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var text = await output.ConfigureAwait(false);
            await error.ConfigureAwait(false);
            return process.ExitCode == 0 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
