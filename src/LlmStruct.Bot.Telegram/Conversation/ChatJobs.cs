using System.Collections.Concurrent;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>
/// One long job (a /fix) per chat at a time, each cancellable with /cancel; the update loop never waits for one, so
/// /cancel is read while the model works.
/// </summary>
internal sealed class ChatJobs : IDisposable
{
    private readonly ConcurrentDictionary<long, (CancellationTokenSource Cancel, Task Work)> _jobs = new();

    /// <summary>Starts <paramref name="work"/> for <paramref name="chat"/> unless one runs there; false when busy.</summary>
    public bool TryStart(long chat, Func<CancellationToken, Task> work, CancellationToken stopping)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = RunAsync(chat, gate.Task, work, cancel);
        if (!_jobs.TryAdd(chat, (cancel, task)))
        {
            cancel.Dispose();
            gate.SetCanceled(CancellationToken.None);
            return false;
        }
        gate.SetResult();
        return true;
    }

    /// <summary>Cancels the job of <paramref name="chat"/>; false when none runs.</summary>
    public bool Cancel(long chat)
    {
        if (_jobs.TryGetValue(chat, out var job))
        {
            job.Cancel.Cancel();
            return true;
        }
        return false;
    }

    /// <summary>Waits for every job to end (after the stopping token cancelled them).</summary>
    public Task DrainAsync() => Task.WhenAll(_jobs.Values.Select(j => j.Work));

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var job in _jobs.Values)
        {
            job.Cancel.Dispose();
        }
    }

    private async Task RunAsync(long chat, Task gate, Func<CancellationToken, Task> work, CancellationTokenSource cancel)
    {
        try
        {
            await gate.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // another job runs in this chat: this one never started
        }
        try
        {
            await work(cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            _jobs.TryRemove(chat, out _);
            cancel.Dispose();
        }
    }
}
