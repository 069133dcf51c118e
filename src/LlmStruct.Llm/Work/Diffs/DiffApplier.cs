using System.Text;
using LlmStruct.Pipeline;
using LlmStruct.Security;

namespace LlmStruct.Llm.Work.Diffs;

/// <summary>The new content of one file after a diff; <see cref="Content"/> null when the diff deletes it.</summary>
/// <param name="Path">Path relative to the root, with '/'.</param>
/// <param name="Content">The new bytes (UTF-8), or null for a deletion.</param>
/// <param name="Kind">added, modified or deleted.</param>
public sealed record FileChange(string Path, byte[]? Content, string Kind);

/// <summary>
/// Applies a unified diff to a tree in memory (nothing is written), strictly: every context and removed line must
/// match the file exactly; a hunk may sit a few lines off its header's position (as with <c>git apply</c>) but never
/// overlaps the previous one; new files must not exist, deleted files must be emptied whole. Paths are confined to the root.
/// </summary>
public static class DiffApplier
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Applies <paramref name="diff"/> under <paramref name="root"/> with no redaction to undo (the 0.1.0 signature).</summary>
    public static IReadOnlyList<FileChange> Apply(string root, string diff) => Apply(root, diff, null);

    /// <summary>
    /// Parses <paramref name="diff"/> and computes the new content of every file it touches under <paramref name="root"/>.
    /// With a <paramref name="redactor"/>, the diff is taken to be made against the redacted text the model was shown:
    /// it is applied to that text, and every <c>«redacted:RULE»</c> in the result is put back to the original secret
    /// (a line kept as it was gets its own secrets back; a changed line, the rule's secret when the file has only one).
    /// </summary>
    /// <exception cref="UnsafeDiffPathException">A path is absolute, escapes the root, or resolves outside it through a symlink.</exception>
    /// <exception cref="DiffException">The diff is malformed or does not apply, or a redacted secret cannot be put back.</exception>
    public static IReadOnlyList<FileChange> Apply(string root, string diff, SourceRedactor? redactor)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(diff);
        var patches = UnifiedDiff.Parse(diff);
        foreach (var patch in patches)
        {
            // Check every path before reading anything.
            foreach (var path in new[] { patch.OldPath, patch.NewPath }.OfType<string>())
            {
                SafePaths.Resolve(root, path);
            }
        }
        return [.. patches.Select(p => ApplyOne(root, p, redactor))];
    }

    /// <summary>
    /// Writes <paramref name="changes"/> under <paramref name="root"/>: each file atomically (temp file, then rename),
    /// deletions remove the file and then any folders the deletion left empty (as <c>git apply</c> does). Paths are checked again.
    /// </summary>
    public static async Task WriteAsync(string root, IEnumerable<FileChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(changes);
        var list = changes.ToList();
        var resolved = list.Select(c => (Change: c, Full: SafePaths.Resolve(root, c.Path))).ToList();
        foreach (var (change, full) in resolved)
        {
            if (change.Content is null)
            {
                File.Delete(full);
                RemoveEmptyParents(Path.GetFullPath(root), full);
            }
            else
            {
                await StructFileWriter.WriteAtomicAsync(full, change.Content, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void RemoveEmptyParents(string root, string file)
    {
        var directory = Path.GetDirectoryName(file);
        var trimmedRoot = Path.TrimEndingDirectorySeparator(root);
        while (directory is not null && directory.Length > trimmedRoot.Length && directory.StartsWith(trimmedRoot, StringComparison.Ordinal)
            && Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
            directory = Path.GetDirectoryName(directory);
        }
    }

    private static FileChange ApplyOne(string root, FilePatch patch, SourceRedactor? redactor)
    {
        List<string>? originalLines = null;
        List<RedactedValue>? secrets = null;
        if (patch.OldPath is not null && patch.NewPath is not null && patch.OldPath != patch.NewPath)
        {
            throw new DiffException($"'{patch.OldPath}' → '{patch.NewPath}': renames are not supported; delete and add instead");
        }
        var full = SafePaths.Resolve(root, patch.Path);
        List<string> lines;
        if (patch.IsNew)
        {
            if (File.Exists(full) || Directory.Exists(full))
            {
                throw new DiffException($"{patch.Path}: the diff creates it (--- /dev/null) but it already exists");
            }
            lines = [];
        }
        else
        {
            if (!File.Exists(full))
            {
                throw new DiffException($"{patch.Path}: no such file");
            }
            string text;
            try
            {
                text = StrictUtf8.GetString(File.ReadAllBytes(full));
            }
            catch (DecoderFallbackException)
            {
                throw new DiffException($"{patch.Path}: not UTF-8 text");
            }
            if (redactor is not null && redactor.AppliesTo(patch.Path))
            {
                secrets = [];
                var shown = redactor.Redact(text, secrets);
                if (secrets.Count > 0)
                {
                    originalLines = SplitKeepingTerminators(text);
                    text = shown;
                }
            }
            lines = SplitKeepingTerminators(text);
        }

        var output = new List<string>(lines.Count + 16);
        int position = 0; // next unconsumed line of the old file
        foreach (var hunk in patch.Hunks)
        {
            var oldSide = hunk.Lines.Where(l => l.Kind != DiffLineKind.Added).Select(Terminated).ToList();
            var newSide = hunk.Lines.Where(l => l.Kind != DiffLineKind.Removed).Select(Terminated).ToList();
            if (patch.IsNew && oldSide.Count > 0)
            {
                throw new DiffException($"{patch.Path}: hunk at diff line {hunk.HeaderLine} of a new file has old lines");
            }
            int expected = hunk.OldCount == 0 ? hunk.OldStart : hunk.OldStart - 1;
            // As git apply: a hunk starting at line 0 or 1 must match at the beginning, one without trailing context at the end.
            bool mustBegin = hunk.OldStart <= 1;
            bool mustEnd = hunk.Lines.Count == 0 || hunk.Lines[^1].Kind != DiffLineKind.Context;
            int at = Locate(lines, oldSide, expected, position, mustBegin, mustEnd);
            if (at < 0)
            {
                var anchored = Locate(lines, oldSide, expected, position, false, false) >= 0;
                throw new DiffException(anchored
                    ? AnchorMessage(patch.Path, hunk, lines, oldSide, position, mustBegin, mustEnd)
                    : MismatchMessage(patch.Path, hunk, lines, oldSide, expected));
            }
            output.AddRange(lines.Skip(position).Take(at - position));
            output.AddRange(newSide);
            position = at + oldSide.Count;
        }
        output.AddRange(lines.Skip(position));
        CheckTerminators(patch.Path, output);
        if (originalLines is not null)
        {
            output = Restore(patch.Path, lines, originalLines, secrets!, output);
        }

        if (patch.IsDelete)
        {
            if (output.Count > 0)
            {
                throw new DiffException($"{patch.Path}: the diff deletes it (+++ /dev/null) but its hunks do not remove every line");
            }
            return new FileChange(patch.Path, null, "deleted");
        }
        return new FileChange(patch.Path, StrictUtf8.GetBytes(string.Concat(output)), patch.IsNew ? "added" : "modified");
    }

    // Puts the secrets back into the lines of the result: a line that is one of the shown (redacted) lines becomes its
    // original (in order, when the same shown line stands for several); any other line with a marker gets the rule's
    // secret when the file holds only one value for that rule.
    private static List<string> Restore(string path, List<string> shown, List<string> original, List<RedactedValue> secrets, List<string> output)
    {
        var byShown = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
        for (int i = 0; i < shown.Count && i < original.Count; i++)
        {
            if (!ReferenceEquals(shown[i], original[i]) && shown[i] != original[i])
            {
                if (!byShown.TryGetValue(shown[i], out var queue))
                {
                    byShown[shown[i]] = queue = new Queue<string>();
                }
                queue.Enqueue(original[i]);
            }
        }
        var restored = new List<string>(output.Count);
        foreach (var line in output)
        {
            if (!line.Contains("\u00ABredacted:", StringComparison.Ordinal))
            {
                restored.Add(line);
            }
            else if (byShown.TryGetValue(line, out var queue) && queue.Count > 0)
            {
                restored.Add(queue.Count > 1 ? queue.Dequeue() : queue.Peek());
            }
            else
            {
                var text = line;
                foreach (var rule in secrets.Select(s => s.Rule).Distinct(StringComparer.Ordinal))
                {
                    var marker = SecretRules.Marker(rule);
                    if (!text.Contains(marker, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var values = secrets.Where(s => s.Rule == rule).Select(s => s.Value).Distinct(StringComparer.Ordinal).ToList();
                    if (values.Count != 1)
                    {
                        throw new DiffException($"{path}: a changed line holds {marker}, which stands for {values.Count} different secrets in this file; keep such lines unchanged");
                    }
                    text = text.Replace(marker, values[0], StringComparison.Ordinal);
                }
                restored.Add(text);
            }
        }
        return restored;
    }

    private static string Terminated(DiffLine line) => line.NoNewline ? line.Text : line.Text + "\n";

    // Only the last line of a file may lack its newline; a hunk that drops one in the middle is inconsistent.
    private static void CheckTerminators(string path, List<string> output)
    {
        for (int i = 0; i < output.Count - 1; i++)
        {
            if (!output[i].EndsWith('\n'))
            {
                throw new DiffException($"{path}: '\\ No newline at end of file' on a line that is not the last one after the change");
            }
        }
    }

    private static List<string> SplitKeepingTerminators(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            int end = nl < 0 ? text.Length : nl + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    /// <summary>The closest position at or after <paramref name="floor"/> where <paramref name="oldSide"/> matches (or the anchored one), or -1.</summary>
    private static int Locate(List<string> lines, List<string> oldSide, int expected, int floor, bool mustBegin, bool mustEnd)
    {
        int max = lines.Count - oldSide.Count;
        if (max < floor)
        {
            return -1;
        }
        if (mustBegin || mustEnd)
        {
            int only = mustBegin ? 0 : max;
            return only >= floor && (!mustEnd || only == max) && Matches(lines, oldSide, only) ? only : -1;
        }
        expected = Math.Clamp(expected, floor, max);
        int span = Math.Max(expected - floor, max - expected);
        for (int offset = 0; offset <= span; offset++)
        {
            int before = expected - offset, after = expected + offset;
            if (before >= floor && Matches(lines, oldSide, before))
            {
                return before;
            }
            if (offset > 0 && after <= max && Matches(lines, oldSide, after))
            {
                return after;
            }
        }
        return -1;
    }

    private static bool Matches(List<string> lines, List<string> oldSide, int at)
    {
        for (int i = 0; i < oldSide.Count; i++)
        {
            if (!string.Equals(lines[at + i], oldSide[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    // The hunk's lines are in the file, but not where an anchor puts them: name the anchor that fails. A hunk at line 1
    // without trailing context has both; the one it meets is not the cause.
    private static string AnchorMessage(string path, DiffHunk hunk, List<string> lines, List<string> oldSide, int floor, bool mustBegin, bool mustEnd)
    {
        int end = lines.Count - oldSide.Count;
        bool begins = floor == 0 && Matches(lines, oldSide, 0);
        bool ends = end >= floor && Matches(lines, oldSide, end);
        var prefix = $"{path}: hunk at diff line {hunk.HeaderLine}";
        const string StartRule = "it starts at line 1, so it must match at the start of the file";
        const string EndRule = "it has no trailing context, so it must end at the end of the file";
        if (mustBegin && mustEnd && begins)
        {
            int after = lines.Count - oldSide.Count;
            return $"{prefix} matches at the start of the file but does not reach its end: {EndRule}, and the file has "
                + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{after} more line{(after == 1 ? "" : "s")} after it; end the hunk with the unchanged lines that follow as context");
        }
        if (mustBegin && mustEnd && !ends)
        {
            return $"{prefix} matches only in the middle of the file: {StartRule}, and {EndRule}; give it the real start line and trailing context";
        }
        return mustBegin
            ? $"{prefix} matches only away from the start of the file: {StartRule}; give it the line number where its lines really are"
            : $"{prefix} matches only away from the end of the file: {EndRule}; end the hunk with the unchanged lines that follow as context";
    }

    private static string MismatchMessage(string path, DiffHunk hunk, List<string> lines, List<string> oldSide, int expected)
    {
        var message = new StringBuilder($"{path}: hunk '@@ -{hunk.OldStart},{hunk.OldCount} +{hunk.NewStart},{hunk.NewCount} @@' (diff line {hunk.HeaderLine}) does not apply: ");
        if (expected >= lines.Count && oldSide.Count > 0)
        {
            message.Append(System.Globalization.CultureInfo.InvariantCulture, $"the file has only {lines.Count} lines");
            return message.ToString();
        }
        for (int i = 0; i < oldSide.Count; i++)
        {
            int n = expected + i;
            string actual = n < lines.Count ? lines[n] : "<end of file>";
            if (!string.Equals(actual, oldSide[i], StringComparison.Ordinal))
            {
                message.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"line {n + 1} is '{Show(actual)}' but the diff expects '{Show(oldSide[i])}'");
                return message.ToString();
            }
        }
        message.Append("its context does not match the file at that position");
        return message.ToString();
    }

    private static string Show(string line)
    {
        var shown = line.EndsWith('\n') ? line[..^1] : line + "⟨no newline at end of file⟩";
        return shown.Length <= 120 ? shown : shown[..120] + "…";
    }
}
