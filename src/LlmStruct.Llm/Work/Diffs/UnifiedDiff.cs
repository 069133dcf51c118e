using System.Globalization;
using System.Text.RegularExpressions;

namespace LlmStruct.Llm.Work.Diffs;

/// <summary>A malformed diff, or one that does not apply to the tree; the message says where and why.</summary>
public class DiffException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DiffException(string message) : base(message)
    {
    }
}

/// <summary>A diff that names a path outside the root (absolute, escaping with <c>..</c>, or through a symlink).</summary>
public sealed class UnsafeDiffPathException : DiffException
{
    /// <summary>Creates the exception.</summary>
    public UnsafeDiffPathException(string path, string reason) : base($"refused: '{path}' {reason}") => Path = path;

    /// <summary>The path as the diff wrote it.</summary>
    public string Path { get; }
}

/// <summary>Kinds of hunk body lines.</summary>
internal enum DiffLineKind
{
    Context,
    Removed,
    Added,
}

/// <summary>One body line of a hunk; <see cref="NoNewline"/> when followed by <c>\ No newline at end of file</c>.</summary>
internal sealed record DiffLine(DiffLineKind Kind, string Text, bool NoNewline = false);

/// <summary>One <c>@@ -a,b +c,d @@</c> hunk.</summary>
internal sealed record DiffHunk(int OldStart, int OldCount, int NewStart, int NewCount, IReadOnlyList<DiffLine> Lines, int HeaderLine);

/// <summary>The change to one file. <see cref="OldPath"/> null: a new file; <see cref="NewPath"/> null: a deleted file.</summary>
internal sealed record FilePatch(string? OldPath, string? NewPath, IReadOnlyList<DiffHunk> Hunks)
{
    public string Path => NewPath ?? OldPath!;

    public bool IsNew => OldPath is null;

    public bool IsDelete => NewPath is null;
}

/// <summary>
/// A strict unified-diff parser: <c>---</c>/<c>+++</c> headers (with optional <c>a/</c> <c>b/</c> prefixes and
/// <c>/dev/null</c>), hunks whose line counts must match their headers, <c>\ No newline at end of file</c>. Git's
/// extended headers (<c>diff --git</c>, <c>index</c>, file modes) are accepted and ignored; renames, copies and
/// binary patches are refused.
/// </summary>
internal static partial class UnifiedDiff
{
    private sealed record GitHeader(string Path, int Line, bool NewFile, bool DeletedFile);

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")]
    private static partial Regex HunkHeader();

