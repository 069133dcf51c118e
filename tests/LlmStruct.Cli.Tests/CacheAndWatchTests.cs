using LlmStruct.Caching;

namespace LlmStruct.Cli.Tests;

public class CacheAndWatchTests
{
    [Fact]
    public async Task SecondRun_IsServedFromTheCache_NoCacheBypassesIt_AndClearDeletesIt()
    {
        using var dir = new TempDir();
        dir.Write("src/A.cs", "class A { void M() { N(); } void N() { } }");
        dir.Write("src/B.cs", "class B { }");
        var output = dir.PathOf("struct.json");

        var cold = await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output);
        var coldBytes = await File.ReadAllBytesAsync(output);
        var warm = await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output);
        var bypass = await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output, "--no-cache");
        dir.Write("src/B.cs", "class B { void X() { } }"); // a new method: other files may link to it, so a full run
        var changed = await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output);
        var changedBytes = await File.ReadAllBytesAsync(output);
        await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output, "--no-cache");

        Assert.Contains("0 from cache", cold.Error);
        Assert.Contains("Up to date", warm.Error);
        Assert.DoesNotContain("from cache", bypass.Error);
        Assert.Contains("1 from cache", changed.Error);
        Assert.Equal(await File.ReadAllBytesAsync(output), changedBytes);
        Assert.NotEqual(coldBytes, changedBytes);
        Assert.True(File.Exists(dir.PathOf("src/.llmstruct/cache/parse.db")));

        var clear = await CliRunner.RunAsync("cache", "clear", "-i", dir.PathOf("src"));
        Assert.Equal(0, clear.ExitCode);
        Assert.Contains("cleared", clear.Out);
        Assert.False(File.Exists(dir.PathOf("src/.llmstruct/cache/parse.db")));
    }

    [Fact]
    public async Task CacheHeldByAnotherRun_IsAClearErrorWithExitTwo()
    {
        using var dir = new TempDir();
        dir.Write("A.cs", "class A { }");
        var cacheDir = dir.PathOf("cache");
        using var held = ParseCache.Open(cacheDir);

        var outcome = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", dir.PathOf("struct.json"), "--cache-dir", cacheDir);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("another llmstruct run is using the cache", outcome.Error);
    }

    [Fact]
    public async Task UnusableCacheLocation_OnlyWarns()
    {
        using var dir = new TempDir();
        dir.Write("A.cs", "class A { }");
        var blocker = dir.Write("blocker", "x");

        var outcome = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", dir.PathOf("struct.json"), "--cache-dir", Path.Combine(blocker, "cache"));

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("warning: parse cache disabled for this run", outcome.Error);
    }

    [Fact]
    public async Task Watch_RewritesStructJsonAfterAChange_AndPrintsWhatChanged()
    {
        using var dir = new TempDir();
        dir.Write("src/A.cs", "class A { }");
        var output = dir.PathOf("struct.json");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = CliApp.RunAsync(["parse", "-i", dir.PathOf("src"), "-o", output, "--watch", "--debounce-ms", "200"],
            TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), cts.Token);

        await WaitUntil(() => stderr.ToString().Contains("Watching", StringComparison.Ordinal), cts.Token);
        var first = await File.ReadAllTextAsync(output);
        dir.Write("src/B.cs", "class B { void Run() { } }");
        await WaitUntil(() => stdout.ToString().Contains("+ definition B.cs#B.Run()", StringComparison.Ordinal), cts.Token);
        await cts.CancelAsync();

        Assert.Equal(0, await run);
        Assert.Contains("+ module B.cs", stdout.ToString());
        Assert.NotEqual(first, await File.ReadAllTextAsync(output));
        Assert.Contains("\"path\": \"B.cs\"", await File.ReadAllTextAsync(output));
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
