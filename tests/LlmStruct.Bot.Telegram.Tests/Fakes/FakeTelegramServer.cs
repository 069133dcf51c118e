using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmStruct.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmStruct.Bot.Telegram.Tests.Fakes;

/// <summary>One Bot API call the fake answered.</summary>
/// <param name="Method">The Bot API method (<c>sendMessage</c>…), or <c>file</c> for a download.</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="Fields">The request's parameters (JSON body or multipart form fields, files left out).</param>
/// <param name="At">When it arrived (<see cref="Stopwatch"/> timestamp).</param>
public sealed record BotCall(string Method, int Status, JsonObject Fields, long At)
{
    public string? Text => Fields["text"]?.GetValue<string>();

    public long? ChatId => Fields["chat_id"] is { } c ? long.Parse(c.ToString(), System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>A document the bot uploaded (multipart <c>sendDocument</c>).</summary>
public sealed record SentDocument(long ChatId, string FileName, string Content, string? Caption, string? ReplyMarkup, int MessageId);

/// <summary>
/// A stateful Telegram Bot API server on 127.0.0.1 (Kestrel), following the documented HTTP interface: every call is
/// <c>/bot&lt;token&gt;/METHOD</c> (a wrong token is 401 like Telegram's), answers are <c>{"ok":true,"result":…}</c>;
/// <c>getUpdates</c> long-polls a queue of real update payloads (offset confirms, timeout waits), messages get ids and
/// can be edited, documents arrive as multipart, files are served at <c>/file/bot&lt;token&gt;/PATH</c>, and a test can
/// queue a 429 with <c>retry_after</c> for a method.
/// </summary>
public sealed class FakeTelegramServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<JsonObject> _updates = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly ConcurrentDictionary<string, int> _tooMany = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Path, byte[] Bytes)> _files = new(StringComparer.Ordinal);
    private int _nextUpdate = 1;
    private int _nextMessage = 1000;

    private FakeTelegramServer(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    public string Token { get; }

    /// <summary>What the bot is given as the Bot API base URL.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every call, in order.</summary>
    public ConcurrentQueue<BotCall> Calls { get; } = new();

    /// <summary>Documents uploaded, in order.</summary>
    public ConcurrentQueue<SentDocument> Documents { get; } = new();

    /// <summary>How many times each file path was downloaded.</summary>
    public ConcurrentDictionary<string, int> Downloads { get; } = new(StringComparer.Ordinal);

    /// <summary>The current text of each message the bot sent or edited, by id.</summary>
    public ConcurrentDictionary<int, string> MessageTexts { get; } = new();

    public static async Task<FakeTelegramServer> StartAsync(string token)
    {
        var app = LoopbackKestrel.Create(k => k.Limits.MaxRequestBodySize = 10 * 1024 * 1024);
        var server = new FakeTelegramServer(app, token);
        app.MapPost("/bot{token}/{method}", (HttpContext ctx, string token, string method) => server.HandleAsync(ctx, token, method));
        app.MapGet("/file/bot{token}/{**path}", (HttpContext ctx, string token, string path) => server.DownloadAsync(ctx, token, path));
        server.BaseUrl = await LoopbackKestrel.StartAsync(app);
        return server;
    }

    /// <summary>Queues an update (its <c>update_id</c> is assigned) and returns the id.</summary>
    public int Push(JsonObject update)
    {
        lock (_updates)
        {
            update["update_id"] = _nextUpdate++;
            _updates.Add(update);
        }
        _arrived.Release();
        return (int)update["update_id"]!;
    }

    /// <summary>Serves <paramref name="bytes"/> as the file <paramref name="fileId"/> at <paramref name="path"/>.</summary>
    public void AddFile(string fileId, string path, byte[] bytes) => _files[fileId] = (path, bytes);

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> are answered 429 with <c>retry_after</c> 1.</summary>
    public void TooManyRequests(string method, int count = 1) => _tooMany[method] = count;

    /// <summary>Texts sent to <paramref name="chat"/> with sendMessage (answered ok), in order.</summary>
    public List<string> TextsTo(long chat) =>
        [.. Calls.Where(c => c.Method == "sendMessage" && c.Status == 200 && c.ChatId == chat).Select(c => c.Text ?? "")];

    /// <summary>Waits (bounded: up to 30 s in 20 ms steps) until <paramref name="condition"/> holds; false if it never did.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (int i = 0; i < 1500; i++)
        {
            if (condition())
            {
                return true;
            }
            await Task.Delay(20);
        }
        return condition();
    }

