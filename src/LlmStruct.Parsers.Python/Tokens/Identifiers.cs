using System.Text;

namespace LlmStruct.Parsers.Python.Tokens;

/// <summary>NFKC normalization of identifiers (PEP 3131), also where the host runs with invariant globalization.</summary>
internal static class Identifiers
{
    public static string Normalize(string name)
    {
        string normalized;
        try
        {
            normalized = name.Normalize(NormalizationForm.FormKC);
        }
        catch (PlatformNotSupportedException)
        {
            normalized = name;
        }
        // Invariant-globalization hosts leave the text unchanged: fold the compatibility characters that occur in
        // identifiers in practice (ligatures, full-width forms, mathematical letters, long s, micro sign).
        StringBuilder? sb = null;
        for (int i = 0; i < normalized.Length; i++)
        {
            int cp = normalized[i];
            int width = 1;
            if (char.IsHighSurrogate(normalized[i]) && i + 1 < normalized.Length)
            {
                cp = char.ConvertToUtf32(normalized[i], normalized[i + 1]);
                width = 2;
            }
            string? folded = Fold(cp);
            if (folded is not null && sb is null)
            {
                sb = new StringBuilder(normalized, 0, i, normalized.Length);
            }
            if (sb is not null)
            {
                sb.Append(folded ?? normalized.Substring(i, width));
            }
            i += width - 1;
        }
        return sb?.ToString() ?? normalized;
    }

    private static string? Fold(int cp) => cp switch
    {
        0xFB00 => "ff",
        0xFB01 => "fi",
        0xFB02 => "fl",
        0xFB03 => "ffi",
        0xFB04 => "ffl",
        0xFB05 or 0xFB06 => "st",
        0x017F => "s",
        0x00B5 => "\u03BC",
        0x00AA => "a",
        0x00BA => "o",
        >= 0xFF10 and <= 0xFF19 => ((char)('0' + cp - 0xFF10)).ToString(),
        >= 0xFF21 and <= 0xFF3A => ((char)('A' + cp - 0xFF21)).ToString(),
        >= 0xFF41 and <= 0xFF5A => ((char)('a' + cp - 0xFF41)).ToString(),
        0xFF3F => "_",
        >= 0x1D400 and <= 0x1D6A3 => MathLetter(cp),
        >= 0x1D7CE and <= 0x1D7FF => ((char)('0' + (cp - 0x1D7CE) % 10)).ToString(),
        _ => null,
    };

    private static string MathLetter(int cp)
    {
        int k = (cp - 0x1D400) % 52;
        return ((char)(k < 26 ? 'A' + k : 'a' + k - 26)).ToString();
    }
}
