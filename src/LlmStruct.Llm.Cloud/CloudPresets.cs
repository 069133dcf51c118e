namespace LlmStruct.Llm.Cloud;

/// <summary>
/// A cloud provider kind: its protocol, default endpoint, the environment variable its key usually lives in, and any
/// headers the service expects.
/// </summary>
/// <param name="Kind">The <c>kind</c> in <c>[[llm.providers]]</c>.</param>
/// <param name="Protocol">Wire protocol.</param>
/// <param name="Endpoint">Default base URL; null: the SDK's own default (OpenAI's or Anthropic's API).</param>
/// <param name="ApiKeyEnv">Default key variable; null: keyless unless configured.</param>
/// <param name="Headers">Headers sent with every request.</param>
public sealed record CloudPreset(string Kind, CloudProtocol Protocol, Uri? Endpoint, string? ApiKeyEnv, IReadOnlyDictionary<string, string> Headers);

/// <summary>The cloud kinds LlmStruct knows: <c>openai</c>, <c>anthropic</c> and the OpenAI-compatible presets.</summary>
public static class CloudPresets
{
    private static readonly Dictionary<string, string> NoHeaders = [];

    /// <summary>Every cloud kind, in the order the docs list them.</summary>
    public static IReadOnlyList<CloudPreset> All { get; } =
    [
        // Any OpenAI-compatible endpoint (vLLM, llama.cpp server, LM Studio…): keyless unless api_key_env is set.
        new("openai", CloudProtocol.OpenAI, null, null, NoHeaders),
        new("anthropic", CloudProtocol.Anthropic, null, "ANTHROPIC_API_KEY", NoHeaders),
        new("xai", CloudProtocol.OpenAI, new Uri("https://api.x.ai/v1"), "XAI_API_KEY", NoHeaders),
        // The Inference Providers router: model ids like "Qwen/Qwen2.5-Coder-32B-Instruct", optionally ":provider".
        new("huggingface", CloudProtocol.OpenAI, new Uri("https://router.huggingface.co/v1"), "HF_TOKEN", NoHeaders),
        // A local Ollama server's OpenAI-compatible API: no key.
        new("ollama", CloudProtocol.OpenAI, new Uri("http://127.0.0.1:11434/v1"), null, NoHeaders),
        // OpenRouter attributes traffic to the app named in X-Title (optional, but the documented way to identify a client).
        new("openrouter", CloudProtocol.OpenAI, new Uri("https://openrouter.ai/api/v1"), "OPENROUTER_API_KEY",
            new Dictionary<string, string> { ["X-Title"] = "llmstruct" }),
    ];

    /// <summary>The preset of <paramref name="kind"/>; null for <c>local</c> and unknown kinds.</summary>
    public static CloudPreset? Find(string kind) => All.FirstOrDefault(p => p.Kind == kind);
}
