using System.Text;

namespace LlmStruct.Parsers.JavaScript.Extraction;

/// <summary>Source text as written, with every run of whitespace folded into one space.</summary>
internal static class TextOf
{
    public static string Normalize(string source, int start, int end)
    {
        var span = source.AsSpan(start, end - start).Trim();
        int i = 0;
        for (; i < span.Length; i++)
        {
            if (IsSpace(span[i]) && (span[i] != ' ' || (i + 1 < span.Length && IsSpace(span[i + 1]))))
            {
                break;
            }
        }
        if (i == span.Length)
        {
            return span.ToString();
        }
        var sb = new StringBuilder(span.Length);
        bool inSpace = false;
        foreach (char c in span)
        {
            if (IsSpace(c))
            {
                inSpace = true;
                continue;
            }
            if (inSpace)
            {
                sb.Append(' ');
                inSpace = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>JavaScript white space and line terminators (what <c>/\s/</c> matches).</summary>
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f' or '\u00a0' or '\u1680'
        or (>= '\u2000' and <= '\u200a') or '\u2028' or '\u2029' or '\u202f' or '\u205f' or '\u3000' or '\ufeff';
}
