using LlmStruct.Discovery;

namespace LlmStruct.Core.Tests.Discovery;

public class GitIgnoreTests
{
    private const MatchResult N = MatchResult.None;
    private const MatchResult I = MatchResult.Ignored;
    private const MatchResult Inc = MatchResult.Included;

    [Theory]
    // Unanchored names match at any depth, files and directories alike.
    [InlineData("foo", "foo", false, I)]
    [InlineData("foo", "a/b/foo", false, I)]
    [InlineData("foo", "a/foo", true, I)]
    [InlineData("foo", "foobar", false, N)]
    [InlineData("foo", "a/foo/bar", false, N)]
    // A trailing '/' matches directories only.
    [InlineData("foo/", "foo", true, I)]
    [InlineData("foo/", "foo", false, N)]
    [InlineData("frotz/", "a/frotz", true, I)]
    [InlineData("doc/frotz/", "doc/frotz", true, I)]
    [InlineData("doc/frotz/", "a/doc/frotz", true, N)]
    // A leading or middle '/' anchors at the file's directory.
    [InlineData("/foo", "foo", false, I)]
    [InlineData("/foo", "a/foo", false, N)]
    [InlineData("doc/frotz", "doc/frotz", true, I)]
    [InlineData("doc/frotz", "x/doc/frotz", true, N)]
    [InlineData("/*.c", "cat-file.c", false, I)]
    [InlineData("/*.c", "mozilla-sha1/sha1.c", false, N)]
    // '*', '?' and bracket expressions never match '/'.
    [InlineData("*.txt", "a/b.txt", false, I)]
    [InlineData("a/*.txt", "a/b/c.txt", false, N)]
    [InlineData("a/*/c", "a/b/c", false, I)]
    [InlineData("a/*/c", "a/b/x/c", false, N)]
    [InlineData("a?c", "abc", false, I)]
    [InlineData("a?c", "a/c", false, N)]
    [InlineData("a/[b/]c", "a/bc", false, I)]
    [InlineData("a[/]c", "a/c", false, N)]
    [InlineData("f[a-c]o", "fbo", false, I)]
    [InlineData("f[!a-c]o", "fbo", false, N)]
    [InlineData("f[!a-c]o", "fzo", false, I)]
    [InlineData("f[^a-c]o", "fzo", false, I)]
    [InlineData("[]]x", "]x", false, I)]
    [InlineData("[!]]x", "ax", false, I)]
    [InlineData("[a-]x", "-x", false, I)]
    [InlineData("[[:digit:]]x", "5x", false, I)]
    [InlineData("[[:alpha:][:digit:]]x", "Qx", false, I)]
    [InlineData("[[:space:]]x", " x", false, I)]
    [InlineData("[[:punct:]]x", "_x", false, I)]
    [InlineData("[\\]]x", "]x", false, I)]
    [InlineData("[[:bogus:]]x", "bx", false, N)] // unknown class: the pattern is malformed
    [InlineData("[abc", "[abc", false, N)] // unterminated bracket: matches nothing
    [InlineData("[[:]x", ":x", false, I)] // "[:" without ":]" is an ordinary '['
    // '**' forms.
    [InlineData("**/foo", "foo", false, I)]
    [InlineData("**/foo", "a/b/foo", false, I)]
    [InlineData("**/foo/bar", "x/foo/bar", false, I)]
    [InlineData("abc/**", "abc/x/y", false, I)]
    [InlineData("abc/**", "abc", true, N)]
    [InlineData("a/**/b", "a/b", false, I)]
    [InlineData("a/**/b", "a/x/y/b", false, I)]
    [InlineData("a/**/b", "a/xb", false, N)]
    [InlineData("**", "a/b/c", false, I)]
    [InlineData("a**b", "axyb", false, I)]
    [InlineData("a**b", "a/b", false, N)]
    [InlineData("**x", "a/bx", false, I)]
    [InlineData("/**/x", "a/b/x", false, I)]
    // Escapes and trailing spaces.
    [InlineData("\\#foo", "#foo", false, I)]
    [InlineData("\\!foo", "!foo", false, I)]
    [InlineData("foo   ", "foo", false, I)]
    [InlineData("foo\\ ", "foo ", false, I)]
    [InlineData("foo\\ ", "foo", false, N)]
    [InlineData("foo \\ ", "foo  ", false, I)]
    [InlineData("foo\t", "foo\t", false, I)] // only spaces are trimmed
    [InlineData("a\\*b", "a*b", false, I)]
    [InlineData("a\\*b", "axb", false, N)]
    [InlineData("foo\\", "foo", false, N)] // a trailing backslash never matches
    // Case-sensitive.
    [InlineData("*.TXT", "a.txt", false, N)]
    // Negation.
    [InlineData("!foo", "foo", false, Inc)]
    [InlineData("*.log\n!keep.log", "keep.log", false, Inc)]
    [InlineData("*.log\n!keep.log", "a.log", false, I)]
    [InlineData("!keep.log\n*.log", "keep.log", false, I)] // the last match wins
    [InlineData("*\n!*/\n!*.c", "d", true, Inc)]
    // Blank lines, comments and line ends.
    [InlineData("# foo\n\n   \n", "# foo", false, N)]
    [InlineData("#foo", "#foo", false, N)]
    [InlineData("a\r\nb\r\n", "b", false, I)]
    [InlineData("a\r\nb", "a", false, I)]
    [InlineData("\uFEFFfoo", "foo", false, I)]
    [InlineData("/", "foo", false, N)]
    [InlineData("!", "foo", false, N)]
    public void Match_AtRoot_FollowsGitignoreRules(string content, string path, bool isDirectory, MatchResult expected)
    {
        Assert.Equal(expected, GitIgnore.Parse("", content).Match(path, isDirectory));
    }

