using System.Collections.Concurrent;
using System.Net;
using System.Text;

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
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _script;
    private string _last = "";

    private FakeOpenAIServer(int port, string[] answers)
    {
        _script = new ConcurrentQueue<string>(answers);
        Endpoint = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string Endpoint { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>The headers of every request, in order (names as sent).</summary>
    public ConcurrentQueue<System.Collections.Specialized.NameValueCollection> Headers { get; } = new();

    /// <summary>The base URL an Anthropic client is given (it appends <c>/v1/messages</c>).</summary>
    public string AnthropicEndpoint => Endpoint[..^"/v1".Length];

    public static FakeOpenAIServer Start(params string[] answers) => new(FreePort(), answers);

    /// <summary>A loopback port nothing listens on (for a provider that must fail to connect).</summary>
    public static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose() => _listener.Close();

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Bodies.Enqueue(body);
            Headers.Enqueue(ctx.Request.Headers);
            bool anthropic = ctx.Request.Url!.AbsolutePath == "/v1/messages";
            if (anthropic && (string.IsNullOrEmpty(ctx.Request.Headers["x-api-key"]) || string.IsNullOrEmpty(ctx.Request.Headers["anthropic-version"])))
            {
                ctx.Response.StatusCode = string.IsNullOrEmpty(ctx.Request.Headers["x-api-key"]) ? 401 : 400;
                ctx.Response.ContentType = "application/json";
                var error = Encoding.UTF8.GetBytes("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"x-api-key and anthropic-version headers are required\"}}");
                await ctx.Response.OutputStream.WriteAsync(error);
                ctx.Response.Close();
                continue;
            }
            if (_script.TryDequeue(out var next))
            {
                _last = next;
            }
            var answer = System.Text.Json.JsonSerializer.Serialize(_last);
            string text;
            if (anthropic)
            {
                bool streamed = body.Contains("\"stream\":true", StringComparison.Ordinal);
                ctx.Response.ContentType = streamed ? "text/event-stream" : "application/json";
                text = streamed
                    ? "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fake-model\",\"content\":[],\"usage\":{\"input_tokens\":21,\"output_tokens\":1}}}\n\n"
                        + $"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":{answer}}}}}\n\n"
                        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9}}\n\n"
                        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
                    : $"{{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"fake-model\",\"content\":[{{\"type\":\"text\",\"text\":{answer}}}],\"stop_reason\":\"end_turn\",\"usage\":{{\"input_tokens\":21,\"output_tokens\":9}}}}";
            }
            else if (body.Contains("\"stream\":true", StringComparison.Ordinal))
            {
                ctx.Response.ContentType = "text/event-stream";
                text = $"data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":{answer}}},\"finish_reason\":null}}]}}\n\n"
                    + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                    + $"data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model\",\"choices\":[],\"usage\":{Usage}}}\n\n"
                    + "data: [DONE]\n\n";
            }
            else
            {
                ctx.Response.ContentType = "application/json";
                text = $"{{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":{answer}}},\"finish_reason\":\"stop\"}}],\"usage\":{Usage}}}";
            }
            var bytes = Encoding.UTF8.GetBytes(text);
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }
}
