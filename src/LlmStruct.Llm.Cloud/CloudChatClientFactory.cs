using System.ClientModel;
using System.ClientModel.Primitives;
using LlmStruct.Llm.Secrets;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmStruct.Llm.Cloud;

/// <summary>Creates the raw <see cref="IChatClient"/> of a cloud model: OpenAI-compatible (the OpenAI SDK) or Anthropic (<see cref="AnthropicChatClient"/>), over <see cref="ResilientHttp"/>.</summary>
internal static class CloudChatClientFactory
{
    // OpenAI-compatible servers without authentication (Ollama, vLLM, llama.cpp) still get a bearer header from the SDK.
    private const string NoKey = "no-key";

    public static IChatClient Create(CloudModelOptions options)
    {
        var key = SecretRedactor.ReadKey(options.ApiKeyEnv);
        if (!string.IsNullOrWhiteSpace(options.ApiKeyEnv) && key is null)
        {
            throw new InvalidOperationException(
                $"LLM provider '{options.Name}': environment variable {options.ApiKeyEnv} is not set (it must hold the API key)");
        }
        var http = ResilientHttp.Create(options);
        foreach (var (name, value) in options.Headers)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }
        return options.Protocol switch
        {
            CloudProtocol.OpenAI => CreateOpenAI(options, key, http),
            CloudProtocol.Anthropic => CreateAnthropic(options, key, http),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
    }

    private static IChatClient CreateOpenAI(CloudModelOptions options, string? key, HttpClient http)
    {
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = ResilientHttp.Total(options),
        };
        if (options.Endpoint is not null)
        {
            clientOptions.Endpoint = options.Endpoint;
        }
        var chat = new OpenAI.Chat.ChatClient(options.Model, new ApiKeyCredential(key ?? NoKey), clientOptions);
        return chat.AsIChatClient();
    }

    private static AnthropicChatClient CreateAnthropic(CloudModelOptions options, string? key, HttpClient http) =>
        new(http, options.Endpoint, key, options.Model, options.MaxOutputTokens);
}
