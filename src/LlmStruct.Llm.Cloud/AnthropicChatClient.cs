using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Cloud;

/// <summary>
/// A thin client of Anthropic's Messages API (<c>POST /v1/messages</c>, JSON and SSE) written against the documented
/// wire format with <see cref="Utf8JsonWriter"/> and <see cref="JsonDocument"/> only, so it runs unchanged under
/// Native AOT (the official SDK's reflection-based JSON converters do not). Every request carries the headers the API
/// requires: <c>x-api-key</c> (when a key is configured), <c>anthropic-version</c> and <c>content-type</c>.
/// </summary>
internal sealed class AnthropicChatClient : IChatClient
{
    /// <summary>The API version this client speaks (the <c>anthropic-version</c> header).</summary>
    public const string ApiVersion = "2023-06-01";

    /// <summary>Anthropic's own endpoint, used when none is configured.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.anthropic.com");

    private readonly HttpClient _http;
    private readonly Uri _messages;
    private readonly string? _key;
    private readonly string _model;
    private readonly int _maxOutputTokens;
    private readonly ChatClientMetadata _metadata;

    public AnthropicChatClient(HttpClient http, Uri? endpoint, string? key, string model, int maxOutputTokens)
    {
        _http = http;
        var root = (endpoint ?? DefaultEndpoint).ToString().TrimEnd('/');
        // Both "https://api.anthropic.com" and "https://api.anthropic.com/v1" are accepted as the base URL.
        _messages = new Uri(root.EndsWith("/v1", StringComparison.Ordinal) ? root + "/messages" : root + "/v1/messages");
        _key = key;
        _model = model;
        _maxOutputTokens = maxOutputTokens;
        _metadata = new ChatClientMetadata("anthropic", endpoint ?? DefaultEndpoint, model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: false);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        RequireMediaType(response, "application/json");
        using var document = await ParseAsync(response, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        var text = new StringBuilder();
        if (root.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (String(block, "type") == "text")
                {
                    text.Append(String(block, "text"));
                }
            }
        }
        var message = new ChatMessage(ChatRole.Assistant, text.ToString());
        var result = new ChatResponse(message)
        {
            ResponseId = String(root, "id"),
            ModelId = String(root, "model") ?? _model,
            FinishReason = Finish(String(root, "stop_reason")),
        };
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            result.Usage = Usage(Number(usage, "input_tokens"), Number(usage, "output_tokens"));
        }
        return result;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(messages, options, stream: true);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        RequireMediaType(response, "text/event-stream");
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        long? input = null;
        string? responseId = null;
        bool stopped = false;
        await foreach (var data in ServerSentEvents.ReadDataAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(data);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"invalid server-sent event from {_messages.Host}: {ex.Message}", ex);
            }
            using (document)
            {
                var root = document.RootElement;
                switch (String(root, "type"))
                {
                    case "message_start":
                        if (root.TryGetProperty("message", out var started))
                        {
                            responseId = String(started, "id");
                            if (started.TryGetProperty("usage", out var startUsage))
                            {
                                input = Number(startUsage, "input_tokens");
                            }
                        }
                        break;
                    case "content_block_delta":
                        if (root.TryGetProperty("delta", out var delta) && String(delta, "type") == "text_delta")
                        {
                            yield return new ChatResponseUpdate(ChatRole.Assistant, String(delta, "text") ?? "")
                            {
                                ResponseId = responseId,
                                ModelId = _model,
                            };
                        }
                        break;
                    case "message_delta":
                        var update = new ChatResponseUpdate { Role = ChatRole.Assistant, ResponseId = responseId, ModelId = _model };
                        if (root.TryGetProperty("delta", out var messageDelta))
                        {
                            update.FinishReason = Finish(String(messageDelta, "stop_reason"));
                        }
                        if (root.TryGetProperty("usage", out var deltaUsage))
                        {
                            update.Contents.Add(new UsageContent(Usage(input, Number(deltaUsage, "output_tokens"))));
                        }
                        yield return update;
                        break;
                    case "message_stop":
                        stopped = true;
                        break;
                    case "error":
                        var error = root.TryGetProperty("error", out var details) ? details : root;
                        throw new HttpRequestException($"the stream reported an error: {String(error, "type")}: {String(error, "message")}");
                }
            }
            if (stopped)
            {
                yield break;
            }
        }
        throw new IOException("the stream ended before message_stop (the connection was closed mid-answer)");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", options?.ModelId ?? _model);
            json.WriteNumber("max_tokens", options?.MaxOutputTokens ?? _maxOutputTokens);
            var system = string.Join("\n\n", messages.Where(m => m.Role == ChatRole.System).Select(m => m.Text).Where(t => t.Length > 0));
            if (system.Length > 0)
            {
                json.WriteString("system", system);
            }
            json.WriteStartArray("messages");
            foreach (var message in messages.Where(m => m.Role != ChatRole.System))
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role == ChatRole.Assistant ? "assistant" : "user");
                json.WriteString("content", message.Text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (options?.Temperature is { } temperature)
            {
                json.WriteNumber("temperature", temperature);
            }
            if (options?.TopP is { } topP)
            {
                json.WriteNumber("top_p", topP);
            }
            if (options?.StopSequences is { Count: > 0 } stops)
            {
                json.WriteStartArray("stop_sequences");
                foreach (var stop in stops)
                {
                    json.WriteStringValue(stop);
                }
                json.WriteEndArray();
            }
            if (stream)
            {
                json.WriteBoolean("stream", true);
            }
            json.WriteEndObject();
        }
        var request = new HttpRequestMessage(HttpMethod.Post, _messages)
        {
            Content = new ByteArrayContent(buffer.ToArray()),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        request.Headers.Add("anthropic-version", ApiVersion);
        if (_key is not null)
        {
            request.Headers.Add("x-api-key", _key);
        }
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string detail = body.Length <= 300 ? body : body[..300] + "…";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                detail = $"{String(error, "type")}: {String(error, "message")}";
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, say): the start of the body is the best description.
        }
        throw new HttpRequestException(
            string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode} ({response.ReasonPhrase}): {detail}"), null, response.StatusCode);
    }

    private static void RequireMediaType(HttpResponseMessage response, string expected)
    {
        var actual = response.Content.Headers.ContentType?.MediaType;
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"the server answered with content type '{actual ?? "none"}', expected '{expected}'");
        }
    }

    private static async Task<JsonDocument> ParseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        try
        {
            return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the server's answer is not valid JSON: {ex.Message}", ex);
        }
    }

    private static UsageDetails Usage(long? input, long? output) => new()
    {
        InputTokenCount = input,
        OutputTokenCount = output,
        TotalTokenCount = input is null || output is null ? null : input + output,
    };

    private static ChatFinishReason? Finish(string? stopReason) => stopReason switch
    {
        null => null,
        "max_tokens" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        _ => ChatFinishReason.Stop,
    };

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number)
            ? number
            : null;
}
