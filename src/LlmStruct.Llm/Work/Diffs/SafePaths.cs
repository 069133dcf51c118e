namespace LlmStruct.Llm.Work.Diffs;

/// <summary>Confines relative paths from a model to a root folder.</summary>
internal static class SafePaths
{
    /// <summary>
    /// The full path of <paramref name="relative"/> under <paramref name="root"/>. Refuses absolute paths (and drive or
    /// UNC forms), any <c>..</c> that leaves the root, and paths whose existing part resolves (through symlinks) outside the root.
    /// </summary>
    public static string Resolve(string root, string relative)
    {
        if (string.IsNullOrEmpty(relative) || relative.Contains('\0', StringComparison.Ordinal))
        {
            throw new UnsafeDiffPathException(relative, "is empty or contains NUL");
        }
        if (relative[0] is '/' or '\\' || Path.IsPathRooted(relative) || (relative.Length >= 2 && relative[1] == ':'))
        {
            throw new UnsafeDiffPathException(relative, "is absolute; diff paths must be relative to the root");
        }
        int depth = 0;
        foreach (var segment in relative.Split('/', '\\'))
        {
            if (segment == "..")
            {
                if (--depth < 0)
                {
                    throw new UnsafeDiffPathException(relative, "escapes the root with '..'");
                }
            }
            else if (segment is not ("" or "."))
            {
                depth++;
            }
        }
        if (relative.Split('/', '\\').Any(s => s.Equals(".git", StringComparison.OrdinalIgnoreCase)))
        {
            throw new UnsafeDiffPathException(relative, "is inside .git");
        }

        var fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var realRoot = Path.TrimEndingDirectorySeparator(RealPath(fullRoot));
        var full = Path.GetFullPath(Path.Combine(fullRoot, relative.Replace('\\', '/')));
        if (!IsUnder(fullRoot, full))
        {
            throw new UnsafeDiffPathException(relative, "is outside the root");
        }
        // Walk the existing part of the path: a symlink anywhere along it must still land under the root.
        var current = fullRoot;
        foreach (var segment in Path.GetRelativePath(fullRoot, full).Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (!info.Exists && info.LinkTarget is null)
            {
                break;
            }
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                var targetPath = target?.FullName ?? Path.GetFullPath(info.LinkTarget, Path.GetDirectoryName(current)!);
                if (!IsUnder(realRoot, RealPath(targetPath)) && !IsUnder(fullRoot, targetPath))
                {
                    throw new UnsafeDiffPathException(relative, "resolves through a symlink to a place outside the root");
                }
            }
        }
        return full;
    }

    private static bool IsUnder(string root, string path) =>
        path.Length > root.Length && path.StartsWith(root, StringComparison.Ordinal) && path[root.Length] is '/' or '\\';

    // The path with every symlinked component resolved (as far as the components exist).
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var rootPart = Path.GetPathRoot(full)!;
        var current = rootPart;
        foreach (var segment in full[rootPart.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                next = target?.FullName ?? Path.GetFullPath(info.LinkTarget, current);
            }
            current = next;
        }
        return current;
    }
}
