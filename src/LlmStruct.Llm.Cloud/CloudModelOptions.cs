using LlmStruct.Configuration;

namespace LlmStruct.Llm.Cloud;

/// <summary>The wire protocol a cloud model speaks.</summary>
public enum CloudProtocol
{
    /// <summary>OpenAI chat completions: OpenAI, xAI Grok, Hugging Face router, Ollama, vLLM, llama.cpp server.</summary>
    OpenAI,

    /// <summary>Anthropic messages, through LlmStruct's own AOT-safe client of the documented Messages API.</summary>
    Anthropic,
}

/// <summary>One cloud (or self-hosted HTTP) model.</summary>
public sealed class CloudModelOptions
{
    /// <summary>Provider name (unique in the chain), e.g. <c>grok</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Protocol of the endpoint.</summary>
    public CloudProtocol Protocol { get; init; } = CloudProtocol.OpenAI;

    /// <summary>Model id sent with each request, e.g. <c>grok-3-mini</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Base URL, e.g. <c>https://api.x.ai/v1</c> or <c>http://127.0.0.1:11434/v1</c>; null: the vendor's default.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Environment variable that holds the API key; the key itself is never configured, logged or stored.</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>Context window in tokens; null: no context-fit check.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>Most tokens generated per answer.</summary>
    public int MaxOutputTokens { get; init; } = 512;

    /// <summary>Requests per UTC day; null: unlimited.</summary>
    public int? DailyQuota { get; init; }

    /// <summary>Time one attempt may take until the response headers arrive; a timed-out attempt is not retried (the chain moves on).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest silence while reading a response body (between streamed chunks) before the attempt fails.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra headers sent with every request (a preset's quirks, e.g. OpenRouter's <c>X-Title</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Retries after a transient failure (timeout, 408, 429, 5xx, refused or dropped connection).</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>First backoff delay; it doubles on each retry. A 429's or 503's Retry-After replaces it.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest Retry-After honoured; a server asking for longer counts as failed, so the chain moves on.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sampling temperature; null: the model's default.</summary>
    public float? Temperature { get; init; }

    /// <summary>The clock of the retry delays and attempt timeouts (tests observe the delays asked for through it).</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Maps an <c>[[llm.providers]]</c> entry of a cloud kind: <c>openai</c>, <c>anthropic</c> or a preset
    /// (<see cref="CloudPresets"/>), whose default endpoint and key variable apply when the entry leaves them out.
    /// </summary>
    public static CloudModelOptions FromConfig(LlmProviderOptions config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var preset = CloudPresets.Find(config.Kind)
            ?? throw new ArgumentException($"llm provider '{config.Name}' is of kind '{config.Kind}', not a cloud kind", nameof(config));
        if (string.IsNullOrWhiteSpace(config.Model))
        {
            throw new ArgumentException($"llm provider '{config.Name}': model is required", nameof(config));
        }
        var endpoint = string.IsNullOrWhiteSpace(config.Endpoint) ? preset.Endpoint : new Uri(config.Endpoint, UriKind.Absolute);
        return new CloudModelOptions
        {
            Name = config.Name,
            Protocol = preset.Protocol,
            Model = config.Model,
            Endpoint = endpoint,
            // Absent: the preset's variable; present but empty: a keyless endpoint.
            ApiKeyEnv = config.ApiKeyEnv ?? preset.ApiKeyEnv,
            ContextWindow = config.ContextWindow,
            MaxOutputTokens = config.MaxOutputTokens,
            DailyQuota = config.DailyQuota,
            Timeout = TimeSpan.FromSeconds(config.TimeoutSeconds),
            IdleTimeout = TimeSpan.FromSeconds(config.IdleTimeoutSeconds),
            MaxRetries = config.MaxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(config.RetryDelayMs),
            Temperature = config.Temperature,
            Headers = preset.Headers,
        };
    }
}
