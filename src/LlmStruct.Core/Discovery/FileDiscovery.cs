using System.Collections.Concurrent;
using System.IO.Enumeration;
using LlmStruct.Configuration;
using LlmStruct.Model;

namespace LlmStruct.Discovery;

/// <summary>A source file found under the root.</summary>
/// <param name="RelativePath">Path relative to the root, '/'-separated.</param>
/// <param name="FullPath">Absolute path on this machine (never written to struct.json).</param>
/// <param name="Length">Size in bytes when discovered.</param>
/// <param name="LastWriteTicks">Last write time (UTC ticks) when discovered; with the size, lets a cache skip unchanged files.</param>
public sealed record DiscoveredFile(string RelativePath, string FullPath, long Length, long LastWriteTicks = 0);

/// <summary>What discovery found.</summary>
/// <param name="Files">Files to parse, ordered by ordinal relative path.</param>
/// <param name="Skipped">Files deliberately not parsed (too large, broken links…).</param>
/// <param name="Errors">Folders or files that could not be read.</param>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredFile> Files, IReadOnlyList<SkippedFile> Skipped, IReadOnlyList<ParseError> Errors);

/// <summary>
/// Walks a root folder: honours <c>.gitignore</c> files (nested, negation, anchoring, directory patterns) and
/// <c>.git/info/exclude</c>, the include/exclude globs and size limit of <see cref="ParsingOptions"/>, skips
/// version-control and cache folders, never follows a symbolic link into a loop, and reports unreadable folders
/// as errors instead of failing. The result does not depend on the order the file system lists entries in.
/// </summary>
public static class FileDiscovery
{
    /// <summary>Folders never walked: version control, LlmStruct's own cache, dependency and bytecode caches.</summary>
    public static readonly IReadOnlySet<string> AlwaysSkippedFolders =
        new HashSet<string>(StringComparer.Ordinal) { ".git", ".hg", ".svn", ".llmstruct", "node_modules", "__pycache__", ".venv", ".tox" };

