using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>A diff waiting for Apply or Discard in one chat.</summary>
/// <param name="Chat">The chat it was made in (its buttons work there only).</param>
/// <param name="Task">The request it answers.</param>
/// <param name="Diff">The unified diff.</param>
/// <param name="Files">The files it changes, as <c>kind path</c>.</param>
internal sealed record PendingDiff(long Chat, string Task, string Diff, IReadOnlyList<string> Files);

/// <summary>
/// Diffs waiting for a button press, keyed by the start of their SHA-256 (what the buttons carry: Telegram's callback
/// data holds 64 bytes); a press applies the diff checked again against the tree as it is then. At most 32 wait.
/// </summary>
internal sealed class PendingDiffs
{
    private const int Max = 32;
    private readonly ConcurrentDictionary<string, (PendingDiff Diff, long Order)> _waiting = new(StringComparer.Ordinal);
    private long _order;

    /// <summary>Keeps <paramref name="diff"/>; returns its key.</summary>
    public string Add(PendingDiff diff)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{diff.Chat}\n{diff.Diff}")))[..16];
        _waiting[key] = (diff, Interlocked.Increment(ref _order));
        while (_waiting.Count > Max && _waiting.OrderBy(p => p.Value.Order).FirstOrDefault() is { Key: { } oldest })
        {
            _waiting.TryRemove(oldest, out _);
        }
        return key;
    }

    /// <summary>Takes the diff under <paramref name="key"/> made in <paramref name="chat"/> (it no longer waits), or null.</summary>
    public PendingDiff? Take(string key, long chat) =>
        _waiting.TryGetValue(key, out var entry) && entry.Diff.Chat == chat && _waiting.TryRemove(key, out _) ? entry.Diff : null;

    /// <summary>Puts back a diff taken for Apply that could not be applied for a passing reason.</summary>
    public void Restore(string key, PendingDiff diff) => _waiting[key] = (diff, Interlocked.Increment(ref _order));
}
