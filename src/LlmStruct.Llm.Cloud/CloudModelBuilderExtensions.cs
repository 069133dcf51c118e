using LlmStruct.Llm.Cloud;

namespace LlmStruct.Llm;

/// <summary>Adds cloud models to the LLM chain.</summary>
public static class CloudModelBuilderExtensions
{
    /// <summary>
    /// Adds an OpenAI-compatible or Anthropic model. Its key is read from <see cref="CloudModelOptions.ApiKeyEnv"/>
    /// when the chain is first used; a configured but unset variable is an error then.
    /// </summary>
    public static LlmBuilder AddCloudModel(this LlmBuilder builder, CloudModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var settings = new LlmProviderSettings
        {
            Name = options.Name,
            Model = options.Model,
            ContextWindow = options.ContextWindow,
            MaxOutputTokens = options.MaxOutputTokens,
            DailyQuota = options.DailyQuota,
            Temperature = options.Temperature,
        };
        return builder.AddProvider(settings, _ => CloudChatClientFactory.Create(options));
    }
}
