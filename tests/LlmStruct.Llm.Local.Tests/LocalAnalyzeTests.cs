using System.Text.Json;
using Json.Schema;
using LlmStruct.Llm.Usage;
using LlmStruct.Llm.Work;
using LlmStruct.Model;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Llm.Local.Tests;

/// <summary>
/// <c>analyze</c> with only the local model, as the CLI composes it (the chain from DI, the plan through
/// <see cref="LlmAssistant.CreateWorkPlugin"/>): the grammar makes the first answer a valid plan, so no retry is spent.
/// </summary>
[Collection("llama.cpp models")]
public sealed class LocalAnalyzeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmstruct-local-analyze", Guid.NewGuid().ToString("n"));

    public LocalAnalyzeTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static StructDocument Document() => new()
    {
        Project = new ProjectInfo { Name = "demo" },
        Modules =
        [
            new ModuleInfo { Path = "src/App.cs", Language = "csharp", Definitions = [new Definition { Id = "src/App.cs#Demo.App", Name = "App", QualifiedName = "Demo.App", Kind = "class" }] },
            new ModuleInfo
            {
                Path = "src/Parser.cs", Language = "csharp",
                Definitions =
                [
                    new Definition { Id = "src/Parser.cs#Demo.Parser", Name = "Parser", QualifiedName = "Demo.Parser", Kind = "class" },
                    new Definition { Id = "src/Parser.cs#Demo.Parser.Parse(string)", Name = "Parse", QualifiedName = "Demo.Parser.Parse", Kind = "method" },
                ],
            },
        ],
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnalyzeWithOnlyTheLocalModel_GivesASchemaValidPlan_OnTheFirstAttempt(bool largeStruct)
    {
        // A struct over the enum limit gets the ids of the files its context shows as the enum.
        var document = largeStruct ? Large() : Document();
        var model = TinyGguf.Write(Path.Combine(_dir, "tiny.gguf"));
        for (uint seed = 1; seed <= 8; seed++)
        {
            var usagePath = Path.Combine(_dir, $"usage-{largeStruct}-{seed}.db");
            var services = new ServiceCollection();
            services.AddLlmStruct()
                .AddLlmStructLlm(o => o.UsageStorePath = usagePath)
                .AddLocalModel(new LocalModelOptions
                {
                    Name = "qwen",
                    ModelPath = model,
                    ContextSize = 4096,
                    Threads = 1,
                    Temperature = 1.0f, // the sampler's full randomness: only the grammar keeps the answer valid
                    Seed = seed,
                });
            using var provider = services.BuildServiceProvider();
            var assistant = provider.GetRequiredService<LlmAssistant>();
            var plugin = assistant.CreateWorkPlugin(document, _dir, new WorkOptions { ContextTokens = 300 });

            var analysis = await plugin.AnalyzeTaskAsync("Add a --verbose flag to the parser.");

            Assert.True(analysis.Attempts == 1, $"seed {seed}: {analysis.Attempts} attempts");
            var usage = Assert.Single(await provider.GetRequiredService<IUsageStore>().SummarizeAsync());
            Assert.Equal(("qwen", 1L, 0L), (usage.Provider, usage.Calls, usage.Failures));
            // The plan as the CLI prints it with --json validates against the schema the model was given.
            var schema = JsonSchema.FromText(plugin.AnalysisSchema().GetRawText());
            using var json = JsonDocument.Parse(JsonSerializer.Serialize(analysis, WorkJson.Default.TaskAnalysis));
            var result = schema.Evaluate(WithoutAttempts(json.RootElement));
            Assert.True(result.IsValid, $"seed {seed}: {json.RootElement.GetRawText()}");
            Assert.All(analysis.AffectedSymbols, id => Assert.Contains(id, document.Modules.SelectMany(m => m.Definitions).Select(d => d.Id)));
        }
    }

    private static StructDocument Large() => new()
    {
        Project = new ProjectInfo { Name = "demo" },
        Modules =
        [
            new ModuleInfo
            {
                Path = "src/Big.cs", Language = "csharp",
                Definitions = [.. Enumerable.Range(0, StructWorkPlugin.MaxSymbolEnum + 1).Select(i => new Definition { Id = $"src/Big.cs#Demo.Big.M{i}()", Name = $"M{i}", QualifiedName = $"Demo.Big.M{i}", Kind = "method" })],
            },
        ],
    };

    // attempts is the client's bookkeeping, not part of the model's answer.
    private static JsonElement WithoutAttempts(JsonElement plan)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(plan.GetRawText())!.AsObject();
        node.Remove("attempts");
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
