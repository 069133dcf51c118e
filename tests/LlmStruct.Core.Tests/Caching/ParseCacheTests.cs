using LlmStruct.Caching;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Pipeline;
using Microsoft.Data.Sqlite;

namespace LlmStruct.Core.Tests.Caching;

public class ParseCacheTests
{
    private static readonly LlmStructOptions Options = new() { Project = new ProjectOptions { Name = "p" } };

    internal static async Task<(byte[] Bytes, int Hits, int Misses)> RunAsync(string root, string? cacheDir)
    {
        ParseCache? cache = cacheDir is null ? null : ParseCache.Open(cacheDir);
        try
        {
            var result = await Pipeline.PipelineHarness.Create().RunAsync(new PipelineRequest { Root = root, Options = Options, Cache = cache });
            return (StructJson.Serialize(result.Document), cache?.Hits ?? 0, cache?.Misses ?? 0);
        }
        finally
        {
            cache?.Dispose();
        }
    }

    private static void Age(string path, int step) => File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(step));

    [Fact]
    public async Task WarmRun_TakesEveryFileFromTheCache_AndGivesTheSameBytes()
    {
        using var tree = new TempTree();
        Age(tree.Write("a.tst", "def a\ncall b\n"), 1);
        Age(tree.Write("sub/b.tst", "class B\n def m\nerror\n"), 2);
        var cacheDir = Path.Combine(tree.Root, ".llmstruct", "cache");

        var cold = await RunAsync(tree.Root, null);
        var first = await RunAsync(tree.Root, cacheDir);
        var warm = await RunAsync(tree.Root, cacheDir);

        Assert.Equal(cold.Bytes, first.Bytes);
        Assert.Equal(cold.Bytes, warm.Bytes);
        Assert.Equal((0, 2), (first.Hits, first.Misses));
        Assert.Equal(2, warm.Hits);
    }

    [Fact]
    public async Task ChangedAddedAndDeletedFiles_AreReparsedOrDropped()
    {
        using var tree = new TempTree();
        var a = tree.Write("a.tst", "def a\n");
        var b = tree.Write("b.tst", "def b\n");
        Age(a, 1);
        Age(b, 2);
        var cacheDir = Path.Combine(tree.Root, ".cache");
        await RunAsync(tree.Root, cacheDir);

        File.WriteAllText(a, "def changed\n");
        Age(a, 3);
        File.Delete(b);
        Age(tree.Write("c.tst", "def c\n"), 4);
        var incremental = await RunAsync(tree.Root, cacheDir);
        var cold = await RunAsync(tree.Root, null);

        Assert.Equal(cold.Bytes, incremental.Bytes);
        Assert.Equal(2, incremental.Misses);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(cacheDir, ParseCache.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT group_concat(path) FROM (SELECT path FROM entries ORDER BY path)";
        Assert.Equal("a.tst,c.tst", count.ExecuteScalar());
    }

    [Fact]
    public async Task SameSizeSameStampButNewContent_WithinTheRacyWindow_IsReparsed()
    {
        using var tree = new TempTree();
        var a = tree.Write("a.tst", "def aaaa\n");
        var cacheDir = Path.Combine(tree.Root, ".cache");
        await RunAsync(tree.Root, cacheDir);
        var stamp = File.GetLastWriteTimeUtc(a);

        File.WriteAllText(a, "def bbbb\n");
        File.SetLastWriteTimeUtc(a, stamp); // same size and same time stamp: only the content tells
        var incremental = await RunAsync(tree.Root, cacheDir);

        Assert.Equal((await RunAsync(tree.Root, null)).Bytes, incremental.Bytes);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    [InlineData("foreign-version")]
    [InlineData("corrupt-payload")]
    public async Task DamagedCache_IsDetected_AndNeverYieldsWrongOutput(string damage)
    {
        using var tree = new TempTree();
        Age(tree.Write("a.tst", "def a\n"), 1);
        Age(tree.Write("b.tst", "def b\ncall a\n"), 2);
        var cacheDir = Path.Combine(tree.Root, ".cache");
        var cold = await RunAsync(tree.Root, cacheDir);
        var db = Path.Combine(cacheDir, ParseCache.DatabaseFileName);
        SqliteConnection.ClearAllPools();

        switch (damage)
        {
            case "truncated":
                using (var stream = new FileStream(db, FileMode.Open))
                {
                    stream.SetLength(stream.Length / 3);
                }
                break;
            case "garbage":
                File.WriteAllBytes(db, [.. Enumerable.Range(0, 9000).Select(i => (byte)(i * 7))]);
                break;
            case "foreign-version":
                Exec(db, "UPDATE meta SET value = '999' WHERE key = 'format'");
                break;
            case "corrupt-payload":
                Exec(db, "UPDATE payloads SET payload = X'7B226D6F64756C65223A7B7D7D'");
                break;
        }

        using (var cache = ParseCache.Open(cacheDir))
        {
            if (damage is "garbage" or "foreign-version")
            {
                Assert.Contains("rebuilding", Assert.Single(cache.Warnings));
            }
        }
        var after = await RunAsync(tree.Root, cacheDir);
        Assert.Equal(cold.Bytes, after.Bytes);
        Assert.Equal(cold.Bytes, (await RunAsync(tree.Root, cacheDir)).Bytes);
    }

    [Fact]
    public async Task CacheDeletedMidRun_StillGivesCorrectOutput()
    {
        using var tree = new TempTree();
        Age(tree.Write("a.tst", "def a\n"), 1);
        var cacheDir = Path.Combine(tree.Root, ".cache");
        var cold = await RunAsync(tree.Root, null);
        using (var cache = ParseCache.Open(cacheDir))
        {
            ParseCache.Clear(cacheDir);
            var result = await Pipeline.PipelineHarness.Create().RunAsync(new PipelineRequest { Root = tree.Root, Options = Options, Cache = cache });
            Assert.Equal(cold.Bytes, StructJson.Serialize(result.Document));
        }
        Assert.Equal(cold.Bytes, (await RunAsync(tree.Root, cacheDir)).Bytes);
    }

    [Fact]
    public void UnwritableCacheLocation_IsAnIOException_NotALockError()
    {
        using var tree = new TempTree();
        var blocker = tree.Write("blocker", "a file where the cache folder should be");
        var ex = Assert.ThrowsAny<IOException>(() => ParseCache.Open(Path.Combine(blocker, "cache")));
        Assert.IsNotType<CacheLockedException>(ex);
    }

    [Fact]
    public void SecondRunOnTheSameCache_IsRefusedWithAClearMessage()
    {
        using var tree = new TempTree();
        var cacheDir = Path.Combine(tree.Root, ".cache");
        using var first = ParseCache.Open(cacheDir);
        var ex = Assert.Throws<CacheLockedException>(() => ParseCache.Open(cacheDir));
        Assert.Contains("another llmstruct run is using the cache", ex.Message);
    }

    private static void Exec(string db, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