    /// <summary>Waits until some sendMessage to <paramref name="chat"/> contains <paramref name="text"/>; returns it.</summary>
    public async Task<string> WaitForTextAsync(long chat, string text)
    {
        string? found = null;
        var ok = await EventuallyAsync(() => (found = TextsTo(chat).Concat(EditsTo(chat)).FirstOrDefault(t => t.Contains(text, StringComparison.Ordinal))) is not null);
        Assert.True(ok, $"no message containing '{text}'; sent: {string.Join(" | ", TextsTo(chat).Concat(EditsTo(chat)))}");
        return found!;
    }

    /// <summary>Texts of editMessageText calls in <paramref name="chat"/>.</summary>
    public List<string> EditsTo(long chat) =>
        [.. Calls.Where(c => c.Method == "editMessageText" && c.Status == 200 && c.ChatId == chat).Select(c => c.Text ?? "")];

    public async ValueTask DisposeAsync()
    {
        await LoopbackKestrel.StopAsync(_app);
        _arrived.Dispose();
    }

    private async Task HandleAsync(HttpContext ctx, string token, string method)
    {
        var fields = await ReadFieldsAsync(ctx);
        long at = Stopwatch.GetTimestamp();
        if (token != Token)
        {
            Calls.Enqueue(new BotCall(method, 401, fields, at));
            await WriteAsync(ctx, 401, """{"ok":false,"error_code":401,"description":"Unauthorized"}""");
            return;
        }
        if (_tooMany.TryGetValue(method, out int left) && left > 0)
        {
            _tooMany[method] = left - 1;
            Calls.Enqueue(new BotCall(method, 429, fields, at));
            await WriteAsync(ctx, 429, """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}""");
            return;
        }
        JsonNode? result;
        switch (method)
        {
            case "getUpdates":
                result = await UpdatesAsync(fields, ctx.RequestAborted);
                break;
            case "sendMessage":
            {
                int id = Interlocked.Increment(ref _nextMessage);
                var text = fields["text"]?.GetValue<string>() ?? "";
                MessageTexts[id] = text;
                result = MessageJson(id, fields, text);
                break;
            }
            case "editMessageText":
            {
                int id = int.Parse(fields["message_id"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
                if (!MessageTexts.ContainsKey(id))
                {
                    Calls.Enqueue(new BotCall(method, 400, fields, at));
                    await WriteAsync(ctx, 400, """{"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"}""");
                    return;
                }
                var text = fields["text"]?.GetValue<string>() ?? "";
                MessageTexts[id] = text;
                result = MessageJson(id, fields, text);
                break;
            }
            case "sendDocument":
            {
                int id = Interlocked.Increment(ref _nextMessage);
                var file = ctx.Request.HasFormContentType ? (await ctx.Request.ReadFormAsync()).Files.FirstOrDefault() : null;
                if (file is null)
                {
                    Calls.Enqueue(new BotCall(method, 400, fields, at));
                    await WriteAsync(ctx, 400, """{"ok":false,"error_code":400,"description":"Bad Request: there is no document in the request"}""");
                    return;
                }
                using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
                var content = await reader.ReadToEndAsync();
                Documents.Enqueue(new SentDocument(long.Parse(fields["chat_id"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture),
                    file.FileName, content, fields["caption"]?.ToString(), fields["reply_markup"]?.ToString(), id));
                var message = MessageJson(id, fields, null);
                message["document"] = new JsonObject { ["file_id"] = $"doc{id}", ["file_unique_id"] = $"udoc{id}", ["file_name"] = file.FileName };
                result = message;
                break;
            }
            case "sendChatAction" or "answerCallbackQuery":
                result = true;
                break;
            case "getFile":
            {
                var fileId = fields["file_id"]?.ToString() ?? "";
                if (!_files.TryGetValue(fileId, out var stored))
                {
                    Calls.Enqueue(new BotCall(method, 400, fields, at));
                    await WriteAsync(ctx, 400, """{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}""");
                    return;
                }
                result = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_size"] = stored.Bytes.Length, ["file_path"] = stored.Path };
                break;
            }
            default:
                Calls.Enqueue(new BotCall(method, 404, fields, at));
                await WriteAsync(ctx, 404, """{"ok":false,"error_code":404,"description":"Not Found: method not found"}""");
                return;
        }
        Calls.Enqueue(new BotCall(method, 200, fields, at));
        await WriteAsync(ctx, 200, new JsonObject { ["ok"] = true, ["result"] = result }.ToJsonString());
    }

    private async Task DownloadAsync(HttpContext ctx, string token, string path)
    {
        Calls.Enqueue(new BotCall("file", token == Token ? 200 : 401, new JsonObject { ["path"] = path }, Stopwatch.GetTimestamp()));
        var stored = _files.Values.FirstOrDefault(f => f.Path == path);
        if (token != Token || stored.Bytes is null)
        {
            ctx.Response.StatusCode = token != Token ? 401 : 404;
            return;
        }
        Downloads.AddOrUpdate(path, 1, (_, n) => n + 1);
        ctx.Response.ContentType = "application/octet-stream";
        await ctx.Response.Body.WriteAsync(stored.Bytes);
    }

    private async Task<JsonNode> UpdatesAsync(JsonObject fields, CancellationToken aborted)
    {
        int offset = fields["offset"] is { } o ? int.Parse(o.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        int timeout = fields["timeout"] is { } t ? int.Parse(t.ToString(), System.Globalization.CultureInfo.InvariantCulture) : 0;
        var until = Stopwatch.GetTimestamp() + (long)(Math.Min(timeout, 5) * (double)Stopwatch.Frequency);
        while (true)
        {
            lock (_updates)
            {
                // An offset confirms every update before it (as Telegram forgets them).
                _updates.RemoveAll(u => (int)u["update_id"]! < offset);
                if (_updates.Count > 0)
                {
                    return new JsonArray([.. _updates.Select(u => u.DeepClone())]);
                }
            }
            var wait = TimeSpan.FromTicks(Math.Max(0, (until - Stopwatch.GetTimestamp()) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            if (wait == TimeSpan.Zero)
            {
                return new JsonArray();
            }
            try
            {
                await _arrived.WaitAsync(wait, aborted);
            }
            catch (OperationCanceledException)
            {
                return new JsonArray();
            }
        }
    }

    private static JsonObject MessageJson(int id, JsonObject fields, string? text)
    {
        var chat = long.Parse(fields["chat_id"]?.ToString() ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var message = new JsonObject
        {
            ["message_id"] = id,
            ["from"] = new JsonObject { ["id"] = 999, ["is_bot"] = true, ["first_name"] = "LlmStructBot", ["username"] = "llmstruct_test_bot" },
            ["chat"] = new JsonObject { ["id"] = chat, ["type"] = chat < 0 ? "supergroup" : "private" },
            ["date"] = 1_764_000_000,
        };
        if (text is not null)
        {
            message["text"] = text;
        }
        if (fields["reply_markup"] is { } markup)
        {
            message["reply_markup"] = markup is JsonValue v && v.TryGetValue<string>(out var s) ? JsonNode.Parse(s) : markup.DeepClone();
        }
        return message;
    }

    private static async Task<JsonObject> ReadFieldsAsync(HttpContext ctx)
    {
        if (ctx.Request.HasFormContentType)
        {
            var form = await ctx.Request.ReadFormAsync();
            var fields = new JsonObject();
            foreach (var (key, value) in form)
            {
                fields[key] = value.ToString();
            }
            return fields;
        }
        var body = await LoopbackKestrel.ReadBodyAsync(ctx.Request);
        if (body.Length == 0)
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(body) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static Task WriteAsync(HttpContext ctx, int status, string json) => LoopbackKestrel.WriteJsonAsync(ctx.Response, status, json);
}
