namespace LlmStruct.Parsers.JavaScript.Parsing;

/// <summary>
/// Rewrites every <c>&lt;&gt;</c> into <c>&lt;F&gt;</c> and <c>&lt;/&gt;</c> into <c>&lt;/F&gt;</c> for Esprima, and maps
/// offsets in the rewritten text back. The text is only used to locate JSX, so a rewrite inside a string, comment or
/// regular expression is harmless; outside JSX the two sequences are not valid JavaScript anyway.
/// </summary>
internal static class FragmentNamer
{
    /// <summary>The rewritten text; <paramref name="inserted"/> holds, in order, the rewritten offsets of the added characters.</summary>
    public static string Name(string source, out List<int> inserted)
    {
        inserted = [];
        int first = source.IndexOf("<>", StringComparison.Ordinal);
        int second = source.IndexOf("</>", StringComparison.Ordinal);
        if (first < 0 && second < 0)
        {
            return source;
        }
        var sb = new System.Text.StringBuilder(source.Length + 16);
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            sb.Append(c);
            if (c != '<' || i + 1 >= source.Length)
            {
                continue;
            }
            if (source[i + 1] == '>')
            {
                inserted.Add(sb.Length);
                sb.Append('F');
            }
            else if (source[i + 1] == '/' && i + 2 < source.Length && source[i + 2] == '>')
            {
                sb.Append('/');
                i++;
                inserted.Add(sb.Length);
                sb.Append('F');
            }
        }
        return sb.ToString();
    }

    /// <summary>The original offset of a rewritten one.</summary>
    public static int ToOriginal(List<int> inserted, int offset)
    {
        // Count the added characters that sit before the offset.
        int lo = 0, hi = inserted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (inserted[mid] < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return offset - lo;
    }

    /// <summary>1-based line and column of an offset in <paramref name="source"/>.</summary>
    public static (int Line, int Column) LineAndColumn(string source, int offset)
    {
        int line = 1, lineStart = 0;
        for (int i = 0; i < Math.Min(offset, source.Length); i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1);
    }
}
