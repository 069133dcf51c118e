using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Llm;

/// <summary>Returned by <c>AddLlmStructLlm()</c>; model packages add providers to it (<c>.AddLocalModel(…)</c>, <c>.AddCloudModel(…)</c>).</summary>
public sealed class LlmBuilder
{
    internal LlmBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection being composed.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Adds a provider backed by any <see cref="IChatClient"/>. The client is created once, on first use, and is
    /// wrapped in the chain's middleware (quota, context fit, usage metering). Providers are tried in the order they
    /// are added unless <see cref="LlmChainOptions.Order"/> says otherwise.
    /// </summary>
    public LlmBuilder AddProvider(LlmProviderSettings settings, Func<IServiceProvider, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.Name);
        Services.AddSingleton(new ProviderRegistration(settings, factory));
        return this;
    }
}

/// <summary>A provider added to the chain (see <see cref="LlmBuilder.AddProvider"/>).</summary>
internal sealed record ProviderRegistration(LlmProviderSettings Settings, Func<IServiceProvider, IChatClient> Factory);

/// <summary>Options of the fallback chain as a whole.</summary>
public sealed class LlmChainOptions
{
    /// <summary>Provider names in fallback order. Empty: the order they were added. When set, providers it leaves out are not used.</summary>
    public IList<string> Order { get; } = [];

    /// <summary>SQLite file of the usage store. Default <c>.llmstruct/usage.db</c> under the current folder.</summary>
    public string UsageStorePath { get; set; } = Path.Combine(".llmstruct", "usage.db");
}