    [Theory]
    [InlineData("x.c", "sub/x.c", I)]
    [InlineData("x.c", "sub/deep/x.c", I)]
    [InlineData("x.c", "x.c", N)] // outside the file's directory
    [InlineData("x.c", "subx/x.c", N)]
    [InlineData("*", "sub", N)] // the directory itself is not inside it
    [InlineData("/x.c", "sub/x.c", I)]
    [InlineData("/x.c", "sub/deep/x.c", N)]
    [InlineData("deep/x.c", "sub/deep/x.c", I)]
    [InlineData("sub/x.c", "sub/x.c", N)] // anchored at sub/, so this means sub/sub/x.c
    [InlineData("**/x.c", "sub/a/x.c", I)]
    public void Match_InSubdirectory_IsRelativeToIt(string content, string path, MatchResult expected)
    {
        Assert.Equal(expected, GitIgnore.Parse("sub", content).Match(path, false));
        Assert.Equal(expected, GitIgnore.Parse("/sub/", content).Match(path, false));
    }

    [Fact]
    public void Parse_CountsOnlyPatterns()
    {
        var ignore = GitIgnore.Parse("a/b", "# comment\n\n*.o\r\n!x.o\n  \n");
        Assert.Equal("a/b", ignore.Directory);
        Assert.Equal(2, ignore.PatternCount);
    }

    [Fact]
    public void IsIgnored_DeepestFileWins()
    {
        var root = GitIgnore.Parse("", "*.log\nbuild/\n");
        var sub = GitIgnore.Parse("src", "!debug.log\n*.tmp\n");
        var deeper = GitIgnore.Parse("src/inner", "debug.log\n");
        IReadOnlyList<GitIgnore> stack = [root, sub, deeper];

        Assert.True(GitIgnore.IsIgnored(stack, "x.log", false));
        Assert.True(GitIgnore.IsIgnored(stack, "src/x.log", false));
        Assert.False(GitIgnore.IsIgnored(stack, "src/debug.log", false));
        Assert.True(GitIgnore.IsIgnored(stack, "src/inner/debug.log", false));
        Assert.True(GitIgnore.IsIgnored(stack, "src/a.tmp", false));
        Assert.False(GitIgnore.IsIgnored(stack, "a.tmp", false));
        Assert.True(GitIgnore.IsIgnored(stack, "src/build", true));
        Assert.False(GitIgnore.IsIgnored(stack, "src/build", false));
        Assert.False(GitIgnore.IsIgnored(stack, "src/main.c", false));
        Assert.False(GitIgnore.IsIgnored([], "anything", false));
    }

    [Fact]
    public void TrimTrailingSpaces_MatchesGit()
    {
        Assert.Equal("a", GitIgnorePatternTrim("a  "));
        Assert.Equal("a\\ ", GitIgnorePatternTrim("a\\ "));
        Assert.Equal("a\\ ", GitIgnorePatternTrim("a\\  "));
        Assert.Equal("a \\", GitIgnorePatternTrim("a \\"));
        Assert.Equal("a\t", GitIgnorePatternTrim("a\t"));
    }

