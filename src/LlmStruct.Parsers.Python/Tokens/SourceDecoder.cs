using System.Text;

namespace LlmStruct.Parsers.Python.Tokens;

/// <summary>Decodes a Python file's bytes: UTF-8 BOM, PEP 263 coding declarations on line 1 or 2, strict decoding.</summary>
internal static class SourceDecoder
{
    static SourceDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Decodes <paramref name="bytes"/>; on failure returns false with a CPython-like reason and line.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, out string? error, out int errorLine)
    {
        char[]? buffer = null;
        bool ok = TryDecode(bytes, ref buffer, out int length, out error, out errorLine);
        text = ok ? new string(buffer!, 0, length) : "";
        return ok;
    }

    /// <summary>Decodes into <paramref name="buffer"/> (grown when too small); the text is its first <paramref name="length"/> chars.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, ref char[]? buffer, out int length, out string? error, out int errorLine)
    {
        length = 0;
        error = null;
        errorLine = 0;
        bool bom = bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        if (bom)
        {
            bytes = bytes[3..];
        }
        string? declared = FindDeclaration(bytes, out int declLine);
        Encoding encoding;
        if (bom && declared is not null && !IsExactUtf8(declared))
        {
            error = $"encoding problem: {declared} with BOM";
            errorLine = declLine;
            return false;
        }
        if (declared is null || IsUtf8(declared))
        {
            encoding = StrictUtf8;
        }
        else
        {
            if (bom)
            {
                error = "encoding problem: utf-8";
                errorLine = declLine;
                return false;
            }
            try
            {
                encoding = Encoding.GetEncoding(NormalizeName(declared), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            }
            catch (ArgumentException)
            {
                error = $"unknown encoding: {declared}";
                errorLine = declLine;
                return false;
            }
        }
        try
        {
            int needed = encoding.GetMaxCharCount(bytes.Length);
            if (needed > (buffer?.Length ?? 0))
            {
                needed = encoding.GetCharCount(bytes);
                if (needed > (buffer?.Length ?? 0))
                {
                    buffer = new char[Math.Max(needed, Math.Min(2 * (buffer?.Length ?? 0), 1 << 24))];
                }
            }
            // An empty file needs no characters, but callers index the buffer: never hand back null.
            buffer ??= new char[16];
            length = encoding.GetChars(bytes, buffer);
            return true;
        }
        catch (DecoderFallbackException ex)
        {
            int offset = Math.Max(0, ex.Index);
            errorLine = 1 + bytes[..Math.Min(offset, bytes.Length)].Count((byte)'\n');
            error = encoding == StrictUtf8
                ? $"(unicode error) 'utf-8' codec can't decode byte 0x{(ex.BytesUnknown is { Length: > 0 } b ? b[0] : 0):x2} in position {offset}: invalid start byte"
                : $"(unicode error) '{declared}' codec can't decode byte in position {offset}";
            return false;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool IsExactUtf8(string name)
    {
        string n = name.ToLowerInvariant().Replace('_', '-');
        return n == "utf-8" || n.StartsWith("utf-8-", StringComparison.Ordinal);
    }

    private static bool IsUtf8(string name)
    {
        string n = name.ToLowerInvariant().Replace('_', '-');
        return n is "utf-8" or "utf8" || n.StartsWith("utf-8-", StringComparison.Ordinal);
    }

    private static string NormalizeName(string name)
    {
        string n = name.ToLowerInvariant().Replace('_', '-');
        return n switch
        {
            "latin-1" or "latin1" or "iso-latin-1" or "l1" or "iso8859-1" or "8859" or "cp819" or "latin" => "iso-8859-1",
            "ascii" or "us-ascii" or "646" => "us-ascii",
            "euc-jp" or "eucjp" => "euc-jp",
            "shift-jis" or "sjis" or "shiftjis" => "shift_jis",
            _ when n.StartsWith("iso8859-", StringComparison.Ordinal) => "iso-8859-" + n["iso8859-".Length..],
            "cp1250" or "cp1251" or "cp1252" or "cp1253" or "cp1254" or "cp1255" or "cp1256" or "cp1257" or "cp1258" => "windows-" + n[2..],
            _ when n.StartsWith("cp", StringComparison.Ordinal) && n.Length > 2 && char.IsAsciiDigit(n[2]) => "ibm" + n[2..],
            _ => n,
        };
    }

    /// <summary>Finds <c>coding[:=]name</c> in a comment on line 1, or on line 2 when line 1 is blank or a comment.</summary>
    private static string? FindDeclaration(ReadOnlySpan<byte> bytes, out int line)
    {
        line = 0;
        int pos = 0;
        for (int l = 1; l <= 2 && pos < bytes.Length; l++)
        {
            int end = bytes[pos..].IndexOfAny((byte)'\n', (byte)'\r');
            end = end < 0 ? bytes.Length : pos + end;
            var text = bytes[pos..end];
            int i = 0;
            while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\f')
            {
                i++;
            }
            if (i < text.Length && text[i] == (byte)'#')
            {
                int at = text[i..].IndexOf("coding"u8);
                if (at >= 0)
                {
                    int k = i + at + 6;
                    if (k < text.Length && text[k] is (byte)':' or (byte)'=')
                    {
                        k++;
                        while (k < text.Length && text[k] is (byte)' ' or (byte)'\t')
                        {
                            k++;
                        }
                        int s = k;
                        while (k < text.Length && (char.IsAsciiLetterOrDigit((char)text[k]) || text[k] is (byte)'-' or (byte)'_' or (byte)'.'))
                        {
                            k++;
                        }
                        if (k > s)
                        {
                            line = l;
                            return Encoding.ASCII.GetString(text[s..k]);
                        }
                    }
                }
            }
            else if (i < text.Length)
            {
                return null;
            }
            pos = end;
            if (pos < bytes.Length && bytes[pos] == (byte)'\r')
            {
                pos++;
            }
            if (pos < bytes.Length && bytes[pos] == (byte)'\n')
            {
                pos++;
            }
        }
        return null;
    }
}
