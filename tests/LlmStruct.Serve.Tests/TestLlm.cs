using LlmStruct.Configuration;
using LlmStruct.Llm;
using LlmStruct.Llm.Cloud;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Serve.Tests;

/// <summary>The LLM composition a host gives the server (as the CLI does): the chain from <c>[llm]</c> with the cloud clients.</summary>
internal static class TestLlm
{
    public static IServiceProvider Services(LlmOptions llm, string projectDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var chain = services.AddLlmStruct().AddLlmStructLlm(o =>
        {
            o.UsageStorePath = Path.GetFullPath(llm.UsageStore, projectDirectory);
            foreach (var name in llm.Order)
            {
                o.Order.Add(name);
            }
        });
        foreach (var provider in llm.Providers)
        {
            chain.AddCloudModel(CloudModelOptions.FromConfig(provider));
        }
        return services.BuildServiceProvider();
    }

    /// <summary>llmstruct.toml's <c>[[llm.providers]]</c> entry for an OpenAI-compatible server (no retries: the script is exact).</summary>
    public static string Provider(Uri endpoint) => $"""

        [[llm.providers]]
        name = "fake"
        kind = "openai"
        endpoint = "{endpoint}"
        model = "fake-model"
        max_retries = 0

        """;
}
