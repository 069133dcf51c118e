using System.Text;
using Acornima;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Extraction;

/// <summary>Finds the <c>/** … */</c> comment right before a definition and keeps its first paragraph.</summary>
internal static class JsDoc
{
    /// <summary>The first paragraph of the JSDoc block that ends just before <paramref name="offset"/> (only white space between), or null.</summary>
    public static string? Before(string source, IReadOnlyList<Comment> comments, int offset)
    {
        // Comments arrive in source order: binary search for the last one that ends at or before the offset.
        int lo = 0, hi = comments.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (comments[mid].End <= offset)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        if (found < 0)
        {
            return null;
        }
        var comment = comments[found];
        if (comment.Kind != CommentKind.Block || comment.End - comment.Start < 5 || source[comment.Start + 2] != '*'
            || source[comment.Start + 3] == '/')
        {
            return null;
        }
        for (int i = comment.End; i < offset; i++)
        {
            if (!TextOf.IsSpace(source[i]))
            {
                return null;
            }
        }
        return Clean(source.Substring(comment.Start + 3, comment.End - comment.Start - 5));
    }

    private static readonly string[] FileTags = ["@file", "@fileoverview", "@overview", "@module"];

    /// <summary>
    /// The module's docstring: the file's first block comment when it is JSDoc, comes before the first statement, and
    /// is not the first statement's own JSDoc — it carries <c>@file</c>/<c>@fileoverview</c>/<c>@overview</c>/<c>@module</c>,
    /// or a blank line (or the end of the file) follows it. Its text before the first tag, else the text of the file tag.
    /// </summary>
    public static string? ModuleDoc(string source, IReadOnlyList<Comment> comments, int firstStatement)
    {
        int index = -1;
        for (int i = 0; i < comments.Count; i++)
        {
            if (comments[i].Kind == CommentKind.Block)
            {
                index = i;
                break;
            }
        }
        return index < 0 ? null : ModuleDoc(source, comments[index].Start, comments[index].End, firstStatement);
    }

    /// <summary>The module docstring from the file's first block comment (<paramref name="start"/>..<paramref name="end"/>).</summary>
    public static string? ModuleDoc(string source, int start, int end, int firstStatement)
    {
        if ((firstStatement >= 0 && start >= firstStatement) || end - start < 5
            || source[start + 2] != '*' || source[start + 3] == '/')
        {
            return null;
        }
        string body = source.Substring(start + 3, end - start - 5);
        var lines = body.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n')
            .Select(l => l.Trim())
            .Select(l => l.StartsWith('*') ? l[1..].Trim() : l)
            .ToList();
        int tagLine = lines.FindIndex(l => FileTags.Any(t => l == t || l.StartsWith(t + " ", StringComparison.Ordinal)));
        if (tagLine < 0 && !BlankLineFollows(source, end, firstStatement))
        {
            return null;
        }
        var before = Clean(body);
        if (before is not null || tagLine < 0)
        {
            return before;
        }
        var sb = new StringBuilder();
        string first = lines[tagLine];
        sb.Append(first[(first.IndexOf(' ') is var space && space < 0 ? first.Length : space)..].Trim()).Append('\n');
        for (int i = tagLine + 1; i < lines.Count && !lines[i].StartsWith('@'); i++)
        {
            sb.Append(lines[i]).Append('\n');
        }
        return SourceText.FirstParagraph(sb.ToString());
    }

    private static bool BlankLineFollows(string source, int from, int to)
    {
        int end = to < 0 ? source.Length : to;
        int newlines = 0;
        for (int i = from; i < end; i++)
        {
            char c = source[i];
            if (c == '\n')
            {
                if (++newlines == 2)
                {
                    return true;
                }
            }
            else if (!TextOf.IsSpace(c))
            {
                // Another comment or code: only a blank line right after the block counts.
                return false;
            }
        }
        return to < 0;
    }

    /// <summary>Strips the leading <c>*</c> of each line and stops at the first <c>@tag</c> line.</summary>
    public static string? Clean(string body)
    {
        var sb = new StringBuilder();
        foreach (var raw in body.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('*'))
            {
                line = line[1..].Trim();
            }
            if (line.StartsWith('@'))
            {
                break;
            }
            sb.Append(line).Append('\n');
        }
        return SourceText.FirstParagraph(sb.ToString());
    }
}
