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
