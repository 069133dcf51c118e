namespace LlmStruct.Discovery;

/// <summary>
/// One pattern line of an ignore file, read the way git reads it (gitignore(5), wildmatch with WM_PATHNAME).
/// </summary>
internal sealed class GitIgnorePattern
{
    private readonly PathAutomaton _automaton;

    private GitIgnorePattern(string text, int line, bool negated, bool directoryOnly, bool anchored, PathAutomaton automaton)
    {
        Text = text;
        Line = line;
        Negated = negated;
        DirectoryOnly = directoryOnly;
        Anchored = anchored;
        _automaton = automaton;
    }

    /// <summary>The line as written, after trailing-space trimming.</summary>
    public string Text { get; }

    /// <summary>1-based line number in the ignore file.</summary>
    public int Line { get; }

    /// <summary>The pattern began with '!': a match re-includes the path.</summary>
    public bool Negated { get; }

    /// <summary>The pattern ended with '/': it matches directories only.</summary>
    public bool DirectoryOnly { get; }

    /// <summary>The pattern has a '/' at its start or middle: it is matched against the whole path below the file's directory.</summary>
    public bool Anchored { get; }

    /// <summary>Reads one line (already split off, CR removed). Returns null for blank lines and comments.</summary>
    public static GitIgnorePattern? TryParse(string rawLine, int line)
    {
        if (rawLine.Length == 0 || rawLine[0] == '#')
        {
            return null;
        }

        var text = TrimTrailingSpaces(rawLine);
        if (text.Length == 0)
        {
            return null;
        }

        var body = text;
        var negated = body[0] == '!';
        if (negated)
        {
            body = body[1..];
        }

        var directoryOnly = body.EndsWith('/');
        if (directoryOnly)
        {
            body = body[..^1];
        }

        // Git decides on the raw text: any '/' left (even an escaped one) anchors the pattern.
        var anchored = body.Contains('/');
        if (body.StartsWith('/'))
        {
            body = body[1..];
        }

        List<PathAtom> atoms;
        if (body.Length == 0)
        {
            atoms = [PathAtom.Never];
        }
        else
        {
            atoms = ParseWildmatch(body);
            if (!anchored)
            {
                atoms.Insert(0, PathAtom.DirPrefix);
            }
        }

        return new GitIgnorePattern(text, line, negated, directoryOnly, anchored, PathAutomaton.Compile(atoms));
    }

    /// <summary>Whether the pattern matches a path given relative to the ignore file's directory.</summary>
    public bool Matches(ReadOnlySpan<char> pathBelowBase, bool isDirectory)
        => (isDirectory || !DirectoryOnly) && _automaton.IsMatch(pathBelowBase);

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Drops trailing spaces (not tabs) unless the last one is escaped with a backslash, as git does.</summary>
    internal static string TrimTrailingSpaces(string s)
    {
        var lastSpace = -1;
        for (var i = 0; i < s.Length; i++)
        {
            switch (s[i])
            {
                case ' ':
                    if (lastSpace < 0)
                    {
                        lastSpace = i;
                    }

                    break;
                case '\\':
                    if (++i >= s.Length)
                    {
                        return s;
                    }

                    lastSpace = -1;
                    break;
                default:
                    lastSpace = -1;
                    break;
            }
        }

        return lastSpace < 0 ? s : s[..lastSpace];
    }

    /// <summary>Translates a wildmatch pattern (WM_PATHNAME) into atoms; a malformed bracket makes it match nothing.</summary>
    private static List<PathAtom> ParseWildmatch(string p)
    {
        var atoms = new List<PathAtom>();
        var i = 0;
        while (i < p.Length)
        {
            var c = p[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 >= p.Length)
                    {
                        // A trailing backslash escapes nothing; wildmatch never matches it.
                        return [PathAtom.Never];
                    }

                    atoms.Add(PathAtom.Literal(p[i + 1]));
                    i += 2;
                    break;
                case '?':
                    atoms.Add(PathAtom.One);
                    i++;
                    break;
                case '[':
                    if (!CharClass.TryParse(p, i, out var cls, out var next))
                    {
                        return [PathAtom.Never];
                    }

                    atoms.Add(PathAtom.Class(cls));
                    i = next;
                    break;
                case '*':
                {
                    var start = i;
                    while (i < p.Length && p[i] == '*')
                    {
                        i++;
                    }

                    var doubleStar = i - start >= 2
                        && (start == 0 || p[start - 1] == '/')
                        && (i == p.Length || p[i] == '/' || (p[i] == '\\' && i + 1 < p.Length && p[i + 1] == '/'));
                    if (!doubleStar)
                    {
                        atoms.Add(PathAtom.Star);
                    }
                    else if (i < p.Length && p[i] == '/')
                    {
                        // "**/": zero or more whole directories, the slash included.
                        atoms.Add(PathAtom.DirPrefix);
                        i++;
                    }
                    else
                    {
                        atoms.Add(PathAtom.AnyStar);
                    }

                    break;
                }

                default:
                    atoms.Add(PathAtom.Literal(c));
                    i++;
                    break;
            }
        }

        return atoms;
    }
}
