// The consumer test's second host: the LLM packages from the local feed, analyze_task called through Semantic Kernel
// against an OpenAI-compatible server on 127.0.0.1. Usage: analyze-host STRUCT_JSON ROOT ENDPOINT
using LlmStruct;
using LlmStruct.Json;
using LlmStruct.Llm;
using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

var (structPath, root, endpoint) = (args[0], args[1], args[2]);
var services = new ServiceCollection();
services.AddLlmStruct()
    .AddLlmStructLlm(chain => chain.UsageStorePath = Path.Combine("usage", "usage.db"))
    .AddCloudModel(new CloudModelOptions
    {
        Name = "loopback",
        Model = "consumer-test-model",
        Endpoint = new Uri(endpoint),
        ApiKeyEnv = "CONSUMER_TEST_API_KEY",
        MaxRetries = 0,
    });
using var provider = services.BuildServiceProvider();

var assistant = provider.GetRequiredService<LlmAssistant>();
var document = await StructJson.ReadFileAsync(structPath);
var plugin = assistant.CreateWorkPlugin(document, root);
assistant.Kernel.Plugins.AddFromObject(plugin, "struct");
var result = await assistant.Kernel.InvokeAsync("struct", "analyze_task",
    new KernelArguments { ["task"] = "Add a discount code to the basket total" });
var plan = result.GetValue<TaskAnalysis>() ?? throw new InvalidOperationException("analyze_task returned no plan");
Console.WriteLine($"summary: {plan.Summary}");
Console.WriteLine($"affected_symbols: {string.Join(",", plan.AffectedSymbols)}");
Console.WriteLine($"steps: {plan.Steps.Length}; attempts: {plan.Attempts}");
