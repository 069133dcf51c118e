namespace LlmStruct.Parsers.JavaScript.Parsing;

/// <summary>
/// A quick look at bracket nesting before parsing, so that absurdly deep input gets a clear error instead of a
/// stack exhaustion deep inside the parser. Strings, template text and comments are skipped; regular expressions
/// are not recognised, which only matters for files that are already near the limit.
/// </summary>
internal static class DepthScan
{
    public static bool Exceeds(string source, int limit, out int line, out int column)
    {
        int depth = 0;
        line = 1;
        int lineStart = 0;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            switch (c)
            {
                case '\n':
                    line++;
                    lineStart = i + 1;
                    break;
                case '(' or '[' or '{':
                    if (++depth > limit)
                    {
                        column = i - lineStart + 1;
                        return true;
                    }
                    break;
                case ')' or ']' or '}':
                    if (depth > 0)
                    {
                        depth--;
                    }
                    break;
                case '"' or '\'':
                    i = SkipString(source, i, c, ref line, ref lineStart);
                    break;
                case '/' when i + 1 < source.Length && source[i + 1] == '/':
                    while (i + 1 < source.Length && source[i + 1] != '\n')
                    {
                        i++;
                    }
                    break;
                case '/' when i + 1 < source.Length && source[i + 1] == '*':
                    int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    int stop = end < 0 ? source.Length : end + 2;
                    for (int j = i; j < stop; j++)
                    {
                        if (source[j] == '\n')
                        {
                            line++;
                            lineStart = j + 1;
                        }
                    }
                    i = stop - 1;
                    break;
            }
        }
        column = 0;
        line = 0;
        return false;
    }

    private static int SkipString(string source, int start, char quote, ref int line, ref int lineStart)
    {
        for (int i = start + 1; i < source.Length; i++)
        {
            char c = source[i];
            if (c == '\\')
            {
                i++;
                continue;
            }
            if (c == quote)
            {
                return i;
            }
            if (c == '\n')
            {
                // An unterminated string: let the parser report it.
                line++;
                lineStart = i + 1;
                return i;
            }
        }
        return source.Length - 1;
    }
}
