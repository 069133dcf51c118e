namespace LlmStruct.Linking;

/// <summary>Project-relative path arithmetic with '/' separators (no file system access).</summary>
internal static class LinkPaths
{
    /// <summary>The folder of a relative path ("" at the root).</summary>
    public static string Directory(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    /// <summary>The last segment of a path.</summary>
    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Joins and normalizes ('.' and '..' segments); null when the result leaves the root.</summary>
    public static string? Combine(string directory, string relative)
    {
        var parts = new List<string>();
        foreach (var segment in (directory.Length == 0 ? relative : directory + "/" + relative).Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(segment);
        }
        return string.Join('/', parts);
    }

    /// <summary>The top-level folder of a path, or "" for a file at the root.</summary>
    public static string TopFolder(string path)
    {
        int slash = path.IndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
