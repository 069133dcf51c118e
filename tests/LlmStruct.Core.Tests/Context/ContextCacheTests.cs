using LlmStruct.Context;

namespace LlmStruct.Core.Tests.Context;

public sealed class ContextCacheTests
{
    [Fact]
    public async Task Round_trips_and_detects_corruption()
    {
        using var tree = new TempTree();
        var cache = ContextCache.ForRoot(tree.Root);
        var key = ContextCache.Key("{}"u8, new ContextRequest());
        Assert.Null(await cache.TryReadAsync(key));
        await cache.WriteAsync(key, "hello — context\n");
        Assert.Equal("hello — context\n", await cache.TryReadAsync(key));

        var path = cache.PathOf(key);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] ^= 0x20;
        await File.WriteAllBytesAsync(path, bytes);
        Assert.Null(await cache.TryReadAsync(key));

        await File.WriteAllTextAsync(path, "garbage without header");
        Assert.Null(await cache.TryReadAsync(key));
    }

    [Fact]
    public void Keys_depend_on_content_and_every_option()
    {
        var request = new ContextRequest();
        var keys = new[]
        {
            ContextCache.Key("a"u8, request),
            ContextCache.Key("b"u8, request),
            ContextCache.Key("a"u8, request with { Budget = 100 }),
            ContextCache.Key("a"u8, request with { Format = "xml" }),
            ContextCache.Key("a"u8, request with { Tokenizer = "cl100k" }),
            ContextCache.Key("a"u8, request with { Focus = ["x"] }),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(keys[0], ContextCache.Key("a"u8, new ContextRequest()));
        Assert.Throws<ArgumentException>(() => ContextCache.ForRoot("/tmp").PathOf("../evil"));
    }
}
