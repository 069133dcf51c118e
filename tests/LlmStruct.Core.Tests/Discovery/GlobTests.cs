using System.Diagnostics;
using LlmStruct.Discovery;

namespace LlmStruct.Core.Tests.Discovery;

public class GlobTests
{
    [Theory]
    // A pattern without '/' matches the file name at any depth.
    [InlineData("*.py", "a.py", true)]
    [InlineData("*.py", "src/pkg/a.py", true)]
    [InlineData("*.py", "a.pyc", false)]
    [InlineData("*.py", "a.py/b.txt", false)]
    [InlineData("Makefile", "sub/Makefile", true)]
    [InlineData("Makefile", "sub/Makefile.in", false)]
    // '*' and '?' never cross '/'.
    [InlineData("src/*.py", "src/a.py", true)]
    [InlineData("src/*.py", "src/x/a.py", false)]
    [InlineData("src/?.py", "src/a.py", true)]
    [InlineData("src/?.py", "src/ab.py", false)]
    [InlineData("a?b", "a/b", false)]
    [InlineData("src/*", "src/x/a.py", false)]
    // '**' is any number of whole segments, zero included.
    [InlineData("src/**/*.py", "src/a.py", true)]
    [InlineData("src/**/*.py", "src/x/y/z/a.py", true)]
    [InlineData("src/**/*.py", "lib/src/a.py", false)]
    [InlineData("**/test_*.py", "test_a.py", true)]
    [InlineData("**/test_*.py", "a/b/test_a.py", true)]
    [InlineData("**/tests/**", "a/tests/b/c.py", true)]
    [InlineData("**/tests/**", "tests", true)]
    [InlineData("src/**", "src", true)]
    [InlineData("src/**", "src/a/b.py", true)]
    [InlineData("src/**", "srcx/a.py", false)]
    [InlineData("src/", "src/a.py", true)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/xb", false)]
    [InlineData("a**b", "axxb", true)]
    [InlineData("a**b", "a/b", false)]
    // Anchoring.
    [InlineData("/build/*.o", "build/a.o", true)]
    [InlineData("./build/*.o", "build/a.o", true)]
    [InlineData("build/*.o", "x/build/a.o", false)]
    // Classes.
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[0-9].txt", "filex.txt", false)]
    [InlineData("file[!0-9].txt", "filex.txt", true)]
    [InlineData("file[^0-9].txt", "file1.txt", false)]
    [InlineData("file[abc].txt", "fileb.txt", true)]
    [InlineData("a[/]b", "a/b", false)]
    [InlineData("[]]", "]", true)]
    [InlineData("[a-]", "-", true)]
    [InlineData("[[:digit:]]x", "7x", true)]
    [InlineData("[[:upper:]]*", "Readme", true)]
    [InlineData("[[:upper:]]*", "readme", false)]
    // Alternatives, nested and combined with '**'.
    [InlineData("*.{js,jsx,ts}", "app/x.jsx", true)]
    [InlineData("*.{js,jsx,ts}", "app/x.tsx", false)]
    [InlineData("{src,lib}/**/*.cs", "lib/a/b.cs", true)]
    [InlineData("{src,lib}/**/*.cs", "test/a.cs", false)]
    [InlineData("a{b,c{d,e}}f", "acef", true)]
    [InlineData("a{b,c{d,e}}f", "acf", false)]
    [InlineData("a{,x}b", "ab", true)]
    [InlineData("{**/node_modules/**,dist/**}", "a/node_modules/x.js", true)]
    [InlineData("{**/node_modules/**,dist/**}", "dist/x.js", true)]
    [InlineData("{**/node_modules/**,dist/**}", "src/dist/x.js", false)]
    // Escapes, case and literal punctuation.
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("\\{a,b\\}", "{a,b}", true)]
    [InlineData("*.PY", "a.py", false)]
    [InlineData("a,b", "a,b", true)]
    [InlineData("x+y (1).txt", "dir/x+y (1).txt", true)]
    public void IsMatch_FollowsGlobRules(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Glob.Parse(pattern).IsMatch(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a[bc")]
    [InlineData("{a,b")]
    [InlineData("a\\")]
    [InlineData("[[:nope:]]")]
    public void Parse_RejectsMalformedPatterns(string pattern)
    {
        Assert.Throws<FormatException>(() => Glob.Parse(pattern));
    }

    [Fact]
    public void Parse_KeepsPatternText()
    {
        Assert.Equal("src/**/*.py", Glob.Parse("src/**/*.py").Pattern);
        Assert.Equal("src/**/*.py", Glob.Parse("src/**/*.py").ToString());
    }

    [Fact]
    public void IsMatch_IsLinearOnAdversarialInput()
    {
        // Classic backtracking killers: many stars against a long near-miss.
        var glob = Glob.Parse("*a*a*a*a*a*a*a*a*a*a*a*a*b");
        var anyStar = Glob.Parse("**/a/**/a/**/a/**/a/**/a/**/b");
        var text = new string('a', 20_000);
        var deep = string.Join('/', Enumerable.Repeat("a", 5_000));
        // No duration is asserted (issue #19): a backtracking matcher would not finish on these inputs at all.
        Assert.False(glob.IsMatch(text));
        Assert.False(anyStar.IsMatch(deep));
        Assert.True(anyStar.IsMatch(deep + "/b"));
    }

    [Fact]
    public void IsMatch_DoesNotAllocate()
    {
        var small = Glob.Parse("{src,lib}/**/*.{py,pyi}");
        var large = Glob.Parse(string.Concat(Enumerable.Repeat("{a,b,c}?", 80)) + "*"); // more states than the stack path holds
        const string path = "src/pkg/sub/module.pyi";
        var largePath = string.Concat(Enumerable.Repeat("ax", 80)) + "tail";
        Assert.True(small.IsMatch(path));
        Assert.True(large.IsMatch(largePath));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            small.IsMatch(path);
            large.IsMatch(largePath);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void IsMatch_IsThreadSafe()
    {
        var glob = Glob.Parse("**/*.{cs,py}");
        var results = new bool[2_000];
        Parallel.For(0, results.Length, i => results[i] = glob.IsMatch(i % 2 == 0 ? $"d{i}/f.cs" : $"d{i}/f.js"));
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(i % 2 == 0, results[i]);
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public bool LiteralPatternMatchesExactlyItself(FsCheck.NonEmptyString a, FsCheck.NonEmptyString b)
    {
        static string Clean(string s) => new([.. s.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')]);
        var left = Clean(a.Get);
        var right = Clean(b.Get);
        if (left.Length == 0 || right.Length == 0 || left is "." or ".." || right is "." or "..")
        {
            return true;
        }

        var path = left + "/" + right;
        var glob = Glob.Parse(path);
        return glob.IsMatch(path) && !glob.IsMatch(path + "x") && !glob.IsMatch("x" + path);
    }
}
