using LlmStruct.Llm.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Llm.Chain;

/// <summary>Builds, once, every provider's middleware stack and the fallback client over them, in the configured order.</summary>
internal sealed class ProviderChain : IDisposable
{
    public ProviderChain(
        IServiceProvider services, IEnumerable<ProviderRegistration> registrations, LlmChainOptions options,
        IUsageStore store, TimeProvider time, ILoggerFactory loggers)
    {
        var links = Ordered([.. registrations], options.Order)
            .Select(r => new ChainLink(r.Settings, Compose(r, services, store, time)))
            .ToList();
        Client = new FallbackChatClient(links, loggers.CreateLogger("LlmStruct.Llm.Fallback"));
    }

    /// <summary>The whole chain as one client.</summary>
    public FallbackChatClient Client { get; }

    public void Dispose() => Client.Dispose();

    // Outermost first: defaults for the request, then the checks that skip without calling (quota, context fit),
    // then the meter, which records each call that really reaches the provider (its retries happen inside it).
    internal static IChatClient Compose(ProviderRegistration registration, IServiceProvider services, IUsageStore store, TimeProvider time)
    {
        var settings = registration.Settings;
        IChatClient raw = new LazyChatClient(settings.Name, () => registration.Factory(services));
        return new ChatClientBuilder(raw)
            .ConfigureOptions(o =>
            {
                o.MaxOutputTokens ??= settings.MaxOutputTokens;
                o.Temperature ??= settings.Temperature;
            })
            .Use(inner => new DailyQuotaChatClient(inner, settings, store, time))
            .Use(inner => new ContextFitChatClient(inner, settings))
            .Use(inner => new UsageMeteringChatClient(inner, settings, store, time))
            .Build(services);
    }

    private static IEnumerable<ProviderRegistration> Ordered(List<ProviderRegistration> registrations, IList<string> order)
    {
        var byName = new Dictionary<string, ProviderRegistration>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            if (!byName.TryAdd(registration.Settings.Name, registration))
            {
                throw new InvalidOperationException($"LLM provider '{registration.Settings.Name}' is added twice");
            }
        }
        if (order.Count == 0)
        {
            return registrations;
        }
        return order.Select(name => byName.TryGetValue(name, out var r)
            ? r
            : throw new InvalidOperationException($"the LLM fallback order names '{name}', which is not added"));
    }
}
