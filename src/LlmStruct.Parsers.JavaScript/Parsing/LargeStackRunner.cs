using System.Collections.Concurrent;

namespace LlmStruct.Parsers.JavaScript.Parsing;

/// <summary>
/// Runs work on a few long-lived threads with a large, fixed stack. Parsing and walking recurse as deep as the input
/// nests; a known stack makes the depth at which they give up the same on every host thread, and reusing the threads
/// avoids creating (and faulting in) a fresh stack for every file, which cost more than parsing small files.
/// </summary>
internal static class LargeStackRunner
{
    /// <summary>Stack size of each worker.</summary>
    public const int StackSize = 64 * 1024 * 1024;

    private static readonly BlockingCollection<Action> Work = [];
    private static readonly Lazy<int> Workers = new(StartWorkers, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Runs <paramref name="work"/> on a worker and waits for its result.</summary>
    public static T Run<T>(Func<T> work)
    {
        _ = Workers.Value;
        T result = default!;
        Exception? error = null;
        using var done = new ManualResetEventSlim();
        Work.Add(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                error = ex;
            }
            finally
            {
                done.Set();
            }
        });
        done.Wait();
        if (error is not null)
        {
            throw new InvalidOperationException("parser worker failed", error);
        }
        return result;
    }

    private static int StartWorkers()
    {
        int count = Math.Max(2, Environment.ProcessorCount);
        for (int i = 0; i < count; i++)
        {
            var thread = new Thread(Loop, StackSize) { IsBackground = true, Name = $"LlmStruct.JavaScript.{i}" };
            thread.Start();
        }
        return count;
    }

    private static void Loop()
    {
        foreach (var item in Work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
