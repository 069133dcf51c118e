using LlmStruct.Caching;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Caching;

/// <summary>
/// <see cref="StructPipeline.BuildAsync"/>: a run whose inputs did not change leaves struct.json alone; any change
/// to a file, the options, the README or the output file itself gives a full, correct run.
/// </summary>
public class OutputReuseTests
{
    private static readonly LlmStructOptions DefaultOptions = new() { Project = new ProjectOptions { Name = "p" } };

    internal static async Task<BuildResult> BuildAsync(string root, string output, string? cacheDir, LlmStructOptions? options = null)
    {
        using var cache = cacheDir is null ? null : ParseCache.Open(cacheDir);
        return await Pipeline.PipelineHarness.Create().BuildAsync(new PipelineRequest { Root = root, Options = options ?? DefaultOptions, Cache = cache }, output);
    }

    private static async Task<byte[]> ColdAsync(string root, LlmStructOptions? options = null)
    {
        var result = await Pipeline.PipelineHarness.Create().RunAsync(new PipelineRequest { Root = root, Options = options ?? DefaultOptions });
        return StructJson.Serialize(result.Document);
    }

    private static void Age(string path, int step) => File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(step));

    private sealed class Project : IDisposable
    {
        public TempTree Tree { get; } = new();

        public string Output => Path.Combine(Tree.Root, "out", "struct.json");

        public string Cache => Path.Combine(Tree.Root, ".llmstruct", "cache");

        public string Write(string path, string content, int age)
        {
            var full = Tree.Write(path, content);
            Age(full, age);
            return full;
        }

        public void Dispose() => Tree.Dispose();
    }

    [Fact]
    public async Task UnchangedInputs_LeaveTheOutputAlone_AndReportItsStats()
    {
        using var p = new Project();
        p.Write("a.tst", "def a\ncall b\n", 1);
        p.Write("sub/b.tst", "class B\n def m\nerror\n", 2);

        var first = await BuildAsync(p.Tree.Root, p.Output, p.Cache);
        Assert.False(first.UpToDate);
        Assert.NotNull(first.Document);
        var written = File.GetLastWriteTimeUtc(p.Output);
        var second = await BuildAsync(p.Tree.Root, p.Output, p.Cache);

        Assert.True(second.UpToDate);
        Assert.Null(second.Document);
        Assert.Equal(ReferenceJson.SerializeCompact(first.Stats), ReferenceJson.SerializeCompact(second.Stats));
        Assert.Equal(first.Errors.ToArray(), second.Errors.ToArray());
        Assert.Single(second.Errors);
        Assert.Equal(written, File.GetLastWriteTimeUtc(p.Output));
        Assert.Equal(await ColdAsync(p.Tree.Root), await File.ReadAllBytesAsync(p.Output));
    }

    [Fact]
    public async Task WithoutACache_EveryRunWrites()
    {
        using var p = new Project();
        p.Write("a.tst", "def a\n", 1);
        Assert.False((await BuildAsync(p.Tree.Root, p.Output, null)).UpToDate);
        Assert.False((await BuildAsync(p.Tree.Root, p.Output, null)).UpToDate);
        Assert.Equal(await ColdAsync(p.Tree.Root), await File.ReadAllBytesAsync(p.Output));
    }

    public static TheoryData<string> Changes => ["edit", "same-content-new-stamp", "add", "delete", "readme", "options", "output-edited", "output-deleted", "output-elsewhere"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task AnyChangedInput_GivesAFullRun_WithTheColdRunsBytes(string change)
    {
        using var p = new Project();
        var a = p.Write("a.tst", "def a\ncall b\n", 1);
        p.Write("b.tst", "def b\n", 2);
        p.Write("README.md", "# P\n\nFirst summary.\n", 3);
        await BuildAsync(p.Tree.Root, p.Output, p.Cache);
        var output = p.Output;
        var options = DefaultOptions;
        switch (change)
        {
            case "edit":
                p.Write("a.tst", "def a\ncall c\n", 10);
                break;
            case "same-content-new-stamp":
                Age(a, 10);
                break;
            case "add":
                p.Write("c.tst", "def c\n", 10);
                break;
            case "delete":
                File.Delete(a);
                break;
            case "readme":
                p.Write("README.md", "# P\n\nSecond summary.\n", 10);
                break;
            case "options":
                options = new LlmStructOptions { Project = new ProjectOptions { Name = "p" }, Instructions = new InstructionsOptions { Custom = ["Be brief."] } };
                break;
            case "output-edited":
                await File.AppendAllTextAsync(p.Output, " ");
                break;
            case "output-deleted":
                File.Delete(p.Output);
                break;
            case "output-elsewhere":
                output = Path.Combine(p.Tree.Root, "other.json");
                break;
        }

        var result = await BuildAsync(p.Tree.Root, output, p.Cache, options);

        // A new stamp on the same content reads the file once, finds the same hash and leaves the output alone.
        Assert.Equal(change == "same-content-new-stamp", result.UpToDate);
        Assert.Equal(await ColdAsync(p.Tree.Root, options), await File.ReadAllBytesAsync(output));
        var again = await BuildAsync(p.Tree.Root, output, p.Cache, options);
        Assert.True(again.UpToDate, "the run after the change finds the output up to date");
    }
}
