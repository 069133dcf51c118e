using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LlmStruct.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmStruct.Bot.Telegram.Tests.Fakes;

/// <summary>What one transcription request carried.</summary>
public sealed record TranscriptionRequest(string Model, string FileName, byte[] Audio, string? Language, string? Authorization);

/// <summary>
/// An OpenAI-compatible <c>POST /v1/audio/transcriptions</c> on 127.0.0.1: checks the multipart body as OpenAI documents
/// it (a <c>file</c> part and a <c>model</c> field; 400 otherwise) and answers the transcript it was given.
/// </summary>
public sealed class FakeTranscriptionServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeTranscriptionServer(WebApplication app, string transcript)
    {
        _app = app;
        Transcript = transcript;
    }

    /// <summary>What it answers.</summary>
    public string Transcript { get; set; }

    /// <summary>The API root (ends in <c>/v1</c>).</summary>
    public string Endpoint { get; private set; } = "";

    public ConcurrentQueue<TranscriptionRequest> Requests { get; } = new();

    public static async Task<FakeTranscriptionServer> StartAsync(string transcript)
    {
        var app = LoopbackKestrel.Create();
        var server = new FakeTranscriptionServer(app, transcript);
        app.MapPost("/v1/audio/transcriptions", server.HandleAsync);
        server.Endpoint = await LoopbackKestrel.StartAsync(app) + "/v1";
        return server;
    }

    public ValueTask DisposeAsync() => LoopbackKestrel.StopAsync(_app);

    private async Task HandleAsync(HttpContext ctx)
    {
        if (!ctx.Request.HasFormContentType)
        {
            await Error(ctx, "the body must be multipart/form-data");
            return;
        }
        var form = await ctx.Request.ReadFormAsync();
        var file = form.Files.GetFile("file");
        var model = form["model"].ToString();
        if (file is null || model.Length == 0)
        {
            await Error(ctx, "a 'file' part and a 'model' field are required");
            return;
        }
        using var audio = new MemoryStream();
        await file.CopyToAsync(audio);
        Requests.Enqueue(new TranscriptionRequest(model, file.FileName, audio.ToArray(), form["language"].FirstOrDefault(), ctx.Request.Headers.Authorization.FirstOrDefault()));
        await LoopbackKestrel.WriteJsonAsync(ctx.Response, 200, new JsonObject
        {
            ["text"] = Transcript,
            ["task"] = "transcribe",
            ["language"] = form["language"].FirstOrDefault() ?? "en",
            ["duration"] = 1.5,
            ["segments"] = new JsonArray(),
        }.ToJsonString());
    }

    private static Task Error(HttpContext ctx, string message) =>
        LoopbackKestrel.WriteJsonAsync(ctx.Response, 400, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" } }.ToJsonString());
}
