using System.Globalization;
using System.Text;
using LlmStruct.Parsers.Python.Tokens;

namespace LlmStruct.Parsers.Python;

/// <summary>Evaluates string literal tokens (for docstrings and <c>__all__</c>): prefixes, quotes, escapes, concatenation.</summary>
internal static class StringLiterals
{
    public static string Evaluate(char[] src, Token[] toks, int first, int last)
    {
        if (first == last)
        {
            return EvaluateOne(src, toks[first]);
        }
        var sb = new StringBuilder();
        for (int i = first; i <= last; i++)
        {
            sb.Append(EvaluateOne(src, toks[i]));
        }
        return sb.ToString();
    }

    /// <summary>
    /// A docstring's value, cut after its first paragraph when that is safe (a blank source line not joined to the
    /// line before by a backslash is a blank line of the value), so long docstrings are not copied whole.
    /// </summary>
    public static string EvaluateDocstring(char[] src, Token[] toks, int first, int last)
    {
        if (first != last)
        {
            return Evaluate(src, toks, first, last);
        }
        var body = Body(src, toks[first]);
        bool content = false;
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c is '\n' or '\r')
            {
                int j = i + 1;
                while (j < body.Length && body[j] is ' ' or '\t' or '\f' or '\v')
                {
                    j++;
                }
                bool blankNext = j < body.Length && body[j] is '\n' or '\r';
                if (content && blankNext && (i == 0 || body[i - 1] != '\\'))
                {
                    body = body[..i];
                    break;
                }
            }
            else if (c is not (' ' or '\t' or '\f' or '\v'))
            {
                content = true;
            }
        }
        return EvaluateBody(body, (toks[first].Flags & TokenFlags.Raw) != 0);
    }

    private static ReadOnlySpan<char> Body(char[] src, in Token t)
    {
        int i = t.Start;
        while (src[i] is not ('\'' or '"'))
        {
            i++;
        }
        int quote = (t.Flags & TokenFlags.Triple) != 0 ? 3 : 1;
        return src.AsSpan(i + quote, t.End - i - 2 * quote);
    }

    private static string EvaluateOne(char[] src, in Token t) => EvaluateBody(Body(src, t), (t.Flags & TokenFlags.Raw) != 0);

    private static string EvaluateBody(ReadOnlySpan<char> body, bool raw)
    {
        if (body.IndexOfAny('\\', '\r') < 0)
        {
            return body.ToString();
        }
        var sb = new StringBuilder(body.Length);
        for (int k = 0; k < body.Length; k++)
        {
            char c = body[k];
            if (c == '\r')
            {
                // CPython reads source with universal newlines.
                sb.Append('\n');
                if (k + 1 < body.Length && body[k + 1] == '\n')
                {
                    k++;
                }
                continue;
            }
            if (c != '\\' || k + 1 >= body.Length)
            {
                sb.Append(c);
                continue;
            }
            char e = body[k + 1];
            if (raw)
            {
                sb.Append(c);
                continue;
            }
            k++;
            switch (e)
            {
                case '\n': break;
                case '\r':
                    if (k + 1 < body.Length && body[k + 1] == '\n')
                    {
                        k++;
                    }
                    break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case >= '0' and <= '7':
                {
                    int value = 0, n = 0;
                    while (n < 3 && k < body.Length && body[k] is >= '0' and <= '7')
                    {
                        value = value * 8 + (body[k] - '0');
                        k++;
                        n++;
                    }
                    k--;
                    sb.Append((char)value);
                    break;
                }
                case 'x':
                case 'u':
                case 'U':
                {
                    int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (k + digits < body.Length + 0 && int.TryParse(body.Slice(k + 1, Math.Min(digits, body.Length - k - 1)), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int cp)
                        && cp <= 0x10FFFF && k + digits <= body.Length - 1 + 1)
                    {
                        sb.Append(cp is >= 0xD800 and <= 0xDFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp));
                        k += digits;
                    }
                    else
                    {
                        sb.Append('\\').Append(e);
                    }
                    break;
                }
                default:
                    sb.Append('\\').Append(e);
                    break;
            }
        }
        return sb.ToString();
    }
}
