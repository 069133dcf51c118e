namespace LlmStruct.Discovery;

/// <summary>The verdict of one ignore file on one path.</summary>
public enum MatchResult
{
    /// <summary>No pattern in the file matches the path.</summary>
    None,

    /// <summary>The last matching pattern ignores the path.</summary>
    Ignored,

    /// <summary>The last matching pattern is a negation ('!'): the path is re-included.</summary>
    Included,
}

/// <summary>
/// The rules of one <c>.gitignore</c> file, with git's semantics (gitignore(5)): comments and blank lines, <c>\#</c>
/// and <c>\!</c> escapes, trailing-space trimming, '!' negation, a trailing '/' for directories only, anchoring by a
/// leading or middle '/', <c>*</c>, <c>?</c>, bracket expressions and <c>**</c>; case-sensitive.
/// </summary>
/// <remarks>
/// Paths are '/'-separated and relative to the walk root. A file only speaks about paths strictly inside its own
/// directory. Deciding whether a file inside an ignored directory is reachable at all is the walker's job: git never
/// descends into an ignored directory, so nothing below it can be re-included.
/// Wildcards match UTF-16 code units, whereas git matches bytes: <c>?</c> against a non-ASCII character can differ.
/// </remarks>
public sealed class GitIgnore
{
    private readonly GitIgnorePattern[] _patterns;

    private GitIgnore(string directory, GitIgnorePattern[] patterns)
    {
        Directory = directory;
        _patterns = patterns;
    }

    /// <summary>The '/'-separated directory holding the file, relative to the walk root ("" for the root).</summary>
    public string Directory { get; }

    /// <summary>The number of patterns read (blank lines and comments are not counted).</summary>
    public int PatternCount => _patterns.Length;

    /// <summary>Reads the content of one ignore file.</summary>
    /// <param name="directory">The '/'-separated directory holding the file, relative to the walk root; "" for the root.</param>
    /// <param name="content">The file's text; LF or CRLF line ends, an optional leading BOM.</param>
    /// <returns>The parsed rules. Never throws for any content: a malformed pattern simply matches nothing.</returns>
    public static GitIgnore Parse(string directory, string content)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(content);
        var dir = directory.Trim('/');
        if (dir == ".")
        {
            dir = "";
        }

        var patterns = new List<GitIgnorePattern>();
        var text = content.AsSpan();
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var lineNumber = 0;
        while (text.Length > 0)
        {
            lineNumber++;
            var end = text.IndexOf('\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            var pattern = GitIgnorePattern.TryParse(line.ToString(), lineNumber);
            if (pattern is not null)
            {
                patterns.Add(pattern);
            }
        }

        return new GitIgnore(dir, [.. patterns]);
    }

    /// <summary>The verdict of this file's last matching pattern on a path.</summary>
    /// <param name="relativePath">A '/'-separated path relative to the walk root.</param>
    /// <param name="isDirectory">Whether the path is a directory (patterns ending in '/' match only directories).</param>
    /// <returns><see cref="MatchResult.None"/> when no pattern matches or the path is not inside <see cref="Directory"/>.</returns>
    public MatchResult Match(string relativePath, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = relativePath.AsSpan();
        if (Directory.Length > 0)
        {
            if (path.Length <= Directory.Length + 1
                || path[Directory.Length] != '/'
                || !path.StartsWith(Directory, StringComparison.Ordinal))
            {
                return MatchResult.None;
            }

            path = path[(Directory.Length + 1)..];
        }
        else if (path.Length == 0)
        {
            return MatchResult.None;
        }

        for (var i = _patterns.Length - 1; i >= 0; i--)
        {
            var pattern = _patterns[i];
            if (pattern.Matches(path, isDirectory))
            {
                return pattern.Negated ? MatchResult.Included : MatchResult.Ignored;
            }
        }

        return MatchResult.None;
    }

    /// <summary>
    /// Whether a path is ignored by a stack of ignore files: the deepest file with a verdict decides.
    /// </summary>
    /// <param name="stack">The ignore files that apply, ordered from the root's file to the deepest one on the path.</param>
    /// <param name="relativePath">A '/'-separated path relative to the walk root.</param>
    /// <param name="isDirectory">Whether the path is a directory.</param>
    /// <returns>True when the deciding file ignores the path; false when it re-includes it or no file matches.</returns>
    public static bool IsIgnored(IReadOnlyList<GitIgnore> stack, string relativePath, bool isDirectory)
    {
        ArgumentNullException.ThrowIfNull(stack);
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            switch (stack[i].Match(relativePath, isDirectory))
            {
                case MatchResult.Ignored:
                    return true;
                case MatchResult.Included:
                    return false;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => $"GitIgnore({(Directory.Length == 0 ? "/" : Directory)}, {_patterns.Length} patterns)";
}
