using BenchmarkDotNet.Attributes;
using LlmStruct;
using LlmStruct.Configuration;
using LlmStruct.Context;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Benchmarks;

/// <summary>
/// A warm render at 8k tokens over the machine's whole Python library (the interpreter's lib/python3.x: standard
/// library plus site-packages), parsed and linked once in setup; the file graph and tokenizer are warm.
/// <c>dotnet run -c Release -- --filter '*PythonLibraryContext*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class PythonLibraryContextBenchmarks
{
    private readonly ContextBuilder _builder = new();
    private StructDocument _document = null!;

    /// <summary>The focus: none (the whole library's PageRank) or one module.</summary>
    [Params("", "json/decoder.py")]
    public string Focus { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var root = ParserBenchmarks.Run("python3", "-c \"import sysconfig;print(sysconfig.get_paths()['stdlib'])\"")?.Trim()
            ?? throw new InvalidOperationException("python3 not found: the benchmark needs the machine's Python library");
        var services = new ServiceCollection();
        services.AddLlmStruct().AddPythonParser();
        using var provider = services.BuildServiceProvider();
        _document = provider.GetRequiredService<StructPipeline>().RunAsync(new PipelineRequest
        {
            Root = root,
            Options = new LlmStructOptions { Project = new ProjectOptions { Name = "python-library" } },
        }).GetAwaiter().GetResult().Document!;
        Console.WriteLine($"// {root}: {_document.Modules.Length} files, {_document.Stats.Definitions} definitions");
        Render(); // warm: tokenizer, file graph
    }

    [Benchmark(Description = "render context at 8k (md, o200k)")]
    public int Render() => _builder.Build(_document, new ContextRequest { Budget = 8000, Focus = Focus.Length == 0 ? [] : [Focus] }).Tokens;
}
