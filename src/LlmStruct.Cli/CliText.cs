namespace LlmStruct.Cli;

/// <summary>Text shown on a terminal.</summary>
internal static class CliText
{
    /// <summary>A path with control characters (a newline in a file name…) shown as escapes, so one entry stays one line.</summary>
    public static string Escape(string path)
    {
        if (!path.Any(char.IsControl))
        {
            return path;
        }
        var text = new System.Text.StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }
        return text.ToString();
    }
}
