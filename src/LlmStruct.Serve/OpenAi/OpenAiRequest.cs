using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmStruct.Serve.OpenAi;

/// <summary>A request body that is not a chat completion request this endpoint takes, naming the field at fault.</summary>
internal sealed class OpenAiInputException(string? param, string message) : Exception(message)
{
    /// <summary>The field at fault, or null.</summary>
    public string? Param { get; } = param;
}

/// <summary>A parsed <c>/v1/chat/completions</c> request.</summary>
/// <param name="Model">The model id asked for (<c>llmstruct</c>, a provider's name, or null for the chain).</param>
/// <param name="Messages">The conversation.</param>
/// <param name="Stream">Whether the answer is streamed as server-sent events.</param>
/// <param name="Options">Sampling options passed to the chain (never a model id: each provider keeps its own).</param>
internal sealed record OpenAiChatRequest(string? Model, IReadOnlyList<ChatMessage> Messages, bool Stream, ChatOptions Options)
{
    /// <summary>The most messages one request may carry.</summary>
    public const int MaxMessages = 1000;

    /// <summary>
    /// Reads OpenAI's request shape with <see cref="JsonDocument"/> (no reflection: Native AOT): <c>model</c>,
    /// <c>messages</c> (roles system, developer, user, assistant; content a string or text parts), <c>stream</c>,
    /// <c>temperature</c>, <c>top_p</c>, <c>max_tokens</c>/<c>max_completion_tokens</c>, <c>stop</c>, <c>n</c> (1 only).
    /// Other fields clients send are ignored. Throws <see cref="OpenAiInputException"/>.
    /// </summary>
    public static OpenAiChatRequest Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new OpenAiInputException(null, $"the body is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new OpenAiInputException(null, "the body must be a JSON object");
            }
            string? model = OptionalString(root, "model");
            var messages = ReadMessages(root);
            bool stream = root.TryGetProperty("stream", out var s) && s.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw new OpenAiInputException("stream", "'stream' must be true or false"),
            };
            var options = new ChatOptions
            {
                Temperature = OptionalFloat(root, "temperature", 0, 2),
                TopP = OptionalFloat(root, "top_p", 0, 1),
                MaxOutputTokens = OptionalPositiveInt(root, "max_completion_tokens") ?? OptionalPositiveInt(root, "max_tokens"),
                StopSequences = Stop(root),
            };
            if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && !(n.TryGetInt32(out int count) && count == 1))
            {
                throw new OpenAiInputException("n", "only n = 1 is supported");
            }
            return new OpenAiChatRequest(string.IsNullOrWhiteSpace(model) ? null : model.Trim(), messages, stream, options);
        }
    }

    private static List<ChatMessage> ReadMessages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw new OpenAiInputException("messages", "'messages' must be a non-empty array");
        }
        if (array.GetArrayLength() > MaxMessages)
        {
            throw new OpenAiInputException("messages", $"at most {MaxMessages} messages are accepted");
        }
        var list = new List<ChatMessage>(array.GetArrayLength());
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            string param = $"messages[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new OpenAiInputException(param, $"{param} must be an object with 'role' and 'content'");
            }
            string? roleName = OptionalString(item, "role", param + ".role");
            ChatRole role = roleName switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                null => throw new OpenAiInputException(param + ".role", $"{param} has no 'role'"),
                "tool" or "function" => throw new OpenAiInputException(param + ".role", $"{param}: role '{roleName}' is not supported (this endpoint offers no tools)"),
                _ => throw new OpenAiInputException(param + ".role", $"{param}: unknown role '{roleName}' (system, developer, user or assistant)"),
            };
            list.Add(new ChatMessage(role, Content(item, param, role)));
            index++;
        }
        return list;
    }

    private static string Content(JsonElement message, string param, ChatRole role)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return role == ChatRole.Assistant ? "" : throw new OpenAiInputException(param + ".content", $"{param} has no 'content'");
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new OpenAiInputException(param + ".content", $"{param}.content must be a string or an array of text parts");
        }
        var text = new System.Text.StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || OptionalString(part, "type", param + ".content") != "text"
                || !part.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
            {
                throw new OpenAiInputException(param + ".content", $"{param}.content: only text parts ({{\"type\":\"text\",\"text\":…}}) are supported");
            }
            text.Append(t.GetString());
        }
        return text.ToString();
    }

    private static string? OptionalString(JsonElement obj, string name, string? param = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new OpenAiInputException(param ?? name, $"'{param ?? name}' must be a string");
    }

    private static float? OptionalFloat(JsonElement obj, string name, double min, double max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double d) || d < min || d > max)
        {
            throw new OpenAiInputException(name, $"'{name}' must be a number from {min} to {max}");
        }
        return (float)d;
    }

    private static int? OptionalPositiveInt(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) && i > 0
            ? i : throw new OpenAiInputException(name, $"'{name}' must be a positive integer");
    }

    private static List<string>? Stop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (stop.ValueKind == JsonValueKind.String)
        {
            return [stop.GetString()!];
        }
        if (stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() <= 4 && stop.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. stop.EnumerateArray().Select(e => e.GetString()!)];
        }
        throw new OpenAiInputException("stop", "'stop' must be a string or an array of up to 4 strings");
    }
}
