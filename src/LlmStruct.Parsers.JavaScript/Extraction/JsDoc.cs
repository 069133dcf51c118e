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
