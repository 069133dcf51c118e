using BenchmarkDotNet.Attributes;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Benchmarks;

/// <summary>The whole parse pipeline (discover → parse → assemble → serialize) over this repository's sources.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private StructPipeline _pipeline = null!;
    private StructDocument _document = null!;

    /// <summary>Parallelism of the run: one thread, and every core.</summary>
    [Params(1, 0)]
    public int Jobs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddCSharpParser();
        _pipeline = services.BuildServiceProvider().GetRequiredService<StructPipeline>();
        _document = Run().Document;
    }

    [Benchmark(Description = "parse src/ (C#)")]
    public int ParseRepository() => Run().Document.Stats.Definitions;

    [Benchmark(Description = "serialize struct.json")]
    public int Serialize() => StructJson.Serialize(_document).Length;

    private PipelineResult Run() => _pipeline.RunAsync(new PipelineRequest
    {
        Root = Corpus.RepoSources,
        Options = new LlmStructOptions { Project = new ProjectOptions { Name = "bench" } },
        MaxDegreeOfParallelism = Jobs == 0 ? Environment.ProcessorCount : Jobs,
    }).GetAwaiter().GetResult();
}