    /// <summary>The diff inside a model reply: the first fenced block when there is one, else the text from the first <c>diff --git</c> or <c>---</c> line.</summary>
    public static string Extract(string reply)
    {
        var text = reply;
        int fence = text.IndexOf("```", StringComparison.Ordinal);
        if (fence >= 0)
        {
            int bodyStart = text.IndexOf('\n', fence);
            if (bodyStart >= 0)
            {
                int end = text.IndexOf("\n```", bodyStart, StringComparison.Ordinal);
                return end >= 0 ? text[(bodyStart + 1)..(end + 1)] : text[(bodyStart + 1)..];
            }
        }
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("diff --git ", StringComparison.Ordinal) || lines[i].StartsWith("--- ", StringComparison.Ordinal))
            {
                return string.Join('\n', lines[i..]);
            }
        }
        return text;
    }

    /// <summary>Parses <paramref name="diff"/>; throws <see cref="DiffException"/> naming the line of the first problem.</summary>
    public static IReadOnlyList<FilePatch> Parse(string diff)
    {
        var lines = diff.Split('\n');
        int count = lines.Length;
        if (count > 0 && lines[^1].Length == 0)
        {
            count--; // the terminator of the last line
        }
        var patches = new List<FilePatch>();
        GitHeader? pending = null; // a 'diff --git' header not yet followed by '---'/'+++'
        void FlushPending()
        {
            // git writes an empty file's creation or deletion as headers alone, without '---'/'+++' or hunks.
            if (pending is { } header)
            {
                if (header.NewFile)
                {
                    patches.Add(new FilePatch(null, header.Path, []));
                }
                else if (header.DeletedFile)
                {
                    patches.Add(new FilePatch(header.Path, null, []));
                }
                else
                {
                    throw new DiffException($"line {header.Line}: '{header.Path}' has a git header but no change (mode-only changes are not supported)");
                }
            }
            pending = null;
        }
        int i = 0;
        while (i < count)
        {
            var line = lines[i];
            if (line.StartsWith("diff --git ", StringComparison.Ordinal))
            {
                FlushPending();
                int split = line.LastIndexOf(" b/", StringComparison.Ordinal);
                var path = split > 11 ? line[(split + 3)..].TrimEnd('\r') : line[11..].TrimEnd('\r');
                pending = new GitHeader(path, i + 1, false, false);
                i++;
                continue;
            }
            if (pending is { } open && line.StartsWith("new file mode", StringComparison.Ordinal))
            {
                pending = open with { NewFile = true };
            }
            else if (pending is { } open2 && line.StartsWith("deleted file mode", StringComparison.Ordinal))
            {
                pending = open2 with { DeletedFile = true };
            }
            if (!line.StartsWith("--- ", StringComparison.Ordinal))
            {
                if (line.StartsWith("rename ", StringComparison.Ordinal) || line.StartsWith("copy ", StringComparison.Ordinal)
                    || line.StartsWith("Binary files", StringComparison.Ordinal) || line.StartsWith("GIT binary patch", StringComparison.Ordinal))
                {
                    throw new DiffException($"line {i + 1}: renames, copies and binary patches are not supported ('{line}')");
                }
                if (line.StartsWith("@@", StringComparison.Ordinal) || line.StartsWith("+++ ", StringComparison.Ordinal))
                {
                    throw new DiffException($"line {i + 1}: '{Clip(line)}' outside a file patch (expected '--- a/PATH' then '+++ b/PATH' first)");
                }
                i++; // diff --git, index, mode lines and prose between patches
                continue;
            }
            pending = null;
            if (i + 1 >= count || !lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal))
            {
                throw new DiffException($"line {i + 2}: expected '+++ b/PATH' after '{Clip(line)}'");
            }
            var oldPath = HeaderPath(line[4..], "a/");
            var newPath = HeaderPath(lines[i + 1][4..], "b/");
            if (oldPath is null && newPath is null)
            {
                throw new DiffException($"line {i + 1}: both sides are /dev/null");
            }
            i += 2;
            var hunks = new List<DiffHunk>();
            while (i < count && lines[i].StartsWith("@@", StringComparison.Ordinal))
            {
                hunks.Add(ParseHunk(lines, count, ref i));
            }
            if (hunks.Count == 0)
            {
                throw new DiffException($"line {i + 1}: file patch for '{newPath ?? oldPath}' has no hunks");
            }
            patches.Add(new FilePatch(oldPath, newPath, hunks));
        }
        FlushPending();
        if (patches.Count == 0)
        {
            throw new DiffException("no file patches found (expected a unified diff with '--- a/PATH', '+++ b/PATH' and '@@' hunks)");
        }
        var duplicate = patches.GroupBy(p => p.Path, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DiffException($"'{duplicate.Key}' is patched more than once; put all its hunks in one file patch");
        }
        return patches;
    }

    private static DiffHunk ParseHunk(string[] lines, int count, ref int i)
    {
        int headerLine = i + 1;
        var match = HunkHeader().Match(lines[i]);
        if (!match.Success)
        {
            throw new DiffException($"line {headerLine}: malformed hunk header '{Clip(lines[i])}' (expected '@@ -START,COUNT +START,COUNT @@')");
        }
        int oldStart = Number(match.Groups[1]);
        int oldCount = match.Groups[2].Success ? Number(match.Groups[2]) : 1;
        int newStart = Number(match.Groups[3]);
        int newCount = match.Groups[4].Success ? Number(match.Groups[4]) : 1;
        i++;
        var body = new List<DiffLine>();
        int oldSeen = 0, newSeen = 0;
        while (i < count && (oldSeen < oldCount || newSeen < newCount))
        {
            var line = lines[i];
            DiffLineKind kind;
            if (line.Length == 0)
            {
                kind = DiffLineKind.Context; // some tools drop the space of an empty context line
            }
            else
            {
                kind = line[0] switch
                {
                    ' ' => DiffLineKind.Context,
                    '-' => DiffLineKind.Removed,
                    '+' => DiffLineKind.Added,
                    '\\' => throw new DiffException($"line {i + 1}: '\\ No newline at end of file' must follow a body line"),
                    _ => throw new DiffException(
                        $"line {i + 1}: hunk at line {headerLine} ends early: header says -{oldCount} +{newCount} lines but found -{oldSeen} +{newSeen} before '{Clip(line)}'"),
                };
            }
            if (kind != DiffLineKind.Added)
            {
                oldSeen++;
            }
            if (kind != DiffLineKind.Removed)
            {
                newSeen++;
            }
            if (oldSeen > oldCount || newSeen > newCount)
            {
                throw new DiffException($"line {i + 1}: hunk at line {headerLine} has more lines than its header says (-{oldCount} +{newCount})");
            }
            bool noNewline = i + 1 < count && lines[i + 1].StartsWith('\\');
            body.Add(new DiffLine(kind, line.Length == 0 ? "" : line[1..], noNewline));
            i += noNewline ? 2 : 1;
        }
        if (oldSeen < oldCount || newSeen < newCount)
        {
            throw new DiffException($"hunk at line {headerLine}: header says -{oldCount} +{newCount} lines but the diff ends after -{oldSeen} +{newSeen}");
        }
        if (i < count && lines[i].Length > 0 && lines[i][0] is ' ' or '-' or '+' && !lines[i].StartsWith("--- ", StringComparison.Ordinal))
        {
            throw new DiffException($"line {i + 1}: hunk at line {headerLine} has more lines than its header says (-{oldCount} +{newCount})");
        }
        if ((oldCount == 0 && oldStart < 0) || (oldCount > 0 && oldStart < 1) || (newCount > 0 && newStart < 1))
        {
            throw new DiffException($"line {headerLine}: hunk start lines must be 1 or more");
        }
        return new DiffHunk(oldStart, oldCount, newStart, newCount, body, headerLine);
    }

    private static string? HeaderPath(string text, string prefix)
    {
        int tab = text.IndexOf('\t');
        var path = (tab >= 0 ? text[..tab] : text).TrimEnd();
        if (path == "/dev/null")
        {
            return null;
        }
        if (path.Length >= 2 && path[0] == '"' && path[^1] == '"')
        {
            path = path[1..^1];
        }
        if (path.StartsWith(prefix, StringComparison.Ordinal))
        {
            path = path[prefix.Length..];
        }
        if (path.Length == 0)
        {
            throw new DiffException($"empty path in header '{text}'");
        }
        return path;
    }

    private static int Number(Group group) =>
        int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new DiffException($"number out of range: {group.Value}");

    private static string Clip(string line) => line.Length <= 80 ? line : line[..80] + "…";
}
