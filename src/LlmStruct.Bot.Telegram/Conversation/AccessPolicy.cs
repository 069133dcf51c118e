using System.Collections.Concurrent;
using LlmStruct.Bot.Telegram.Configuration;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>
/// Who the bot answers: a user in <c>allowed_users</c>, or anyone in a chat in <c>allowed_chats</c>; changes to the
/// project (Apply) need a listed user. Everyone else is refused once (then ignored, so a stranger cannot make it spam).
/// </summary>
internal sealed class AccessPolicy(TelegramBotOptions options)
{
    private readonly HashSet<long> _users = [.. options.AllowedUsers];
    private readonly HashSet<long> _chats = [.. options.AllowedChats];
    private readonly ConcurrentDictionary<long, bool> _refused = new();

    /// <summary>True when nobody at all is allowed (the bot would answer no one).</summary>
    public bool Empty => _users.Count == 0 && _chats.Count == 0;

    /// <summary>May <paramref name="user"/> talk to the bot in <paramref name="chat"/>?</summary>
    public bool MayTalk(long? user, long chat) => (user is { } u && _users.Contains(u)) || _chats.Contains(chat);

    /// <summary>May <paramref name="user"/> change the project (press Apply)?</summary>
    public bool MayChange(long? user) => user is { } u && _users.Contains(u);

    /// <summary>True the first time <paramref name="user"/> (or the chat, without a user) is refused; false after.</summary>
    public bool FirstRefusal(long? user, long chat) => _refused.TryAdd(user ?? chat, true);
}
