using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmStruct.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmStruct.Llm.Tests.Servers;

/// <summary>A request as the fake server saw it.</summary>
public sealed record SeenRequest(string Path, string Body, string Authorization, string ApiKeyHeader, bool Stream)
{
    /// <summary>Every request header, names in lower case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (ephemeral port) that speaks OpenAI chat completions (<c>/v1/chat/completions</c>)
/// and Anthropic messages (<c>/v1/messages</c>), in JSON and SSE. Replies follow a script, then default to OK.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Reply> _script = new();

    private FakeLlmServer(WebApplication app) => _app = app;

    /// <summary>Requests received, in order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>Base URL for OpenAI-compatible clients (ends in <c>/v1</c>).</summary>
    public Uri OpenAIEndpoint => new(BaseUrl + "/v1");

    /// <summary>Base URL for the Anthropic client (the SDK appends <c>/v1/messages</c>).</summary>
    public Uri AnthropicEndpoint => new(BaseUrl);

    private string BaseUrl { get; set; } = "";

    /// <summary>Starts a server on 127.0.0.1 with an ephemeral port.</summary>
    public static async Task<FakeLlmServer> StartAsync(params Reply[] script)
    {
        var app = LoopbackKestrel.Create();
        var server = new FakeLlmServer(app);
        foreach (var reply in script)
        {
            server._script.Enqueue(reply);
        }
        app.MapPost("/v1/chat/completions", ctx => server.HandleAsync(ctx, anthropic: false));
        app.MapPost("/v1/messages", ctx => server.HandleAsync(ctx, anthropic: true));
        server.BaseUrl = await LoopbackKestrel.StartAsync(app);
        return server;
    }

    /// <summary>Adds replies to the script.</summary>
    public void Then(params Reply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    public ValueTask DisposeAsync() => LoopbackKestrel.StopAsync(_app);

    private async Task HandleAsync(HttpContext ctx, bool anthropic)
    {
        var body = await LoopbackKestrel.ReadBodyAsync(ctx.Request);
        var json = JsonNode.Parse(body)!;
        bool stream = json["stream"]?.GetValue<bool>() ?? false;
        Requests.Enqueue(new SeenRequest(
            ctx.Request.Path, body, ctx.Request.Headers.Authorization.ToString(), ctx.Request.Headers["x-api-key"].ToString(), stream)
        {
            Headers = ctx.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
        });
        if (anthropic && AnthropicRejection(ctx, json) is var (code, type, text))
        {
            // What the Messages API itself rejects, before any scripted reply.
            await LoopbackKestrel.WriteJsonAsync(ctx.Response, code, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = text } }.ToJsonString());
            return;
        }
        var reply = _script.TryDequeue(out var next) ? next : Reply.Ok();
        var model = json["model"]?.GetValue<string>() ?? "model";

