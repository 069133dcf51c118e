namespace LlmStruct.Configuration;

/// <summary><c>[llm]</c> section: the models <c>llmstruct ask</c> and hosts use, in fallback order.</summary>
public sealed class LlmOptions
{
    /// <summary>Default for <see cref="UsageStore"/>: a SQLite file under <c>.llmstruct/</c> beside struct.json.</summary>
    public const string DefaultUsageStore = ".llmstruct/usage.db";

    /// <summary>Provider names in fallback order; empty means the order of <see cref="Providers"/> in the file.</summary>
    public List<string> Order { get; set; } = [];

    /// <summary>Where per-call usage is recorded (relative paths are resolved against the project folder).</summary>
    public string UsageStore { get; set; } = DefaultUsageStore;

    /// <summary>Token budget for the struct context that <c>llmstruct ask</c> puts before the question. Default 2000.</summary>
    public int ContextTokens { get; set; } = 2000;

    /// <summary><c>[[llm.providers]]</c>: every model that may answer.</summary>
    public List<LlmProviderOptions> Providers { get; set; } = [];
}

/// <summary>One <c>[[llm.providers]]</c> entry. Keys are never written here: <see cref="ApiKeyEnv"/> names the variable that holds one.</summary>
public sealed class LlmProviderOptions
{
    /// <summary>
    /// Every <see cref="Kind"/>: <c>local</c>, <c>openai</c> (any OpenAI-compatible endpoint), <c>anthropic</c>, and the
    /// OpenAI-compatible presets <c>xai</c>, <c>huggingface</c>, <c>ollama</c> and <c>openrouter</c>.
    /// </summary>
    public static IReadOnlyList<string> Kinds { get; } = ["local", "openai", "anthropic", "xai", "huggingface", "ollama", "openrouter"];

    /// <summary>Unique provider name, used in <see cref="LlmOptions.Order"/>, logs and metrics (e.g. <c>grok</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>One of <see cref="Kinds"/>: <c>local</c> (a GGUF file through LLamaSharp), <c>openai</c> (any OpenAI-compatible endpoint), <c>anthropic</c>, or a preset.</summary>
    public string Kind { get; set; } = "";

    /// <summary>Model id sent to the endpoint (e.g. <c>grok-3-mini</c>); for local models a display name (defaults to the file name).</summary>
    public string? Model { get; set; }

    /// <summary>Base URL of the endpoint (e.g. <c>https://api.x.ai/v1</c>); empty means the vendor's default.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Name of the environment variable that holds the API key (e.g. <c>XAI_API_KEY</c>); empty for keyless endpoints.</summary>
    public string? ApiKeyEnv { get; set; }

    /// <summary>Local models: path of the GGUF file (relative paths are resolved against the project folder).</summary>
    public string? ModelPath { get; set; }

    /// <summary>Context window in tokens; a prompt that does not fit (with <see cref="MaxOutputTokens"/>) skips this provider. Local models use it as the context size.</summary>
    public int? ContextWindow { get; set; }

    /// <summary>Most tokens the model may generate per answer. Default 512.</summary>
    public int MaxOutputTokens { get; set; } = 512;

    /// <summary>Requests a day (UTC) this provider may take, e.g. a free tier's limit; absent means unlimited.</summary>
    public int? DailyQuota { get; set; }

    /// <summary>Seconds one attempt may wait for the response headers before it counts as failed (a timed-out attempt is not retried). Default 30.</summary>
    public double TimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds a response body may go without a byte (between streamed chunks) before the attempt counts as failed. Default 15.</summary>
    public double IdleTimeoutSeconds { get; set; } = 15;

    /// <summary>Retries after a transient failure (timeout, 429, 5xx, refused connection). Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff delay in milliseconds; it doubles on every retry (a 429's Retry-After wins). Default 500.</summary>
    public int RetryDelayMs { get; set; } = 500;

    /// <summary>Local models: CPU threads (absent: the backend's choice).</summary>
    public int? Threads { get; set; }

    /// <summary>Local models: layers offloaded to the GPU when a CUDA backend is present. Default 0.</summary>
    public int GpuLayers { get; set; }

    /// <summary>Local models: a folder holding a llama.cpp native library build of your own (e.g. a CUDA build); absent: the bundled CPU backend.</summary>
    public string? NativeLibraryPath { get; set; }

    /// <summary>Sampling temperature; absent means the model's default.</summary>
    public float? Temperature { get; set; }
}
