namespace LlmStruct.Parsers.CSharp.Tests;

/// <summary>Runs work on a thread with a 512 KiB stack: a recursive walk over a 10,000-deep tree would overflow it.</summary>
internal static class SmallStack
{
    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception ex)
                {
                    failure = ex;
                }
            },
            maxStackSize: 512 * 1024);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("work failed", failure);
    }
}
