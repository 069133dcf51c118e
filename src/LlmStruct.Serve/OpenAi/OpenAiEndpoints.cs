using System.Security.Cryptography;
using System.Text.Json;
using LlmStruct.Configuration;
using LlmStruct.Llm.Chain;
using LlmStruct.Llm.Work;
using LlmStruct.Serve.Project;
using LlmStruct.Serve.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmStruct.Serve.OpenAi;

/// <summary>
/// The OpenAI-compatible endpoint: <c>GET /v1/models</c> and <c>POST /v1/chat/completions</c> (whole, or streamed as
/// server-sent <c>chat.completion.chunk</c> events ending with <c>data: [DONE]</c>), answered by the project's provider
/// chain (fallback, quota and usage metering happen there), so Continue and any OpenAI client can use the configured
/// models through LlmStruct. The API key is the serve token (<c>Authorization: Bearer</c>; no cookie). Model ids:
/// <c>llmstruct</c> (the chain, in its order) and each provider's name from llmstruct.toml (that provider only).
/// Errors have OpenAI's shape: <c>{"error":{"message","type","param","code"}}</c>.
/// </summary>
internal static class OpenAiEndpoints
{
    /// <summary>The model id of the whole chain.</summary>
    public const string ChainModel = "llmstruct";

    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>Maps <c>/v1/models</c> and <c>/v1/chat/completions</c> with their own token and body-size checks.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").ExcludeFromDescription();
        v1.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var options = http.RequestServices.GetRequiredService<IOptions<ServeOptions>>().Value;
            if (!http.RequestServices.GetRequiredService<ServeAuth>().IsAuthorized(http, allowCookie: false))
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Error(StatusCodes.Status401Unauthorized, "send the serve token as the API key (Authorization: Bearer <token>)",
                    "authentication_error", null, "invalid_api_key");
            }
            return RequestBody.DeclaredTooLarge(http.Request, options.MaxRequestBodyBytes)
                ? TooLarge(options)
                : await next(context).ConfigureAwait(false);
        });

        v1.MapGet("/models", async Task<IResult> (ServeProject project, CancellationToken ct) =>
        {
            var (llm, error) = await ProvidersAsync(project, ct).ConfigureAwait(false);
            if (llm is null)
            {
                return error!;
            }
            List<OpenAiModel> models = [new OpenAiModel(ChainModel, "model", 0, ChainModel)];
            models.AddRange(llm.Providers.Select(p => new OpenAiModel(p.Name, "model", 0, p.Kind)));
            return TypedResults.Json(new OpenAiModelList("list", models), OpenAiJsonContext.Default.OpenAiModelList);
        });

        v1.MapPost("/chat/completions", async Task<IResult> (HttpContext http, ServeProject project, IOptions<ServeOptions> options, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var body = await RequestBody.ReadAsync(http.Request, options.Value.MaxRequestBodyBytes, ct).ConfigureAwait(false);
            if (body is null)
            {
                return TooLarge(options.Value);
            }
            OpenAiChatRequest request;
            try
            {
                request = OpenAiChatRequest.Parse(body);
            }
            catch (OpenAiInputException ex)
            {
                return Error(StatusCodes.Status400BadRequest, ex.Message, "invalid_request_error", ex.Param, null);
            }
            var (llm, error) = await ProvidersAsync(project, ct).ConfigureAwait(false);
            if (llm is null)
            {
                return error!;
            }
            string? provider = null;
            if (request.Model is { } model && model != ChainModel)
            {
                if (!llm.Providers.Any(p => p.Name == model))
                {
                    return Error(StatusCodes.Status404NotFound,
                        $"the model '{model}' does not exist here: use '{ChainModel}' or one of {string.Join(", ", llm.Providers.Select(p => "'" + p.Name + "'"))}",
                        "invalid_request_error", "model", "model_not_found");
                }
                provider = model;
            }
            var services = options.Value.LlmServices;
            if (services is null)
            {
                return Error(StatusCodes.Status503ServiceUnavailable, "this server has no LLM chain (the host did not set ServeOptions.LlmServices)", "server_error", null, "llm_unavailable");
            }
            var logger = loggers.CreateLogger(typeof(OpenAiEndpoints).FullName!);
            LlmWorkSession session;
            try
            {
                session = await LlmWorkSession.OpenAsync(new LlmWorkSessionRequest
                {
                    ConfigPath = project.ConfigFile, ProjectDirectory = project.Root, Root = project.Root, Provider = provider,
                }, services, ct).ConfigureAwait(false);
            }
            catch (LlmWorkSetupException ex)
            {
                return Error(StatusCodes.Status503ServiceUnavailable, ex.Message, "server_error", null, "llm_unavailable");
            }
            using (session)
            {
                return request.Stream
                    ? await StreamAsync(http, session.ChatClient, request, logger, ct).ConfigureAwait(false)
                    : await CompleteAsync(session.ChatClient, request, logger, ct).ConfigureAwait(false);
            }
        });
    }

    private static async Task<IResult> CompleteAsync(IChatClient chat, OpenAiChatRequest request, ILogger logger, CancellationToken ct)
    {
        var trace = ChainTrace.Begin();
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(request.Messages, request.Options, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            logger.LogWarning("OpenAI-compatible chat call failed: {Failure}", failure.Message);
            return failure.Result;
        }
        string model = ProviderOf(response.AdditionalProperties) ?? trace.Provider ?? ChainModel;
        var usage = Usage(response.Usage, trace);
        logger.LogInformation("Answered an OpenAI-compatible chat call with {Provider} ({Prompt}+{Completion} tokens)", model, usage.PromptTokens, usage.CompletionTokens);
        var completion = new OpenAiCompletion(NewId(), "chat.completion", Now(), model,
            [new OpenAiChoice(0, new OpenAiMessage("assistant", response.Text), FinishReason(response.FinishReason))], usage);
        return TypedResults.Json(completion, OpenAiJsonContext.Default.OpenAiCompletion);
    }

    private static async Task<IResult> StreamAsync(HttpContext http, IChatClient chat, OpenAiChatRequest request, ILogger logger, CancellationToken ct)
    {
        var trace = ChainTrace.Begin();
        var updates = chat.GetStreamingResponseAsync(request.Messages, request.Options, ct).GetAsyncEnumerator(ct);
        await using (updates.ConfigureAwait(false))
        {
            bool any;
            try
            {
                // The status is still open until the first update: a chain that cannot answer at all is an error status.
                any = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (Failure(ex) is { } failure)
            {
                logger.LogWarning("OpenAI-compatible streamed chat call failed: {Failure}", failure.Message);
                return failure.Result;
            }
            string id = NewId();
            long created = Now();
            string model = (any ? ProviderOf(updates.Current.AdditionalProperties) : null) ?? trace.Provider ?? ChainModel;
            var response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            var body = response.Body;
            await WriteAsync(body, new OpenAiChunk(id, "chat.completion.chunk", created, model, [new OpenAiChunkChoice(0, new OpenAiDelta("assistant", ""), null)], null), ct).ConfigureAwait(false);
            UsageDetails? usage = null;
            ChatFinishReason? finish = null;
            try
            {
                while (any)
                {
                    var update = updates.Current;
                    finish = update.FinishReason ?? finish;
                    foreach (var content in update.Contents.OfType<UsageContent>())
                    {
                        (usage ??= new UsageDetails()).Add(content.Details);
                    }
                    if (update.Text is { Length: > 0 } text)
                    {
                        await WriteAsync(body, new OpenAiChunk(id, "chat.completion.chunk", created, model, [new OpenAiChunkChoice(0, new OpenAiDelta(null, text), null)], null), ct).ConfigureAwait(false);
                    }
                    any = await updates.MoveNextAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Part of the answer is already sent: the stream ends with OpenAI's error event and no [DONE]. The
                // chain's interruption message is redacted already; anything else is named by its kind only.
                var error = ex is Llm.LlmStreamInterruptedException interrupted
                    ? new OpenAiError(interrupted.Message, "server_error", null, "stream_interrupted")
                    : Failure(ex)?.Error ?? new OpenAiError($"the answer broke off ({ex.GetType().Name})", "server_error", null, "stream_interrupted");
                logger.LogWarning("OpenAI-compatible streamed chat call broke off: {Failure}", error.Message);
                await WriteErrorAsync(body, error, ct).ConfigureAwait(false);
                return TypedResults.Empty;
            }
            var totals = Usage(usage, trace);
            await WriteAsync(body, new OpenAiChunk(id, "chat.completion.chunk", created, model, [new OpenAiChunkChoice(0, new OpenAiDelta(null, null), FinishReason(finish))], null), ct).ConfigureAwait(false);
            await WriteAsync(body, new OpenAiChunk(id, "chat.completion.chunk", created, model, [], totals), ct).ConfigureAwait(false);
            await body.WriteAsync(Done, ct).ConfigureAwait(false);
            await body.FlushAsync(ct).ConfigureAwait(false);
            logger.LogInformation("Streamed an OpenAI-compatible chat answer from {Provider} ({Prompt}+{Completion} tokens)", model, totals.PromptTokens, totals.CompletionTokens);
            return TypedResults.Empty;
        }
    }

    /// <summary>The project's <c>[llm]</c>, or the error to answer: 503 when it cannot be read or names no provider.</summary>
    private static async Task<(LlmOptions? Llm, IResult? Error)> ProvidersAsync(ServeProject project, CancellationToken ct)
    {
        LlmOptions llm;
        try
        {
            llm = (await ConfigLoader.LoadAsync(project.ConfigFile, ct).ConfigureAwait(false)).Options.Llm;
        }
        catch (Exception ex) when (ex is ConfigException or IOException or UnauthorizedAccessException)
        {
            return (null, Error(StatusCodes.Status503ServiceUnavailable, ex.Message, "server_error", null, "llm_unavailable"));
        }
        return llm.Providers.Count == 0
            ? (null, Error(StatusCodes.Status503ServiceUnavailable, "no LLM is configured: add [[llm.providers]] to llmstruct.toml (see docs/llm.md)", "server_error", null, "llm_unavailable"))
            : (llm, null);
    }

    private static (string Message, OpenAiError Error, IResult Result)? Failure(Exception ex)
    {
        if (Work.WorkFailures.Describe(ex) is not { } described)
        {
            return null;
        }
        string type = described.Status >= 500 ? "server_error" : "invalid_request_error";
        string code = described.Status == StatusCodes.Status503ServiceUnavailable ? "llm_unavailable" : "llm_error";
        var error = new OpenAiError(described.Detail, type, null, code);
        return (described.Detail, error, TypedResults.Json(new OpenAiErrorBody(error), OpenAiJsonContext.Default.OpenAiErrorBody, statusCode: described.Status));
    }

    private static IResult Error(int status, string message, string type, string? param, string? code) =>
        TypedResults.Json(new OpenAiErrorBody(new OpenAiError(message, type, param, code)), OpenAiJsonContext.Default.OpenAiErrorBody, statusCode: status);

    private static IResult TooLarge(ServeOptions options) =>
        Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxRequestBodyBytes} bytes", "invalid_request_error", null, "request_too_large");

    private static OpenAiUsage Usage(UsageDetails? details, ChainTrace trace)
    {
        long prompt = details?.InputTokenCount ?? trace.PromptTokens;
        long completion = details?.OutputTokenCount ?? trace.CompletionTokens;
        return new OpenAiUsage(prompt, completion, prompt + completion);
    }

    private static string? ProviderOf(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(FallbackChatClient.ProviderKey, out var value) ? value?.ToString() : null;

    private static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length" : reason == ChatFinishReason.ContentFilter ? "content_filter" : "stop";

    private static string NewId() => "chatcmpl-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static async Task WriteAsync(Stream body, OpenAiChunk chunk, CancellationToken ct)
    {
        await body.WriteAsync(DataPrefix, ct).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(body, chunk, OpenAiJsonContext.Default.OpenAiChunk, ct).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, ct).ConfigureAwait(false);
        await body.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(Stream body, OpenAiError error, CancellationToken ct)
    {
        await body.WriteAsync(DataPrefix, ct).ConfigureAwait(false);
        await JsonSerializer.SerializeAsync(body, new OpenAiErrorBody(error), OpenAiJsonContext.Default.OpenAiErrorBody, ct).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, ct).ConfigureAwait(false);
        await body.FlushAsync(ct).ConfigureAwait(false);
    }
}
