using LlmStruct.Configuration;
using LlmStruct.Discovery;

namespace LlmStruct.Core.Tests.Discovery;

public class FileDiscoveryTests
{
    private static IReadOnlyList<string> Paths(string root, ParsingOptions? options = null) =>
        FileDiscovery.Discover(root, options ?? new ParsingOptions(), p => p.EndsWith(".tst", StringComparison.Ordinal)).Files.Select(f => f.RelativePath).ToArray();

    [Fact]
    public void Gitignore_NestedFiles_Negation_DirectoryPatterns_Anchoring()
    {
        using var tree = new TempTree();
        tree.Write(".gitignore", "build/\n*.gen.tst\n!keep.gen.tst\n/top.tst\n");
        tree.Write("top.tst", "");
        tree.Write("sub/top.tst", "");
        tree.Write("a.gen.tst", "");
        tree.Write("keep.gen.tst", "");
        tree.Write("build/x.tst", "");
        tree.Write("sub/build/y.tst", "");
        tree.Write("sub/.gitignore", "local.tst\n!a.gen.tst\n");
        tree.Write("sub/local.tst", "");
        tree.Write("sub/a.gen.tst", "");
        tree.Write("other/local.tst", "");
        tree.Write(".git/info/exclude", "secret.tst\n");
        tree.Write("secret.tst", "");
        tree.Write(".git/objects/o.tst", "");
        tree.Write("node_modules/m.tst", "");

        Assert.Equal(["keep.gen.tst", "other/local.tst", "sub/a.gen.tst", "sub/top.tst"], Paths(tree.Root));
    }

    [Fact]
    public void ParsingASubfolder_HonoursTheIgnoreFilesAboveIt_UpToTheGitRoot()
    {
        using var tree = new TempTree();
        tree.Dir("repo/.git/info");
        tree.Write("repo/.git/info/exclude", "*.local.tst\n");
        tree.Write("repo/.gitignore", "gen/\n*.skip.tst\n/src/top-only.tst\n");
        tree.Write("repo/src/.gitignore", "!keep.skip.tst\n");
        tree.Write("repo/src/ok.tst", "");
        tree.Write("repo/src/top-only.tst", "");
        tree.Write("repo/src/pkg/top-only.tst", "");
        tree.Write("repo/src/a.skip.tst", "");
        tree.Write("repo/src/keep.skip.tst", "");
        tree.Write("repo/src/me.local.tst", "");
        tree.Write("repo/src/gen/x.tst", "");
        tree.Write(".gitignore", "*.tst\n"); // above the git root: not part of this repository, not applied

        Assert.Equal(["keep.skip.tst", "ok.tst", "pkg/top-only.tst"], Paths(Path.Combine(tree.Root, "repo", "src")));
    }

    [Fact]
    public void UseGitignoreFalse_IgnoresIgnoreFiles_ButStillSkipsVcsFolders()
    {
        using var tree = new TempTree();
        tree.Write(".gitignore", "*.tst\n");
        tree.Write("a.tst", "");
        tree.Write(".git/b.tst", "");
        Assert.Empty(Paths(tree.Root));
        Assert.Equal(["a.tst"], Paths(tree.Root, new ParsingOptions { UseGitignore = false }));
    }

    [Fact]
    public void IncludeAndExcludeGlobs()
    {
        using var tree = new TempTree();
        tree.Write("src/a.tst", "");
        tree.Write("src/deep/b.tst", "");
        tree.Write("src/generated/c.tst", "");
        tree.Write("tests/d.tst", "");
        var options = new ParsingOptions { Include = ["src/**"], Exclude = ["**/generated/**"] };
        Assert.Equal(["src/a.tst", "src/deep/b.tst"], Paths(tree.Root, options));
        Assert.Equal(["src/a.tst", "tests/d.tst"], Paths(tree.Root, new ParsingOptions { Exclude = ["deep", "generated"] }));
    }

    [Fact]
    public void MissingRoot_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => Paths(Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid())));
    }
}
