using System.Text;

namespace LlmStruct.Pipeline;

/// <summary>Takes the first prose paragraph of a project's README as its summary.</summary>
public static class ReadmeSummary
{
    private static readonly string[] Candidates = ["README.md", "README.rst", "README.txt", "README", "readme.md"];

    /// <summary>The first paragraph of the README at <paramref name="root"/>, or null when there is none.</summary>
    public static string? FromRoot(string root)
    {
        foreach (var candidate in Candidates)
        {
            var path = Path.Combine(root, candidate);
            try
            {
                if (File.Exists(path) && new FileInfo(path).Length <= 1024 * 1024)
                {
                    return FirstParagraph(File.ReadAllText(path));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// The first paragraph of Markdown/reStructuredText/plain text that is prose: headings, badges, images, HTML,
    /// rules, code fences and list items are passed over. Lines are joined with single spaces.
    /// </summary>
    public static string? FirstParagraph(string text)
    {
        var paragraph = new StringBuilder();
        bool inFence = false;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal) || line.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                if (paragraph.Length > 0)
                {
                    break;
                }
                continue;
            }
            if (inFence)
            {
                continue;
            }
            if (line.Length == 0)
            {
                if (paragraph.Length > 0)
                {
                    break;
                }
                continue;
            }
            if (paragraph.Length == 0 && !IsProse(line))
            {
                continue;
            }
            if (paragraph.Length > 0)
            {
                if (!IsProse(line))
                {
                    break;
                }
                paragraph.Append(' ');
            }
            paragraph.Append(line);
        }
        return paragraph.Length == 0 ? null : paragraph.ToString();
    }

    private static bool IsProse(string line) =>
        !(line.StartsWith('#') || line.StartsWith('!') || line.StartsWith('<') || line.StartsWith('[') && line.Contains("](", StringComparison.Ordinal)
          || line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal) || line.StartsWith('|')
          || line.StartsWith(">", StringComparison.Ordinal) || line.All(c => c is '=' or '-' or '*' or '~' or '^' or '_' or '#'));
}
