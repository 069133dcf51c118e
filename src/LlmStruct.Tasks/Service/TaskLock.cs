namespace LlmStruct.Tasks.Service;

/// <summary>
/// The lock around one read-modify-write of llmstruct.toml and the store: a file opened exclusively (the OS releases
/// it when the process ends, however it ends), retried until a deadline, so two processes take turns instead of
/// losing an update.
/// </summary>
internal sealed class TaskLock : IDisposable
{
    private readonly FileStream _file;

    private TaskLock(FileStream file) => _file = file;

    public static async Task<TaskLock> AcquireAsync(string path, int timeoutMs, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = Environment.TickCount64 + Math.Max(0, timeoutMs);
        int delay = 10;
        while (true)
        {
            try
            {
                return new TaskLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 200);
            }
            catch (IOException ex)
            {
                throw new IOException($"another llmstruct process holds the tasks lock {path}; try again when it has finished", ex);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
