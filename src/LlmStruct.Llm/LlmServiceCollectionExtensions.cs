using LlmStruct.Llm;
using LlmStruct.Llm.Chain;
using LlmStruct.Llm.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct;

/// <summary>DI entry point of the LLM layer.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Adds the LLM layer: the fallback chain over the providers added to the returned builder, the usage store,
    /// and <see cref="LlmAssistant"/> (the Semantic Kernel entry point). Call once.
    /// </summary>
    public static LlmBuilder AddLlmStructLlm(this LlmStructBuilder builder, Action<LlmChainOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new LlmChainOptions();
        configure?.Invoke(options);
        var services = builder.Services;
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IUsageStore>(sp => new SqliteUsageStore(sp.GetRequiredService<LlmChainOptions>().UsageStorePath));
        services.TryAddSingleton(sp => new ProviderChain(
            sp, sp.GetServices<ProviderRegistration>(), sp.GetRequiredService<LlmChainOptions>(), sp.GetRequiredService<IUsageStore>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddSingleton(sp => new LlmAssistant(sp.GetRequiredService<ProviderChain>(), sp));
        return new LlmBuilder(services);
    }
}
