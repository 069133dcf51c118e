using System.Text.Json.Serialization;

namespace LlmStruct.Serve.OpenAi;

/// <summary>OpenAI's error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
/// <param name="Error">The error.</param>
internal sealed record OpenAiErrorBody(OpenAiError Error);

/// <summary>One error, as OpenAI's API describes it.</summary>
/// <param name="Message">What went wrong, for a person.</param>
/// <param name="Type">The kind (<c>invalid_request_error</c>, <c>authentication_error</c>, <c>server_error</c>, …).</param>
/// <param name="Param">The request field at fault, or null.</param>
/// <param name="Code">A short machine code, or null.</param>
internal sealed record OpenAiError(string Message, string Type, string? Param, string? Code);

/// <summary>The <c>/v1/models</c> list.</summary>
/// <param name="Object">Always <c>list</c>.</param>
/// <param name="Data">The models.</param>
internal sealed record OpenAiModelList(string Object, IReadOnlyList<OpenAiModel> Data);

/// <summary>One model id a request may name.</summary>
/// <param name="Id">The id: <c>llmstruct</c> (the whole chain) or a provider's name from llmstruct.toml.</param>
/// <param name="Object">Always <c>model</c>.</param>
/// <param name="Created">Fixed 0 (no dates are invented).</param>
/// <param name="OwnedBy">The provider's kind, or <c>llmstruct</c> for the chain.</param>
internal sealed record OpenAiModel(string Id, string Object, long Created, [property: JsonPropertyName("owned_by")] string OwnedBy);

/// <summary>A whole (non-streamed) chat completion.</summary>
internal sealed record OpenAiCompletion(
    string Id, string Object, long Created, string Model, IReadOnlyList<OpenAiChoice> Choices, OpenAiUsage Usage);

/// <summary>One choice of a whole completion.</summary>
internal sealed record OpenAiChoice(int Index, OpenAiMessage Message, [property: JsonPropertyName("finish_reason")] string FinishReason);

/// <summary>An assistant message.</summary>
internal sealed record OpenAiMessage(string Role, string Content);

/// <summary>Token counts of one completion.</summary>
internal sealed record OpenAiUsage(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens);

/// <summary>One server-sent chunk of a streamed completion (<c>chat.completion.chunk</c>).</summary>
internal sealed record OpenAiChunk(
    string Id, string Object, long Created, string Model, IReadOnlyList<OpenAiChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] OpenAiUsage? Usage);

/// <summary>One choice of a chunk: a piece of the answer, or its end.</summary>
internal sealed record OpenAiChunkChoice(
    int Index, OpenAiDelta Delta,
    [property: JsonPropertyName("finish_reason"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);

/// <summary>A piece of the assistant message.</summary>
internal sealed record OpenAiDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

/// <summary>Source-generated JSON for the OpenAI-compatible endpoint (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(OpenAiErrorBody))]
[JsonSerializable(typeof(OpenAiModelList))]
[JsonSerializable(typeof(OpenAiCompletion))]
[JsonSerializable(typeof(OpenAiChunk))]
internal sealed partial class OpenAiJsonContext : JsonSerializerContext;