        switch (reply)
        {
            case CloseReply:
                ctx.Abort();
                return;
            case StatusReply status:
                if (status.RetryAfterSeconds is int seconds)
                {
                    ctx.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                await WriteErrorAsync(ctx, status.Code, anthropic, $"scripted status {status.Code}");
                return;
            case EchoAuthReply:
                var seen = $"invalid credentials: authorization='{ctx.Request.Headers.Authorization}' x-api-key='{ctx.Request.Headers["x-api-key"]}'";
                await WriteErrorAsync(ctx, 401, anthropic, seen);
                return;
            case ToolCallReply call:
                var tool = json["tools"]?.AsArray().Select(t => t?["function"]?["name"]?.GetValue<string>()).FirstOrDefault(n => n?.EndsWith(call.ToolSuffix, StringComparison.Ordinal) == true);
                if (tool is null)
                {
                    await WriteErrorAsync(ctx, 400, anthropic, $"no tool named *{call.ToolSuffix} was offered");
                    return;
                }
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(new JsonObject
                {
                    ["id"] = "chatcmpl-2", ["object"] = "chat.completion", ["created"] = 1700000000, ["model"] = model,
                    ["choices"] = new JsonArray(new JsonObject
                    {
                        ["index"] = 0,
                        ["message"] = new JsonObject
                        {
                            ["role"] = "assistant", ["content"] = null,
                            ["tool_calls"] = new JsonArray(new JsonObject
                            {
                                ["id"] = "call_1", ["type"] = "function",
                                ["function"] = new JsonObject { ["name"] = tool, ["arguments"] = call.ArgumentsJson },
                            }),
                        },
                        ["finish_reason"] = "tool_calls",
                    }),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = 30, ["completion_tokens"] = 8, ["total_tokens"] = 38 },
                }.ToJsonString());
                return;
            case BrokenReply broken:
                await BrokenAsync(ctx, broken.Mode, anthropic, stream, model);
                return;
            case OkReply ok:
                if (ok.Cpu > TimeSpan.Zero)
                {
                    SpendCpu(ok.Cpu);
                }
                if (ok.Delay > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(ok.Delay, ctx.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
                if (stream)
                {
                    await (anthropic ? AnthropicSseAsync(ctx, model, ok) : OpenAISseAsync(ctx, model, ok));
                }
                else
                {
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync((anthropic ? AnthropicJson(model, ok) : OpenAIJson(model, ok)).ToJsonString());
                }
                return;
        }
    }

    // Anthropic's documented requirements: x-api-key (401 authentication_error without it), anthropic-version, and a
    // body with model, max_tokens and at least one message (400 invalid_request_error otherwise). No bearer tokens.
    private static (int, string, string)? AnthropicRejection(HttpContext ctx, JsonNode json)
    {
        if (string.IsNullOrEmpty(ctx.Request.Headers["x-api-key"].ToString()))
        {
            return (401, "authentication_error", "x-api-key header is required");
        }
        if (string.IsNullOrEmpty(ctx.Request.Headers["anthropic-version"].ToString()))
        {
            return (400, "invalid_request_error", "anthropic-version: header is required");
        }
        if (json["model"] is null || json["max_tokens"] is null || json["messages"] is not JsonArray { Count: > 0 })
        {
            return (400, "invalid_request_error", "model, max_tokens and messages are required");
        }
        if (json["messages"]!.AsArray().Any(m => m?["role"]?.GetValue<string>() is not ("user" or "assistant")))
        {
            return (400, "invalid_request_error", "messages: roles must be user or assistant (the system prompt is a top-level field)");
        }
        return null;
    }

    private static async Task BrokenAsync(HttpContext ctx, BreakMode mode, bool anthropic, bool stream, string model)
    {
        // Bounded: a stalled response waits for the client to give up, or a minute at most.
        async Task StallAsync()
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(60), ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        }
        switch (mode)
        {
            case BreakMode.WrongContentType:
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<html><body>Please sign in</body></html>");
                return;
            case BreakMode.StallAfterHeaders:
                ctx.Response.ContentType = stream ? "text/event-stream" : "application/json";
                await ctx.Response.StartAsync();
                await ctx.Response.Body.FlushAsync();
                await StallAsync();
                return;
            case BreakMode.InvalidSse:
                ctx.Response.ContentType = stream ? "text/event-stream" : "application/json";
                await ctx.Response.WriteAsync(stream ? (anthropic ? "event: message_start\n" : "") + "data: <html>not json</html>\n\n" : "{\"id\": <html>");
                return;
        }
        // Mid-stream: the first piece of a real answer, then a stall or a dropped connection.
        if (stream)
        {
            ctx.Response.ContentType = "text/event-stream";
            if (anthropic)
            {
                await SendAsync(ctx, "message_start", new JsonObject
                {
                    ["type"] = "message_start",
                    ["message"] = new JsonObject
                    {
                        ["id"] = "msg_1", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                        ["usage"] = new JsonObject { ["input_tokens"] = 10, ["output_tokens"] = 1 },
                    },
                });
                await SendAsync(ctx, "content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = "First" },
                });
            }
            else
            {
                await SendAsync(ctx, null, new JsonObject
                {
                    ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk", ["created"] = 1700000000, ["model"] = model,
                    ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["role"] = "assistant", ["content"] = "First" }, ["finish_reason"] = null }),
                });
            }
        }
        else
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"id\":\"x\",");
            await ctx.Response.Body.FlushAsync();
        }
        if (mode == BreakMode.DropMidStream)
        {
            // Kestrel's flush completes when the bytes reach its pipe, not the socket; an abort right after it can
            // drop them too (and the client would see a failure before the headers). Give them time to leave.
            await Task.Delay(300);
            ctx.Abort();
            return;
        }
        await StallAsync();
    }

    private static async Task WriteErrorAsync(HttpContext ctx, int code, bool anthropic, string message)
    {
        JsonObject error = anthropic
            ? new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = code == 429 ? "rate_limit_error" : "api_error", ["message"] = message } }
            : new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "server_error", ["code"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        await LoopbackKestrel.WriteJsonAsync(ctx.Response, code, error.ToJsonString());
    }

    // Spins until the process has used `cpu` more processor time (bounded: at most ten times that on the clock).
    private static void SpendCpu(TimeSpan cpu)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var until = process.TotalProcessorTime + cpu;
        var stop = System.Diagnostics.Stopwatch.StartNew();
        long spin = 0;
        while (stop.Elapsed < cpu * 10)
        {
            for (int i = 0; i < 100_000; i++)
            {
                spin += i ^ spin;
            }
            process.Refresh();
            if (process.TotalProcessorTime >= until)
            {
                break;
            }
        }
        GC.KeepAlive(spin);
    }

    private static JsonObject OpenAIJson(string model, OkReply ok) => new()
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["created"] = 1700000000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = ok.Text },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = ok.PromptTokens, ["completion_tokens"] = ok.CompletionTokens, ["total_tokens"] = ok.PromptTokens + ok.CompletionTokens },
    };

    private static JsonObject AnthropicJson(string model, OkReply ok) => new()
    {
        ["id"] = "msg_1",
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = model,
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = ok.Text }),
        ["stop_reason"] = "end_turn",
        ["stop_sequence"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = ok.PromptTokens, ["output_tokens"] = ok.CompletionTokens },
    };

    private static IEnumerable<string> Pieces(string text)
    {
        var words = text.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            yield return i == 0 ? words[i] : " " + words[i];
        }
    }

    private static async Task OpenAISseAsync(HttpContext ctx, string model, OkReply ok)
    {
        ctx.Response.ContentType = "text/event-stream";
        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1700000000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        await SendAsync(ctx, null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        foreach (var piece in Pieces(ok.Text))
        {
            await SendAsync(ctx, null, Chunk(new JsonObject { ["content"] = piece }, null));
        }
        await SendAsync(ctx, null, Chunk(new JsonObject(), "stop"));
        await SendAsync(ctx, null, new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1700000000,
            ["model"] = model,
            ["choices"] = new JsonArray(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = ok.PromptTokens, ["completion_tokens"] = ok.CompletionTokens, ["total_tokens"] = ok.PromptTokens + ok.CompletionTokens },
        });
        await ctx.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task AnthropicSseAsync(HttpContext ctx, string model, OkReply ok)
    {
        ctx.Response.ContentType = "text/event-stream";
        await SendAsync(ctx, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_1", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(),
                ["stop_reason"] = null, ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = ok.PromptTokens, ["output_tokens"] = 1 },
            },
        });
        await SendAsync(ctx, "content_block_start", new JsonObject
        {
            ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" },
        });
        foreach (var piece in Pieces(ok.Text))
        {
            await SendAsync(ctx, "content_block_delta", new JsonObject
            {
                ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece },
            });
        }
        await SendAsync(ctx, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        await SendAsync(ctx, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = ok.CompletionTokens },
        });
        await SendAsync(ctx, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static async Task SendAsync(HttpContext ctx, string? eventName, JsonObject data)
    {
        var text = (eventName is null ? "" : $"event: {eventName}\n") + $"data: {data.ToJsonString()}\n\n";
        await ctx.Response.WriteAsync(text);
        await ctx.Response.Body.FlushAsync();
    }
}
