using LlmStruct.Llm;
using LlmStruct.Llm.Chain;
using LlmStruct.Llm.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace LlmStruct;

/// <summary>DI entry point of the LLM layer.</summary>
public static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Adds the LLM layer: the fallback chain over the providers added to the returned builder, the usage store,
    /// <see cref="LlmAssistant"/> (the Semantic Kernel entry point), and for hosts that compose Semantic Kernel
    /// themselves: <see cref="IChatClient"/> (the chain with kernel function invocation),
    /// <see cref="IChatCompletionService"/>, <see cref="KernelPluginCollection"/> (every registered <see cref="KernelPlugin"/>)
    /// and <see cref="Kernel"/>. Call once.
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
        // The chain the way Semantic Kernel and Microsoft.Extensions.AI hosts compose it: an IChatClient that runs
        // the kernel's functions when the model calls them (FunctionChoiceBehavior.Auto), the chat completion
        // service over it, and a Kernel; services.AddKernel() before or after this finds the same services.
        services.TryAddSingleton<IChatClient>(sp => sp.GetRequiredService<LlmAssistant>().FunctionClient);
        services.TryAddSingleton<IChatCompletionService>(sp => sp.GetRequiredService<IChatClient>().AsChatCompletionService(sp));
        services.TryAddSingleton<KernelPluginCollection>(sp => new KernelPluginCollection(sp.GetServices<KernelPlugin>()));
        services.TryAddTransient(sp => new Kernel(sp, sp.GetRequiredService<KernelPluginCollection>()));
        return new LlmBuilder(services);
    }
}

/// <summary>Registers the struct work plugin for hosts that resolve a <see cref="Kernel"/> from DI.</summary>
public static class StructWorkPluginServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LlmStruct.Llm.Work.StructWorkPlugin"/> over the struct.json at <paramref name="structPath"/>
    /// (read when first resolved) with files under <paramref name="root"/>, and adds it as the kernel plugin
    /// <c>struct</c>, so a DI-built <see cref="Kernel"/> can call <c>struct-find_symbol</c> and the others.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("Semantic Kernel builds plugins from objects by reflection.")]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("Semantic Kernel builds plugins from objects by reflection.")]
    public static LlmBuilder AddStructWorkPlugin(this LlmBuilder builder, string structPath, string root, LlmStruct.Llm.Work.WorkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(structPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        builder.Services.TryAddSingleton(sp =>
        {
            var document = LlmStruct.Json.StructJson.ReadFileAsync(structPath).GetAwaiter().GetResult();
            return sp.GetRequiredService<LlmAssistant>().CreateWorkPlugin(document, root, options);
        });
        builder.Services.AddSingleton(sp => KernelPluginFactory.CreateFromObject(sp.GetRequiredService<LlmStruct.Llm.Work.StructWorkPlugin>(), "struct", sp.GetService<ILoggerFactory>()));
        return builder;
    }
}
