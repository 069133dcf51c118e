using System.Text;
using LlmStruct.Llm.Work.Diffs;

namespace LlmStruct.Llm.Tests.Work;

/// <summary>The strict unified-diff parser and applier, compared byte for byte with <c>git apply</c>.</summary>
public sealed class DiffApplierTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmstruct-diff-tests", Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Lines(int from, int to, string prefix = "line") =>
        string.Concat(Enumerable.Range(from, to - from + 1).Select(i => $"{prefix} {i}\n"));

    private static (Dictionary<string, string> Before, Dictionary<string, string> After) Fixture(string name) => name switch
    {
        "modify" => (
            new() { ["m.txt"] = Lines(1, 30) },
            new() { ["m.txt"] = Lines(1, 30).Replace("line 3\n", "line three\nline 3b\n").Replace("line 25\n", "") }),
        "add" => (
            new() { ["keep.txt"] = "k\n" },
            new() { ["keep.txt"] = "k\n", ["lib/deep/new.txt"] = "hello\nworld\n", ["lib/empty.txt"] = "" }),
        "delete" => (
            new() { ["keep.txt"] = "k\n", ["gone/old.txt"] = Lines(1, 5), ["gone/too/empty.txt"] = "" },
            new() { ["keep.txt"] = "k\n" }),
        "no-newline" => (
            new() { ["a.txt"] = "x\ny", ["b.txt"] = "x\n", ["c.txt"] = "x", ["d.txt"] = Lines(1, 10) + "end" },
            new() { ["a.txt"] = "x\nz", ["b.txt"] = "x", ["c.txt"] = "x\ny\n", ["d.txt"] = Lines(1, 10).Replace("line 2\n", "line two\n") + "end" }),
        "mixed" => (
            new() { ["src/app.py"] = "import os\n\n" + Lines(1, 20, "x =") + "print(x)\n", ["src/old.py"] = "pass\n", ["é/ü.txt"] = "ä\r\nö\r\n" },
            new() { ["src/app.py"] = "import os\nimport sys\n\n" + Lines(1, 20, "x =").Replace("x = 12\n", "x = twelve\n") + "print(x, file=sys.stderr)\n",
                ["src/new.py"] = "def f():\n    return 1\n", ["é/ü.txt"] = "ä\r\nõ\r\n" }),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [GitFact]
    public void GitGeneratedDiffs_ApplyExactlyAsGitApplyDoes()
    {
        foreach (var name in new[] { "modify", "add", "delete", "no-newline", "mixed" })
        {
            var (before, after) = Fixture(name);
            var repo = Tree(name + "-repo", before);
            Assert.Equal(0, Git.Run(repo, "init", "-q").Exit);
            Assert.Equal(0, Git.Run(repo, "add", "-A").Exit);
            foreach (var file in before.Keys)
            {
                File.Delete(Path.Combine(repo, file));
            }
            Write(repo, after);
            foreach (var added in after.Keys.Except(before.Keys))
            {
                Assert.Equal(0, Git.Run(repo, "add", "-N", "--", added).Exit);
            }
            var (exit, patch) = Git.Run(repo, "-c", "core.quotepath=false", "diff", "--no-color", "--no-ext-diff");
            Assert.True(exit == 0 && patch.Contains("@@", StringComparison.Ordinal), $"{name}: git diff gave {exit}: {patch}");

            AssertSameAsGitApply(name, before, patch, after);
        }
    }

    [GitFact]
    public void HandWrittenDiff_WithShiftedHunksAndNoIndexLines_MatchesGitApply()
    {
        var before = new Dictionary<string, string> { ["f.txt"] = Lines(1, 12) };
        // Headers are two lines off (as models often write them); git apply and ours both find the context nearby.
        const string patch = "--- a/f.txt\n+++ b/f.txt\n@@ -3,3 +3,3 @@\n line 5\n-line 6\n+line six\n line 7\n@@ -12,2 +12,3 @@\n line 11\n line 12\n+line 13\n";
        var after = new Dictionary<string, string> { ["f.txt"] = Lines(1, 12).Replace("line 6\n", "line six\n") + "line 13\n" };
        AssertSameAsGitApply("shifted", before, patch, after);
    }

    [GitFact]
    public void HandWrittenTraditionalDiff_AddingAndDeletingFiles_MatchesGitApply()
    {
        var before = new Dictionary<string, string> { ["old/a.txt"] = "one\ntwo", ["keep.txt"] = "k\n" };
        const string patch =
            "--- a/old/a.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-one\n-two\n\\ No newline at end of file\n"
            + "--- /dev/null\n+++ b/new/b.txt\n@@ -0,0 +1,2 @@\n+three\n+four\n\\ No newline at end of file\n"
            + "--- a/keep.txt\n+++ b/keep.txt\n@@ -1 +1,2 @@\n k\n+k2\n";
        var after = new Dictionary<string, string> { ["new/b.txt"] = "three\nfour", ["keep.txt"] = "k\nk2\n" };
        AssertSameAsGitApply("traditional", before, patch, after);
    }

    [GitFact]
    public void HunksAnchoredAsGitAnchorsThem_AreRejectedLikeGitRejectsThem_NamingTheAnchorThatFails()
    {
        var root = Tree("anchor", new() { ["f.txt"] = Lines(1, 5) });
        // No trailing context: git requires the hunk to end at the end of the file; starting at line 1: to start there.
        // The message goes back to the model, so it must name the anchor the hunk misses, not one it meets.
        foreach (var (patch, cause, wrong) in new[]
        {
            ("--- a/f.txt\n+++ b/f.txt\n@@ -2,1 +2,2 @@\n line 2\n+inserted\n",
                "matches only away from the end of the file: it has no trailing context", "start of the file"),
            ("--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n line 3\n-line 4\n+line four\n",
                "matches only in the middle of the file: it starts at line 1, so it must match at the start of the file, and it has no trailing context", "matches at the start"),
            // At line 1 it matches the start; what fails is the end (no trailing context, 3 lines follow).
            ("--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,3 @@\n line 1\n line 2\n+inserted\n",
                "matches at the start of the file but does not reach its end: it has no trailing context, so it must end at the end of the file, and the file has 3 more lines after it",
                "away from the start"),
            // At line 1 it matches only the end: what fails is the start.
            ("--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n line 4\n-line 5\n+line five\n",
                "matches only away from the start of the file: it starts at line 1, so it must match at the start of the file", "end of the file"),
        })
        {
            var patchFile = Path.Combine(_dir, "anchor.patch");
            File.WriteAllText(patchFile, patch);
            Assert.NotEqual(0, Git.Run(root, "apply", "--check", patchFile).Exit);
            var message = Assert.Throws<DiffException>(() => DiffApplier.Apply(root, patch)).Message;
            Assert.Contains(cause, message);
            Assert.DoesNotContain(wrong, message);
        }
    }

    private void AssertSameAsGitApply(string name, Dictionary<string, string> before, string patch, Dictionary<string, string> after)
    {
        var ours = Tree(name + "-ours", before);
        var theirs = Tree(name + "-git", before);
        var patchFile = Path.Combine(_dir, name + ".patch");
        File.WriteAllText(patchFile, patch);

        var changes = DiffApplier.Apply(ours, patch);
        DiffApplier.WriteAsync(ours, changes).GetAwaiter().GetResult();
        var (exit, output) = Git.Run(theirs, "apply", "--whitespace=nowarn", patchFile);
        Assert.True(exit == 0, $"{name}: git apply failed: {output}\n{patch}");

        Assert.Equal(Snapshot(theirs), Snapshot(ours));
        Assert.Equal(Snapshot(Tree(name + "-expected", after)), Snapshot(ours));
    }

    [Fact]
    public void WrongHunkCount_IsReportedWithTheLine()
    {
        var root = Tree("count", new() { ["f.txt"] = Lines(1, 5) });
        var ex = Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- a/f.txt\n+++ b/f.txt\n@@ -1,3 +1,3 @@\n line 1\n-line 2\n+line two\n"));
        Assert.Contains("header says -3 +3", ex.Message);
        ex = Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n line 1\n-line 2\n+line two\n line 3\n"));
        Assert.Contains("more lines than its header", ex.Message);
        ex = Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@ bad\n@@ nonsense\n"));
        Assert.Contains("line", ex.Message);
    }

    [Fact]
    public void ContextMismatch_SaysWhichLineDiffers()
    {
        var root = Tree("mismatch", new() { ["f.txt"] = Lines(1, 5) });
        var ex = Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- a/f.txt\n+++ b/f.txt\n@@ -2,2 +2,2 @@\n line 2\n-line THREE\n+line 3b\n"));
        Assert.Contains("does not apply", ex.Message);
        Assert.Contains("line THREE", ex.Message);
        // Whitespace counts.
        Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- a/f.txt\n+++ b/f.txt\n@@ -2,2 +2,2 @@\n line 2 \n-line 3\n+line 3b\n"));
    }

    [Fact]
    public void NewFileThatExists_DeleteThatLeavesLines_AndMissingFile_AreRejected()
    {
        var root = Tree("files", new() { ["f.txt"] = "a\nb\n" });
        Assert.Contains("already exists", Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- /dev/null\n+++ b/f.txt\n@@ -0,0 +1 @@\n+x\n")).Message);
        Assert.Contains("do not remove every line", Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- a/f.txt\n+++ /dev/null\n@@ -1,2 +1 @@\n-a\n b\n")).Message);
        Assert.Contains("no such file", Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "--- a/g.txt\n+++ b/g.txt\n@@ -1 +1 @@\n-a\n+b\n")).Message);
        Assert.Contains("no file patches", Assert.Throws<DiffException>(() => DiffApplier.Apply(root, "I could not do it.")).Message);
    }

    [Theory]
    [InlineData("../outside.txt", "escapes the root")]
    [InlineData("src/../../outside.txt", "escapes the root")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData(".git/config", ".git")]
    public void UnsafePaths_AreRefused(string path, string reason)
    {
        var root = Tree("unsafe", new() { ["f.txt"] = "a\n" });
        var ex = Assert.Throws<UnsafeDiffPathException>(() => DiffApplier.Apply(root, $"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+x\n"));
        Assert.Contains(reason, ex.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "outside.txt")));
    }

    [Fact]
    public void SymlinkOutsideTheRoot_IsRefused()
    {
        var root = Tree("links", new() { ["f.txt"] = "a\n" });
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(outside, "t.txt"), "a\n");
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(root, "out"), outside);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return; // the platform does not allow symlinks here
        }
        var ex2 = Assert.Throws<UnsafeDiffPathException>(() => DiffApplier.Apply(root, "--- a/out/t.txt\n+++ b/out/t.txt\n@@ -1 +1 @@\n-a\n+b\n"));
        Assert.Contains("symlink", ex2.Message);
        Assert.Equal("a\n", File.ReadAllText(Path.Combine(outside, "t.txt")));
    }

    [Fact]
    public void Extract_TakesTheFencedBlock()
    {
        const string reply = "Here is the change:\n```diff\n--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-a\n+b\n```\nDone.";
        Assert.Equal("--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-a\n+b\n", UnifiedDiff.Extract(reply));
    }

    private string Tree(string name, Dictionary<string, string> files)
    {
        var root = Path.Combine(_dir, name);
        Directory.CreateDirectory(root);
        Write(root, files);
        return root;
    }

    private static void Write(string root, Dictionary<string, string> files)
    {
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, Encoding.UTF8.GetBytes(text));
        }
    }

    private static List<string> Snapshot(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(root, p).StartsWith(".git", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/') + (Directory.Exists(p) ? "/" : " " + Convert.ToHexString(File.ReadAllBytes(p))))
            .Order(StringComparer.Ordinal)];
}