    /// <summary>
    /// Whether a file is one that holds credentials by its name (<c>.env</c>, <c>.env.*</c>, <c>*.pem</c>, <c>*.key</c>,
    /// <c>id_rsa</c>…): such a file is never read, whatever parser or glob would take it, and is listed in
    /// <c>skipped</c>.
    /// </summary>
    public static bool IsCredentialFile(string name) =>
        name is ".env" or ".netrc" or ".pgpass" or ".npmrc" or ".pypirc" or "id_rsa" or "id_dsa" or "id_ecdsa" or "id_ed25519"
        || name.StartsWith(".env.", StringComparison.Ordinal)
        || name.EndsWith(".pem", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".key", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".p12", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".keystore", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jks", StringComparison.OrdinalIgnoreCase);

    /// <summary>Discovers the files under <paramref name="root"/> that <paramref name="wanted"/> accepts (by relative path).</summary>
    public static DiscoveryResult Discover(string root, ParsingOptions options, Func<string, bool> wanted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(wanted);
        var rootInfo = new DirectoryInfo(Path.GetFullPath(root));
        if (!rootInfo.Exists)
        {
            throw new DirectoryNotFoundException($"input folder not found: {root}");
        }

        // .NET's messages name paths in full; struct.json promises no absolute path, so they are made relative to the root.
        var rootFull = Path.TrimEndingDirectorySeparator(rootInfo.FullName);
        string Relative(string message) => message
            .Replace(rootFull + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
            .Replace(rootFull, ".", StringComparison.Ordinal);

        var includes = options.Include.Select(Glob.Parse).ToArray();
        var excludes = options.Exclude.Select(Glob.Parse).ToArray();
        var files = new List<DiscoveredFile>();
        var skipped = new List<SkippedFile>();
        var errors = new List<ParseError>();

        // Ignore rules are matched in the coordinates of the enclosing git work tree, so parsing a subfolder
        // (`--input src/`) honours the .gitignore files above it, as git itself would.
        var rootIgnores = new List<GitIgnore>();
        string prefix = "";
        if (options.UseGitignore)
        {
            var gitRoot = FindGitRoot(rootInfo) ?? rootInfo;
            prefix = Path.GetRelativePath(gitRoot.FullName, rootInfo.FullName).Replace('\\', '/');
            prefix = prefix == "." ? "" : prefix;
            var exclude = ReadIgnoreFile(Path.Combine(gitRoot.FullName, ".git", "info", "exclude"), "", errors, ".git/info/exclude", Relative);
            if (exclude is not null)
            {
                rootIgnores.Add(exclude);
            }
            var above = "";
            foreach (var segment in prefix.Length == 0 ? [] : prefix.Split('/'))
            {
                var ignore = ReadIgnoreFile(Path.Combine(gitRoot.FullName, above, ".gitignore"), above, errors, Join(above, ".gitignore"), Relative);
                if (ignore is not null)
                {
                    rootIgnores.Add(ignore);
                }
                above = Join(above, segment);
            }
        }

        // Folders are listed by a few workers that share one stack of folders still to visit (no recursion, so a deep
        // tree cannot overflow the stack). Each worker keeps its own lists; they are merged and sorted at the end, so
        // the result never depends on which worker listed what.
        var stack = new ConcurrentStack<Folder>();
        stack.Push(new Folder(rootInfo, "", rootIgnores, new HashSet<string>(StringComparer.Ordinal) { RealPath(rootInfo) }));
        int pending = 1;
        var results = new ConcurrentBag<(List<DiscoveredFile> Files, List<SkippedFile> Skipped, List<ParseError> Errors)>();
        int workers = Math.Clamp(Environment.ProcessorCount, 1, 8);
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                var mine = (Files: new List<DiscoveredFile>(), Skipped: new List<SkippedFile>(), Errors: new List<ParseError>());
                results.Add(mine);
                var spin = new SpinWait();
                while (Volatile.Read(ref pending) > 0)
                {
                    if (!stack.TryPop(out var folder))
                    {
                        spin.SpinOnce();
                        continue;
                    }
                    spin.Reset();
                    try
                    {
                        if (!cancellationToken.IsCancellationRequested)
                        {
                            Visit(folder, mine.Files, mine.Skipped, mine.Errors);
                        }
                    }
                    finally
                    {
                        Interlocked.Decrement(ref pending);
                    }
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var (workerFiles, workerSkipped, workerErrors) in results)
        {
            files.AddRange(workerFiles);
            skipped.AddRange(workerSkipped);
            errors.AddRange(workerErrors);
        }

        files.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        skipped.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        errors.Sort(static (a, b) => string.CompareOrdinal(a.File, b.File) is var c && c != 0 ? c : string.CompareOrdinal(a.Reason, b.Reason));
        return new DiscoveryResult(files, skipped, errors);

        void Visit(Folder folder, List<DiscoveredFile> files, List<SkippedFile> skipped, List<ParseError> errors)
        {
            var (dir, rel, inherited, ancestors) = folder;
            var ignores = inherited;

            Entry[] entries;
            try
            {
                // A light enumeration: name, kind and link flag come from the directory listing itself; only files
                // that are wanted and not ignored are stat'ed, and only links are resolved.
                entries = [.. new FileSystemEnumerable<Entry>(
                    dir.FullName,
                    // Attributes cost an lstat: asked only of folders (to tell links); files are stat'ed later if wanted.
                    static (ref FileSystemEntry e) => new Entry(
                        e.FileName.ToString(), e.IsDirectory, e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) != 0),
                    new EnumerationOptions
                    {
                        IgnoreInaccessible = false, AttributesToSkip = 0, RecurseSubdirectories = false, ReturnSpecialDirectories = false,
                    })];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
            {
                errors.Add(new ParseError { File = rel.Length == 0 ? "." : rel, Reason = $"cannot read folder: {Relative(ex.Message)}" });
                return;
            }
            Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            if (Array.Exists(entries, e => e.Name.Contains('\uFFFD', StringComparison.Ordinal)))
            {
                // .NET shows bytes that are not UTF-8 as U+FFFD: no open could find such a name, and struct.json is UTF-8.
                var invalid = PosixEntries.InvalidUtf8Names(dir.FullName);
                if (invalid.Count > 0)
                {
                    foreach (var (shown, isDirectory) in invalid)
                    {
                        var shownPath = Join(rel, shown);
                        if (isDirectory || wanted(shownPath))
                        {
                            skipped.Add(new SkippedFile { Path = shownPath, Reason = "name is not valid UTF-8 (bytes shown as \\xNN); not read" });
                        }
                    }
                    entries = [.. entries.Where(e => !e.Name.Contains('\uFFFD', StringComparison.Ordinal))];
                }
            }
            if (options.UseGitignore && Array.Exists(entries, e => e.Name == ".gitignore"))
            {
                var own = ReadIgnoreFile(Path.Combine(dir.FullName, ".gitignore"), Join(prefix, rel), errors, Join(rel, ".gitignore"), Relative);
                if (own is not null)
                {
                    ignores = [.. inherited, own];
                }
            }

            var subdirs = new List<Folder>();
            foreach (var entry in entries)
            {
                var path = Join(rel, entry.Name);
                // A symbolic link to a folder lists as a link, not a folder: ask what it points to.
                if (entry.IsDirectory)
                {
                    if (AlwaysSkippedFolders.Contains(entry.Name) || IsIgnored(ignores, Join(prefix, path), true) || (excludes.Length > 0 && MatchesAny(excludes, path)))
                    {
                        continue;
                    }
                    if (entry.IsLink && !options.FollowSymlinks)
                    {
                        continue;
                    }
                    var sub = new DirectoryInfo(Path.Join(dir.FullName, entry.Name));
                    if (!options.FollowSymlinks)
                    {
                        // No link is entered, so no folder can be met twice: no ancestors to remember.
                        subdirs.Add(new Folder(sub, path, ignores, ancestors));
                        continue;
                    }
                    var real = entry.IsLink ? RealPath(sub) : Path.TrimEndingDirectorySeparator(sub.FullName);
                    if (ancestors.Contains(real))
                    {
                        skipped.Add(new SkippedFile { Path = path, Reason = "symbolic link loop not followed" });
                        continue;
                    }
                    subdirs.Add(new Folder(sub, path, ignores, new HashSet<string>(ancestors, StringComparer.Ordinal) { real }));
                    continue;
                }

                if (IsCredentialFile(entry.Name))
                {
                    if (!IsIgnored(ignores, Join(prefix, path), false) && !(excludes.Length > 0 && MatchesAny(excludes, path)))
                    {
                        skipped.Add(new SkippedFile { Path = path, Reason = "credentials file: never read" });
                    }
                    continue;
                }
                if (!wanted(path) || IsIgnored(ignores, Join(prefix, path), false))
                {
                    continue;
                }
                if (includes.Length > 0 && !MatchesAny(includes, path))
                {
                    continue;
                }
                if (excludes.Length > 0 && MatchesAny(excludes, path))
                {
                    continue;
                }
                var file = new FileInfo(Path.Join(dir.FullName, entry.Name));
                long length;
                long lastWrite;
                bool isLink = false;
                try
                {
                    if (!file.Exists)
                    {
                        continue; // deleted since the folder was listed
                    }
                    isLink = (file.Attributes & FileAttributes.ReparsePoint) != 0;
                    if (isLink)
                    {
                        var target = file.ResolveLinkTarget(returnFinalTarget: true);
                        if (target is null || !target.Exists || target is DirectoryInfo)
                        {
                            skipped.Add(new SkippedFile { Path = path, Reason = "broken symbolic link" });
                            continue;
                        }
                        length = ((FileInfo)target).Length;
                        lastWrite = target.LastWriteTimeUtc.Ticks;
                    }
                    else
                    {
                        length = file.Length;
                        lastWrite = file.LastWriteTimeUtc.Ticks;
                    }
                }
                catch (FileNotFoundException) when (!isLink)
                {
                    continue; // deleted since the folder was listed: not there to parse
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    skipped.Add(new SkippedFile { Path = path, Reason = $"cannot resolve symbolic link: {Relative(ex.Message)}" });
                    continue;
                }
                // FIFOs, sockets and devices list as files of size 0; opening a FIFO would block.
                if (length == 0 && !PosixEntries.IsRegularFileOrFolder(file.FullName))
                {
                    skipped.Add(new SkippedFile { Path = path, Reason = "not a regular file" });
                    continue;
                }
                if (length > options.MaxFileBytes)
                {
                    skipped.Add(new SkippedFile { Path = path, Reason = $"larger than max_file_bytes ({length} > {options.MaxFileBytes} bytes)" });
                    continue;
                }
                files.Add(new DiscoveredFile(path, file.FullName, length, lastWrite));
            }
            if (subdirs.Count > 0)
            {
                // Counted before they are pushed, so no worker sees zero pending while they wait.
                Interlocked.Add(ref pending, subdirs.Count);
                subdirs.Reverse();
                stack.PushRange([.. subdirs]);
            }
        }
    }

    private static bool IsIgnored(IReadOnlyList<GitIgnore> ignores, string path, bool isDirectory) =>
        ignores.Count > 0 && GitIgnore.IsIgnored(ignores, path, isDirectory);

    private static GitIgnore? ReadIgnoreFile(string fullPath, string rel, List<ParseError> errors, string display, Func<string, string> relative)
    {
        if (!File.Exists(fullPath))
        {
            return null;
        }
        try
        {
            return GitIgnore.Parse(rel, File.ReadAllText(fullPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new ParseError { File = display, Reason = $"cannot read ignore file: {relative(ex.Message)}" });
            return null;
        }
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds <c>.git</c> (a folder, or a file in worktrees).</summary>
    private static DirectoryInfo? FindGitRoot(DirectoryInfo start)
    {
        for (var dir = start; dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return dir;
            }
        }
        return null;
    }

    private static string RealPath(DirectoryInfo dir)
    {
        try
        {
            var target = dir.ResolveLinkTarget(returnFinalTarget: true);
            return Path.TrimEndingDirectorySeparator((target ?? dir).FullName);
        }
        catch (IOException)
        {
            return Path.TrimEndingDirectorySeparator(dir.FullName);
        }
    }

    private readonly record struct Entry(string Name, bool IsDirectory, bool IsLink);

    private static bool MatchesAny(Glob[] globs, string path)
    {
        foreach (var glob in globs)
        {
            if (glob.IsMatch(path))
            {
                return true;
            }
        }
        return false;
    }

    private sealed record Folder(DirectoryInfo Dir, string Rel, IReadOnlyList<GitIgnore> Ignores, HashSet<string> Ancestors);

    private static string Join(string rel, string name) => rel.Length == 0 ? name : name.Length == 0 ? rel : rel + "/" + name;
}
