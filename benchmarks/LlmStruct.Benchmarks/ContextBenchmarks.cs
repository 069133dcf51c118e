using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using LlmStruct.Configuration;
using LlmStruct.Context;
using LlmStruct.Json;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Benchmarks;

/// <summary>Rendering a token-budgeted context (rank, cut, exact recount) and linking, over this repository's sources.</summary>
[MemoryDiagnoser]
public class ContextBenchmarks
{
    private readonly ContextBuilder _builder = new();
    private StructDocument _document = null!;

    /// <summary>Token budget.</summary>
    [Params(1000, 4000, 16000)]
    public int Budget { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _document = ParseSources(Corpus.RepoSources);
        _builder.Build(_document, new ContextRequest { Budget = 100 }); // load the tokenizer outside the measurement
    }

    [Benchmark(Description = "render context (md, o200k)")]
    public int Render() => _builder.Build(_document, new ContextRequest { Budget = Budget }).Tokens;

    [Benchmark(Description = "link struct (imports, calls, rank, instructions)")]
    public int Link() => StructLinker.Default.Link(_document).Stats.CallEdgesResolved;

    internal static StructDocument ParseSources(string root)
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddCSharpParser();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<StructPipeline>().RunAsync(new PipelineRequest
        {
            Root = root,
            Options = new LlmStructOptions { Project = new ProjectOptions { Name = "llmstruct" } },
        }).GetAwaiter().GetResult().Document;
    }

    /// <summary>
    /// <c>dotnet run -c Release -- measure-context [DIR]</c>: tokens (o200k and cl100k) of the raw sources vs
    /// struct.json vs contexts at 1k/4k/16k, plus a cold render time, for docs/context.md.
    /// </summary>
    public static void Measure(string root)
    {
        var builder = new ContextBuilder();
        var document = ParseSources(root);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{root}: {document.Stats.Modules} files, {document.Stats.Definitions} definitions, {document.Stats.Lines} lines, "
            + $"imports {document.Stats.ImportsResolved}/{document.Stats.Imports} resolved, call edges {document.Stats.CallEdgesResolved} resolved / {document.Stats.CallEdgesUnresolved} unresolved"));
        var raw = string.Concat(document.Modules.Select(m => File.ReadAllText(Path.Combine(root, m.Path))));
        var structText = StructJson.SerializeToString(document);
        foreach (var tokenizer in ContextTokenizers.All)
        {
            Console.WriteLine(string.Create(inv, $"[{tokenizer}] raw source: {builder.CountTokens(raw, tokenizer)} tokens ({raw.Length} chars); struct.json: {builder.CountTokens(structText, tokenizer)} tokens ({structText.Length} chars)"));
            foreach (var budget in (int[])[1000, 4000, 16000])
            {
                foreach (var format in ContextFormats.All)
                {
                    var stopwatch = Stopwatch.StartNew();
                    var result = builder.Build(document, new ContextRequest { Budget = budget, Format = format, Tokenizer = tokenizer });
                    stopwatch.Stop();
                    Console.WriteLine(string.Create(inv,
                        $"[{tokenizer}] {format,-4} budget {budget,6}: {result.Tokens,6} tokens ({100.0 * result.Tokens / budget:0.0}%), {result.FilesIncluded}/{result.FilesTotal} files, {stopwatch.Elapsed.TotalMilliseconds:0} ms"));
                }
            }
        }
    }

    /// <summary>
    /// <c>dotnet run -c Release -- measure-raw DIR EXT</c>: tokens of every <c>*EXT</c> file under DIR — the raw
    /// baseline for corpora whose parser is not in this build yet (e.g. the Python library).
    /// </summary>
    public static void MeasureRaw(string root, string extension)
    {
        var builder = new ContextBuilder();
        var files = Directory.EnumerateFiles(root, "*" + extension, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        long chars = 0;
        var totals = ContextTokenizers.All.ToDictionary(t => t, _ => 0L);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            chars += text.Length;
            foreach (var tokenizer in ContextTokenizers.All)
            {
                totals[tokenizer] += builder.CountTokens(text, tokenizer);
            }
        }
        var counts = string.Join(", ", totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value} tokens")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{root}: {files.Count} {extension} files, {chars} chars; {counts}"));
    }
}
