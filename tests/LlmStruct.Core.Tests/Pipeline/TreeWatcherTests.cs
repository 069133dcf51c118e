using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Pipeline;

/// <summary>The watcher behind <c>parse --watch</c>, <c>serve</c> and <c>mcp</c>: project changes count, its own files do not.</summary>
public class TreeWatcherTests
{
    [Fact]
    public async Task TakeChanges_SeesASourceChange_NotTheIgnoredOutputOrOwnFolder_AndConsumesWhatItSaw()
    {
        using var tree = new TempTree();
        var output = Path.Combine(tree.Root, "struct.json");
        using var watcher = new TreeWatcher(tree.Root, [output]);
        Assert.False(watcher.TakeChanges());

        tree.Write("struct.json", "{}");
        tree.Write(".llmstruct/cache/x.bin", "cache");
        tree.Write(".git/HEAD", "ref: refs/heads/main");
        await Task.Delay(300);
        Assert.False(watcher.TakeChanges());

        tree.Write("src/a.py", "def f():\n    pass\n");
        bool seen = false;
        for (int i = 0; i < 100 && !seen; i++) // bounded: 10 s at most
        {
            seen = watcher.TakeChanges();
            if (!seen)
            {
                await Task.Delay(100);
            }
        }
        Assert.True(seen);
    }
}
