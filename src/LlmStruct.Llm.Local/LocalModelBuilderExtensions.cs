using LlmStruct.Llm.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Llm;

/// <summary>Adds local GGUF models to the LLM chain.</summary>
public static class LocalModelBuilderExtensions
{
    /// <summary>
    /// Adds a GGUF model run in-process by LLamaSharp. The model is loaded once, on this provider's first use (never
    /// while a provider before it answers); a missing or invalid file makes this provider fail (logged, the chain moves
    /// on) with a message naming the file.
    /// Its context size is the context window the chain checks prompts against, counted with its own tokenizer.
    /// </summary>
    public static LlmBuilder AddLocalModel(this LlmBuilder builder, LocalModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var settings = new LlmProviderSettings
        {
            Name = options.Name,
            Model = options.DisplayModel,
            ContextWindow = (int)options.ContextSize,
            MaxOutputTokens = options.MaxOutputTokens,
            Temperature = options.Temperature,
        };
        return builder.AddProvider(settings, services =>
        {
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger("LlmStruct.Llm.Local");
            try
            {
                return LocalModel.Load(options, logger).AsChatClient(logger);
            }
            catch (LocalModelException ex)
            {
                // Surfaces through the chain as this provider's failure reason.
                throw new InvalidOperationException(ex.Message, ex);
            }
        });
    }
}
