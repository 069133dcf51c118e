using System.Text.Json.Nodes;

namespace LlmStruct.Bot.Telegram.Tests.Fakes;

/// <summary>Update payloads as the Bot API documents them (and as Telegram sends them), for the fake's queue.</summary>
public static class Updates
{
    private static int _message = 1;

    private static JsonObject From(long user) =>
        new() { ["id"] = user, ["is_bot"] = false, ["first_name"] = "Ann", ["username"] = "ann_dev", ["language_code"] = "ru" };

    private static JsonObject Chat(long chat) => chat < 0
        ? new JsonObject { ["id"] = chat, ["title"] = "shop devs", ["type"] = "supergroup" }
        : new JsonObject { ["id"] = chat, ["first_name"] = "Ann", ["username"] = "ann_dev", ["type"] = "private" };

    private static JsonObject Message(long user, long chat) => new()
    {
        ["message_id"] = Interlocked.Increment(ref _message),
        ["from"] = From(user),
        ["chat"] = Chat(chat),
        ["date"] = 1_764_000_000,
    };

    /// <summary>A text message; a leading /command gets its bot_command entity.</summary>
    public static JsonObject Text(long user, string text, long? chat = null)
    {
        var message = Message(user, chat ?? user);
        message["text"] = text;
        if (text.StartsWith('/'))
        {
            int end = text.IndexOf(' ', StringComparison.Ordinal);
            message["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = end < 0 ? text.Length : end, ["type"] = "bot_command" });
        }
        return new JsonObject { ["message"] = message };
    }

    /// <summary>A voice message of <paramref name="size"/> bytes (as Telegram reports it).</summary>
    public static JsonObject Voice(long user, string fileId, long size, long? chat = null)
    {
        var message = Message(user, chat ?? user);
        message["voice"] = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["duration"] = 2, ["mime_type"] = "audio/ogg", ["file_size"] = size };
        return new JsonObject { ["message"] = message };
    }

    /// <summary>A press of an inline button with <paramref name="data"/> under the bot's message <paramref name="messageId"/>.</summary>
    public static JsonObject Press(long user, long chat, int messageId, string data) => new()
    {
        ["callback_query"] = new JsonObject
        {
            ["id"] = "cb" + Interlocked.Increment(ref _message),
            ["from"] = From(user),
            ["message"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = new JsonObject { ["id"] = 999, ["is_bot"] = true, ["first_name"] = "LlmStructBot" },
                ["chat"] = Chat(chat),
                ["date"] = 1_764_000_000,
                ["document"] = new JsonObject { ["file_id"] = "doc", ["file_unique_id"] = "udoc", ["file_name"] = "fix.diff" },
            },
            ["chat_instance"] = "-42",
            ["data"] = data,
        },
    };
}