    [Fact]
    public void Match_IsLinearOnAdversarialPatterns()
    {
        var ignore = GitIgnore.Parse("", "*a*a*a*a*a*a*a*a*a*a*a*a*b\n**/a/**/a/**/a/**/a/**/b\n");
        // No duration is asserted (issue #19): a backtracking matcher would not finish on these inputs at all.
        Assert.Equal(N, ignore.Match(new string('a', 20_000), false));
        Assert.Equal(N, ignore.Match(string.Join('/', Enumerable.Repeat("a", 5_000)), false));
    }

    [Fact]
    public void Match_DoesNotAllocate()
    {
        var ignore = GitIgnore.Parse("src", "*.o\n!keep.o\nbuild/\n/dist\n**/gen/**\n");
        Assert.Equal(Inc, ignore.Match("src/a/keep.o", false));
        // Steady state: a first call may allocate once (type loading, the JIT tiering a method up), which is not what
        // this pins, so the best of a few rounds must be zero.
        long best = long.MaxValue;
        for (var round = 0; round < 5 && best > 0; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                ignore.Match("src/a/keep.o", false);
                ignore.Match("src/x/gen/y/z.cs", false);
            }
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, best);
    }

    private static string GitIgnorePatternTrim(string s) => GitIgnorePattern.TrimTrailingSpaces(s);

    // ---- Differential tests against the git on this machine ----

    /// <summary>Names that exercise the cases below; each case gets its own copy under c{n}/.</summary>
    private static readonly string[] Tree =
    [
        "foo", "foo.txt", "bar.txt", "Q.TXT", "README.md", "x.log", "#hash", "!bang", "sp ace", "trail ", ".hidden",
        "test_1.py", "test_a.py", "fxo", "xfoo", "foo2/x", "a.b/c", "[x].txt", "a/foo", "a/b/foo", "a/b/c/foo.txt",
        "x/foo/x.txt", "x/foo/bar/y.txt", "doc/frotz/z", "a/doc/frotz/w", "build/out.o", "build/sub/m.o",
        "src/build/k.c", "src/main.c", "src/main.h", "src/lib/util.c", "src/lib/util.h", "logs/debug.log",
        "logs/keep/important.log", "abc/def", "abc/xyz/q", "bbc/n", "deep/er/path/file.py", "deep/x.py",
    ];

    private static readonly string[] Cases =
    [
        "foo", "/foo", "foo/", "/foo/", "*.txt", "*.TXT", "a/foo", "a/**/foo", "**/foo", "**/frotz", "doc/frotz/",
        "doc/frotz", "frotz/", "foo/**", "abc/**", "**", "*", "*\n!*.txt", "*\n!*/\n!*.txt", "*.log\n!important.log",
        "logs/\n!logs/keep/important.log", "logs/*\n!logs/keep/", "\\#hash", "#hash", "\\!bang", "!bang",
        "sp ace   ", "foo.txt   ", "trail\\ ", "trail ", "test_?.py", "test_[0-9].py", "test_[!0-9].py",
        "test_[[:digit:]].py", "test_[[:alpha:]].py", "[abc", "*.[ch]", "src/*.c", "src/**/*.c", "src/**", "src/*",
        "*/foo", "a/*/foo", "a/**/c/*.txt", "build/", "**/build", "**/build/", "/build", "*.o\n!build/out.o",
        "deep/**/*.py", "**/er/**", "foo*", "*foo", "f*o", "a**", "**foo", "README.md\r\n*.txt\r\n",
        "x.log\n# comment\n\n!x.log", "*.b/", ".gitignore", ".*", "[!.]*", "*.txt/", "foo/\n!foo/x.txt",
        "/*\n!/src", "/*\n!/src/\nsrc/*\n!src/lib", "a/b", "b/", "**/b/c/*.txt", "[a-c]bc/", "ab[]c", "foo\\",
        "\\[x\\].txt", "[[]x].txt", "x/foo/", "*/foo/*", "**/foo/**/*.txt", "*.md\n!/README.md",
        "**/", "/**", "a/**/", "**/*", "*/", "/*/", "x/**/foo", "[[:upper:]]*", "?", "??", "foo/*", "a/b/", "*.t?t",
        "a/b/c/", "src/lib/", "**/lib", "*\n!**/foo", "foo/**/", "**/**/foo", "a/**/**/foo", "***/foo", "a/***",
        "[a-c]*/\n!b*/", "*\n!*/\n*.txt\n!foo.txt", "deep/*/path/", "deep/**/path", "[!a-z]*", "[--0]*", "\\",
        "\\\\", "* ", "\\ ", " foo", "a/b/c/*.[!c]xt", "[[:lower:]][[:lower:]][[:lower:]]/*",
    ];

    [GitFact]
    public void Match_AgreesWithGit_OnManyPatterns()
    {
        var ignoreFiles = new Dictionary<string, string>();
        var files = new List<string>();
        for (var n = 0; n < Cases.Length; n++)
        {
            var dir = $"c{n}";
            ignoreFiles[dir] = Cases[n];
            files.AddRange(Tree.Select(t => $"{dir}/{t}"));
        }

        AssertAgreesWithGit(ignoreFiles, files);
    }

    [GitFact]
    public void IsIgnored_AgreesWithGit_OnNestedIgnoreFiles()
    {
        var ignoreFiles = new Dictionary<string, string>
        {
            [""] = "*.log\nbuild/\n/top.txt\n!keep/\ngen*\n",
            ["src"] = "!debug.log\n*.tmp\n/local/\n!gen1\n",
            ["src/inner"] = "debug.log\n!*.tmp\nbuild\n",
            ["other"] = "*\n!*.c\n",
        };
        string[] files =
        [
            "top.txt", "x.log", "debug.log", "a.tmp", "gen1", "gen2/x.c", "build/a.c", "keep/x.log",
            "src/top.txt", "src/x.log", "src/debug.log", "src/a.tmp", "src/gen1", "src/gen2", "src/local/x.c",
            "src/inner/local/x.c", "src/inner/debug.log", "src/inner/a.tmp", "src/inner/x.log", "src/inner/build",
            "src/build/y.c", "other/a.c", "other/b.h", "other/sub/c.c",
        ];
        AssertAgreesWithGit(ignoreFiles, files);
    }

    /// <summary>
    /// Writes the ignore files and files into a fresh repository, asks git which files are ignored, and compares with
    /// our verdict computed the way a walker does: a file is ignored when it or any directory above it is.
    /// </summary>
    private static void AssertAgreesWithGit(Dictionary<string, string> ignoreFiles, IReadOnlyList<string> files)
    {
        var root = Path.Combine(Path.GetTempPath(), "llmstruct-gitignore-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(root);
            RunGit(root, "init", "-q");
            var all = new List<string>(files);
            foreach (var (dir, content) in ignoreFiles)
            {
                var path = dir.Length == 0 ? ".gitignore" : dir + "/.gitignore";
                all.Add(path);
                Directory.CreateDirectory(Path.Combine(root, dir));
                File.WriteAllText(Path.Combine(root, path), content);
            }

            foreach (var file in files)
            {
                var full = Path.Combine(root, file);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, "x");
            }

            var output = RunGit(root, "ls-files", "--others", "--ignored", "--exclude-per-directory=.gitignore", "-z");
            var gitIgnored = output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

            var parsed = ignoreFiles.Select(kv => GitIgnore.Parse(kv.Key, kv.Value))
                .OrderBy(g => g.Directory.Length == 0 ? 0 : g.Directory.Count(c => c == '/') + 1)
                .ToList();
            Assert.NotEmpty(gitIgnored);
            Assert.True(gitIgnored.Count < all.Count, "git should keep some files");
            var mismatches = new List<string>();
            foreach (var file in all)
            {
                var ours = IgnoredByWalk(parsed, file);
                var theirs = gitIgnored.Contains(file);
                if (ours != theirs)
                {
                    var top = file.Split('/')[0];
                    var rules = ignoreFiles.TryGetValue(top, out var c) ? c : "(nested)";
                    mismatches.Add($"{file}: ours={ours} git={theirs} rules={System.Text.Json.JsonSerializer.Serialize(rules)}");
                }
            }

            Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool IgnoredByWalk(List<GitIgnore> all, string file)
    {
        var segments = file.Split('/');
        for (var depth = 1; depth <= segments.Length; depth++)
        {
            var path = string.Join('/', segments[..depth]);
            var isDirectory = depth < segments.Length;
            var stack = all.Where(g => g.Directory.Length == 0 || path.StartsWith(g.Directory + "/", StringComparison.Ordinal)).ToList();
            if (GitIgnore.IsIgnored(stack, path, isDirectory))
            {
                return true;
            }
        }

        return false;
    }

    private static string RunGit(string workingDirectory, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("core.ignorecase=false");
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["HOME"] = workingDirectory;
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout;
    }
}

/// <summary>A fact that is skipped, with the reason, when git is not on the PATH.</summary>
public sealed class GitFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("git", "--version")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = System.Diagnostics.Process.Start(psi);
            if (process is null)
            {
                return false;
            }

            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public GitFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = "git is not on the PATH; the differential test needs it.";
        }
    }
}
