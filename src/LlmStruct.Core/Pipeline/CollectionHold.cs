using System.Runtime;

namespace LlmStruct.Pipeline;

/// <summary>
/// Holds garbage collection back for a run, up to a memory budget (<see cref="GC.TryStartNoGCRegion(long)"/>). A
/// run builds a model that lives until struct.json is written; collecting while it grows only copies it from
/// generation to generation (a tenth of a cache-less run on the Python library). A run that allocates more than the
/// budget is collected as usual from that point on: the budget bounds what the hold can cost in memory.
/// </summary>
internal sealed class CollectionHold : IDisposable
{
    private int _held;

    private CollectionHold(bool held) => _held = held ? 1 : 0;

    /// <summary>A hold that does nothing.</summary>
    public static CollectionHold None { get; } = new(held: false);

    /// <summary>
    /// The budget a run over <paramref name="files"/> asks for: what its model and output are expected to allocate
    /// (<see cref="BytesPerSourceByte"/> per source byte, <see cref="BytesPerCSharpByte"/> for C#, plus
    /// <see cref="BaseBudget"/>), at most <paramref name="ceiling"/>. A fixed budget reserved hundreds of megabytes for
    /// a project of a few hundred kilobytes, which the runtime then kept as the process's memory; a run that allocates
    /// more than this estimate is simply collected as usual from there on.
    /// </summary>
    public static long SizedTo(long ceiling, IReadOnlyList<Discovery.DiscoveredFile> files)
    {
        if (ceiling <= 0)
        {
            return 0;
        }
        long budget = BaseBudget;
        foreach (var file in files)
        {
            bool csharp = file.RelativePath.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);
            budget += file.Length * (csharp ? BytesPerCSharpByte : BytesPerSourceByte);
            if (budget >= ceiling)
            {
                return ceiling;
            }
        }
        return budget;
    }

    /// <summary>
    /// Managed bytes a cache-less run allocates per byte of source, rounded up: 5.3 on the Python library (644 MB
    /// for 122 MB), more on small projects, where the fixed parts of the run weigh more.
    /// </summary>
    internal const long BytesPerSourceByte = 6;

    /// <summary>
    /// The same for C#, read through Roslyn's syntax trees (green and red nodes, trivia): 56, rounded up from about 52 on
    /// this repository's own C# (2.6 MB of source, 135 MB allocated by a cache-less run). Budgeted at the Python rate,
    /// such a run was collected six times, a quarter of its time.
    /// </summary>
    internal const long BytesPerCSharpByte = 56;

    /// <summary>What every run allocates whatever its size (options, discovery, the linker's tables, the writer's buffers).</summary>
    internal const long BaseBudget = 16L << 20;

    /// <summary>
    /// Starts holding collections when <paramref name="budget"/> is positive (at most a quarter of the memory the
    /// process may use) and the runtime can set it aside; otherwise a hold that does nothing.
    /// </summary>
    public static CollectionHold Start(long budget)
    {
        if (budget <= 0 || GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            return None;
        }
        budget = Math.Min(budget, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);
        try
        {
            return GC.TryStartNoGCRegion(budget) ? new CollectionHold(held: true) : None;
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return None; // more than the runtime can set aside here: collect as usual
        }
    }

    /// <summary>Lets collections go (at the end of the run; the runtime has already done so if the budget was spent).</summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _held, 0) == 1 && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            try
            {
                GC.EndNoGCRegion();
            }
            catch (InvalidOperationException)
            {
                // Already ended: the budget was spent, or a collection was induced meanwhile.
            }
        }
    }

    /// <summary>Same as <see cref="Release"/>.</summary>
    public void Dispose() => Release();
}
