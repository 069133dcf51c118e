using System.Runtime;
using LlmStruct.Configuration;
using LlmStruct.Discovery;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Pipeline;

/// <summary>Holding garbage collection back for a run changes nothing in its output and ends with the run.</summary>
public class CollectionHoldTests
{
    [Fact]
    public async Task Held_Run_GivesTheSameBytes_AndCollectionsResumeAfterIt()
    {
        using var tree = new TempTree();
        for (int i = 0; i < 40; i++)
        {
            tree.Write($"m{i:D2}.tst", $"import os\ndef f{i}\ncall helper\nclass C{i}\n def m\n");
        }
        var options = new LlmStructOptions { Project = new ProjectOptions { Name = "t" } };
        var plain = await PipelineHarness.Create().RunAsync(new PipelineRequest { Root = tree.Root, Options = options });
        var held = await PipelineHarness.Create().RunAsync(new PipelineRequest { Root = tree.Root, Options = options, CollectionHoldBudget = 64L << 20 });
        Assert.Equal(PipelineHarness.Bytes(plain.Document), PipelineHarness.Bytes(held.Document));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Hold_WithoutBudget_OrBeyondWhatTheRuntimeAllows_DoesNothing()
    {
        using (CollectionHold.Start(0))
        {
            Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        using (var hold = CollectionHold.Start(long.MaxValue / 2))
        {
            hold.Release();
            hold.Release();
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Budget_IsSizedToTheInput_WithinTheCeiling()
    {
        DiscoveredFile File(long length) => new("a.py", "/a.py", length);
        // A small project asks for a little more than the base; a large one for the ceiling at most; no ceiling, no hold.
        Assert.Equal(CollectionHold.BaseBudget + (2_000_000 * CollectionHold.BytesPerSourceByte), CollectionHold.SizedTo(768L << 20, [File(1_500_000), File(500_000)]));
        Assert.Equal(768L << 20, CollectionHold.SizedTo(768L << 20, [File(120L << 20), File(30L << 20)]));
        Assert.Equal(CollectionHold.BaseBudget, CollectionHold.SizedTo(768L << 20, []));
        Assert.Equal(0, CollectionHold.SizedTo(0, [File(1_000)]));
        // C# (Roslyn's trees) allocates more per byte than the other languages, and is budgeted so.
        DiscoveredFile CSharp(long length) => new("src/A.cs", "/src/A.cs", length);
        Assert.Equal(CollectionHold.BaseBudget + (1_000_000 * CollectionHold.BytesPerCSharpByte) + (500_000 * CollectionHold.BytesPerSourceByte),
            CollectionHold.SizedTo(768L << 20, [CSharp(1_000_000), File(500_000)]));
        Assert.True(CollectionHold.BytesPerCSharpByte > CollectionHold.BytesPerSourceByte);
    }
}
