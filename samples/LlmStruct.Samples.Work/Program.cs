// A console host that embeds the LlmStruct LLM layer: plan a task (analyze_task) and ask for a diff (generate_diff)
// over an existing struct.json, with the providers configured in a llmstruct.toml ([llm] section).
// Usage: dotnet run --project samples/LlmStruct.Samples.Work -- <llmstruct.toml> <struct.json> "<task>" [focus path]... [--apply]
using LlmStruct;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Llm;
using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Local;
using LlmStruct.Llm.Work;
using LlmStruct.Llm.Work.Diffs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: <llmstruct.toml> <struct.json> \"<task>\" [focus path]... [--apply]");
    return 2;
}
var configPath = Path.GetFullPath(args[0]);
var structPath = Path.GetFullPath(args[1]);
var task = args[2];
bool apply = args.Contains("--apply");
var focus = args.Skip(3).Where(a => a != "--apply").ToArray();
var projectDir = Path.GetDirectoryName(structPath)!;

var config = await ConfigLoader.LoadAsync(configPath);
var llm = config.Options.Llm;
if (llm.Providers.Count == 0)
{
    Console.Error.WriteLine($"no [[llm.providers]] in {configPath}");
    return 2;
}

// The SDK through DI: the fallback chain over every configured provider.
var services = new ServiceCollection();
services.AddLogging();
var chain = services.AddLlmStruct().AddLlmStructLlm(o => o.UsageStorePath = Path.GetFullPath(llm.UsageStore, projectDir));
foreach (var provider in llm.Providers)
{
    if (provider.Kind == "local")
    {
        chain.AddLocalModel(LocalModelOptions.FromConfig(provider, projectDir));
    }
    else
    {
        chain.AddCloudModel(CloudModelOptions.FromConfig(provider));
    }
}
using var serviceProvider = services.BuildServiceProvider();
var assistant = serviceProvider.GetRequiredService<LlmAssistant>();
var document = await StructJson.ReadFileAsync(structPath);

// The work plugin, registered on the assistant's kernel so an agent (or a prompt) can call its functions too.
var plugin = assistant.CreateWorkPlugin(document, projectDir, new WorkOptions { ContextTokens = llm.ContextTokens });
assistant.Kernel.Plugins.AddFromObject(plugin, "struct");
Console.WriteLine($"kernel functions: {string.Join(", ", assistant.Kernel.Plugins["struct"].Select(f => f.Name))}");

try
{
    var analysis = await plugin.AnalyzeTaskAsync(task);
    Console.WriteLine($"\n# Plan ({analysis.Attempts} attempt(s))\n{analysis.Summary}");
    Console.WriteLine("symbols: " + string.Join(", ", analysis.AffectedSymbols));
    foreach (var (step, i) in analysis.Steps.Select((s, i) => (s, i)))
    {
        Console.WriteLine($"{i + 1}. {step}");
    }
    Console.WriteLine($"estimate: {analysis.Estimate}");

    // Focus the diff on what the plan names when the caller gave no focus.
    var diffFocus = focus.Length > 0 ? focus : [.. analysis.AffectedFiles.Where(f => File.Exists(Path.Combine(projectDir, f)))];
    var proposal = await plugin.GenerateDiffAsync(task, diffFocus);
    Console.WriteLine($"\n# Diff ({proposal.Attempts} attempt(s), applies cleanly)\n{proposal.Diff}");
    if (apply)
    {
        await DiffApplier.WriteAsync(projectDir, proposal.Changes);
        Console.WriteLine(string.Join("\n", proposal.Changes.Select(c => $"{c.Kind} {c.Path}")));
    }
    return 0;
}
catch (LlmWorkException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (LlmUnavailableException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
