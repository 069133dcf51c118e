using System.Text;

namespace LlmStruct.Parsing;

/// <summary>Helpers every parser needs: decoding bytes, counting lines, trimming docstrings.</summary>
public static class SourceText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes bytes as text: a UTF-8 BOM is dropped, UTF-16 BOMs are honoured, anything else must be valid UTF-8.
    /// Returns false with a reason (naming the byte offset) when it is not.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out string? error)
    {
        error = null;
        try
        {
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                text = StrictUtf8.GetString(bytes[3..]);
            }
            else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            {
                text = new UnicodeEncoding(false, false, true).GetString(bytes[2..]);
            }
            else if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                text = new UnicodeEncoding(true, false, true).GetString(bytes[2..]);
            }
            else
            {
                text = StrictUtf8.GetString(bytes);
            }
            return true;
        }
        catch (DecoderFallbackException ex)
        {
            text = "";
            error = ex.Index >= 0 ? $"invalid UTF-8 at byte {ex.Index}" : "invalid UTF-8";
            return false;
        }
    }

    /// <summary>Counts lines the way editors do: a final line without a newline counts; an empty file has 0 lines.</summary>
    public static int CountLines(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return 0;
        }
        byte last = bytes[^1];
        if (!bytes.Contains((byte)'\r'))
        {
            // The common case, counted with vector instructions.
            int newlines = bytes.Count((byte)'\n');
            return last == (byte)'\n' ? newlines : newlines + 1;
        }
        int lines = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            if (b == (byte)'\n')
            {
                lines++;
            }
            else if (b == (byte)'\r' && (i + 1 == bytes.Length || bytes[i + 1] != (byte)'\n'))
            {
                lines++;
            }
        }
        return last is (byte)'\n' or (byte)'\r' ? lines : lines + 1;
    }

    /// <summary>
    /// The first paragraph of a docstring or doc comment: common indentation removed (as Python's
    /// <c>inspect.cleandoc</c>), cut at the first blank line, inner line breaks joined by single spaces.
    /// Returns null when nothing is left.
    /// </summary>
    public static string? FirstParagraph(string? doc)
    {
        if (string.IsNullOrWhiteSpace(doc))
        {
            return null;
        }
        var sb = new StringBuilder();
        bool started = false;
        foreach (var raw in doc.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                if (started)
                {
                    break;
                }
                continue;
            }
            if (started)
            {
                sb.Append(' ');
            }
            sb.Append(line);
            started = true;
        }
        return sb.Length == 0 ? null : sb.ToString();
    }
}
