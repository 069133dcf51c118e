using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Pipeline;

public class StructFileWriterTests
{
    [Fact]
    public async Task InvalidDocument_IsRefused_OldFileStaysWhole_NoTempFileLeft()
    {
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "struct.json");
        var good = new StructDocument { Project = new ProjectInfo { Name = "p" } };
        long written = await StructFileWriter.WriteAsync(path, good);
        var before = await File.ReadAllBytesAsync(path);
        Assert.Equal(before.Length, written);
        Assert.Equal(StructJson.Serialize(good), before);

        var bad = good with { Modules = [new ModuleInfo { Path = "../outside.py", Language = "python", Sha256 = new string('a', 64) }] };
        var ex = await Assert.ThrowsAsync<InvalidStructException>(() => StructFileWriter.WriteAsync(path, bad));

        Assert.Contains(ex.Errors, e => e.StartsWith("/modules/0/path", StringComparison.Ordinal));
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal(["struct.json"], Directory.GetFiles(tree.Root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DocumentLevelViolation_IsRefused_WhateverTheSize()
    {
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "struct.json");
        var bad = new StructDocument { Project = new ProjectInfo { Name = "p" }, Errors = [new ParseError { File = "a.py", Reason = "" }] };

        var ex = await Assert.ThrowsAsync<InvalidStructException>(() => StructFileWriter.WriteAsync(path, bad));

        Assert.Contains(ex.Errors, e => e.StartsWith("/errors/0/reason", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(tree.Root));
    }

    [Fact]
    public async Task Cancelled_Write_LeavesTheOldFile()
    {
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "struct.json");
        await StructFileWriter.WriteAsync(path, new StructDocument { Project = new ProjectInfo { Name = "old" } });
        var before = await File.ReadAllBytesAsync(path);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            StructFileWriter.WriteAsync(path, new StructDocument { Project = new ProjectInfo { Name = "new" } }, cts.Token));

        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Single(Directory.GetFiles(tree.Root));
    }
}
