using System.Runtime;
using LlmStruct.Configuration;
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
}
