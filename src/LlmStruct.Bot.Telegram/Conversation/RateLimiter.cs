using System.Collections.Concurrent;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>At most N requests per user in any minute (a sliding window of the times of the last N).</summary>
internal sealed class RateLimiter(int perMinute, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, Queue<DateTimeOffset>> _seen = new();

    /// <summary>Counts a request of <paramref name="user"/>; false when it is one too many this minute.</summary>
    public bool TryTake(long user)
    {
        var now = time.GetUtcNow();
        var queue = _seen.GetOrAdd(user, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            while (queue.Count > 0 && now - queue.Peek() >= TimeSpan.FromMinutes(1))
            {
                queue.Dequeue();
            }
            if (queue.Count >= perMinute)
            {
                return false;
            }
            queue.Enqueue(now);
            return true;
        }
    }
}
