using System.Collections.Concurrent;
using System.Net;
using LlmStruct.TestSupport;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// A real OpenAI chat-completions server on 127.0.0.1 (JSON and SSE streaming) for CLI tests, which also speaks
/// Anthropic's Messages API at <c>/v1/messages</c> (rejecting, like the real API, a request without <c>x-api-key</c> or
/// <c>anthropic-version</c>): it answers with a script, then repeats its last answer, always reporting 21 prompt and
/// 9 completion tokens, and records every request body and its headers.
/// </summary>
internal sealed class FakeOpenAIServer : IDisposable
{
    private const string Usage = "{\"prompt_tokens\":21,\"completion_tokens\":9,\"total_tokens\":30}";
    private readonly LoopbackListener _listener;
    private readonly ConcurrentQueue<string> _script;
    private string _last = "";

    private FakeOpenAIServer(string[] answers)
    {
        _script = new ConcurrentQueue<string>(answers);
        _listener = new LoopbackListener(HandleAsync);
        Endpoint = _listener.Origin + "/v1";
    }

    public string Endpoint { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>The headers of every request, in order (names as sent).</summary>
    public ConcurrentQueue<System.Collections.Specialized.NameValueCollection> Headers { get; } = new();

    /// <summary>The base URL an Anthropic client is given (it appends <c>/v1/messages</c>).</summary>
    public string AnthropicEndpoint => Endpoint[..^"/v1".Length];

    public static FakeOpenAIServer Start(params string[] answers) => new(answers);

    /// <summary>A loopback port nothing listens on (for a provider that must fail to connect).</summary>
    public static int FreePort() => LoopbackListener.FreePort();

    public void Dispose() => _listener.Dispose();

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var body = await LoopbackListener.ReadBodyAsync(ctx.Request);
        Bodies.Enqueue(body);
        Headers.Enqueue(ctx.Request.Headers);
        bool anthropic = ctx.Request.Url!.AbsolutePath == "/v1/messages";
        if (anthropic && (string.IsNullOrEmpty(ctx.Request.Headers["x-api-key"]) || string.IsNullOrEmpty(ctx.Request.Headers["anthropic-version"])))
        {
            await LoopbackListener.RespondAsync(ctx.Response, string.IsNullOrEmpty(ctx.Request.Headers["x-api-key"]) ? 401 : 400, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"x-api-key and anthropic-version headers are required\"}}");
            return;
        }
        if (_script.TryDequeue(out var next))
        {
            _last = next;
        }
        var answer = System.Text.Json.JsonSerializer.Serialize(_last);
        string contentType, text;
        if (anthropic)
        {
            bool streamed = body.Contains("\"stream\":true", StringComparison.Ordinal);
            contentType = streamed ? "text/event-stream" : "application/json";
            text = streamed
                ? "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fake-model\",\"content\":[],\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}\n\n"
                    + $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":{answer}}}}}\n\n"
                    + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\n"
                    + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
                : $"{{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fake-model\",\"content\":[{{\"type\":\"text\",\"text\":{answer}}}],\"stop_reason\":\"end_turn\",\"usage\":{{\"input_tokens\":21,\"output_tokens\":9}}}}";
        }
        else if (body.Contains("\"stream\":true", StringComparison.Ordinal))
        {
            contentType = "text/event-stream";
            text = $"data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":{answer}}},\"finish_reason\":null}}]}}\n\n"
                + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + $"data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[],\"usage\":{Usage}}}\n\n"
                + "data: [DONE]\n\n";
        }
        else
        {
            contentType = "application/json";
            text = $"{{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":{answer}}},\"finish_reason\":\"stop\"}}],\"usage\":{Usage}}}";
        }
        await LoopbackListener.RespondAsync(ctx.Response, 200, contentType, text);
    }
}
