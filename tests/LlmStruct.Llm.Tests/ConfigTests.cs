using LlmStruct.Configuration;
using LlmStruct.Llm.Cloud;

namespace LlmStruct.Llm.Tests;

/// <summary>The <c>[llm]</c> section of llmstruct.toml.</summary>
public class ConfigTests
{
    private const string Toml = """
        [llm]
        order = ["qwen", "grok"]
        context_tokens = 1500

        [[llm.providers]]
        name = "grok"
        kind = "openai"
        endpoint = "https://api.x.ai/v1"
        model = "grok-3-mini"
        api_key_env = "XAI_API_KEY"
        context_window = 131072
        daily_quota = 25
        timeout_seconds = 30
        max_retries = 3
        retry_delay_ms = 250

        [[llm.providers]]
        name = "qwen"
        kind = "local"
        model_path = "models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
        context_window = 4096
        threads = 4
        gpu_layers = 20
        """;

    [Fact]
    public void LlmSection_Binds()
    {
        var loaded = ConfigLoader.Parse(Toml);

        Assert.Empty(loaded.Warnings);
        var llm = loaded.Options.Llm;
        Assert.Equal(["qwen", "grok"], llm.Order);
        Assert.Equal(1500, llm.ContextTokens);
        Assert.Equal(LlmOptions.DefaultUsageStore, llm.UsageStore);
        Assert.Equal(2, llm.Providers.Count);
        var grok = CloudModelOptions.FromConfig(llm.Providers[0]);
        Assert.Equal(CloudProtocol.OpenAI, grok.Protocol);
        Assert.Equal(new Uri("https://api.x.ai/v1"), grok.Endpoint);
        Assert.Equal("XAI_API_KEY", grok.ApiKeyEnv);
        Assert.Equal((131072, 25, 3), (grok.ContextWindow, grok.DailyQuota, grok.MaxRetries));
        Assert.Equal(TimeSpan.FromSeconds(30), grok.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), grok.RetryDelay);
        var qwen = llm.Providers[1];
        Assert.Equal(("local", 4096, 4, 20), (qwen.Kind, qwen.ContextWindow, qwen.Threads, qwen.GpuLayers));
    }

    [Fact]
    public void UnknownProviderKey_IsAWarning()
    {
        var loaded = ConfigLoader.Parse("""
            [[llm.providers]]
            name = "x"
            kind = "openai"
            model = "m"
            api_key = "sk-do-not-put-keys-here"
            """);
        Assert.Equal(["llmstruct.toml: unknown key 'llm.providers[0].api_key' is ignored"], loaded.Warnings);
    }

    [Theory]
    [InlineData("[[llm.providers]]\nname = \"x\"\nkind = \"gpt\"", "kind must be")]
    [InlineData("[[llm.providers]]\nname = \"x\"\nkind = \"local\"\n[[llm.providers]]\nname = \"x\"\nkind = \"local\"", "defined twice")]
    [InlineData("[llm]\norder = [\"missing\"]", "names 'missing'")]
    [InlineData("[[llm.providers]]\nname = \"x\"\nkind = \"openai\"\ntimeout_seconds = 0", "must be positive")]
    public void InvalidLlmSection_Throws(string toml, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(toml));
        Assert.Contains(expected, ex.Message);
    }
}
