// A console host that embeds the LlmStruct SDK through DI: parse a folder, print a short outline, write struct.json.
// Usage: dotnet run --project samples/LlmStruct.Samples.Console -- <folder> [output]
using LlmStruct;
using LlmStruct.Configuration;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;

var root = args.Length > 0 ? args[0] : Path.Combine("samples", "demo-repo");
var output = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "llmstruct-sample-struct.json");

var services = new ServiceCollection();
services.AddLogging();
services.AddLlmStruct().AddCSharpParser();
using var provider = services.BuildServiceProvider();

var config = await ConfigLoader.LoadAsync(Path.Combine(root, LlmStructOptions.FileName));
var pipeline = provider.GetRequiredService<StructPipeline>();
var progress = new Progress<PipelineProgress>(p => Console.Error.Write($"\r{p.Completed}/{p.Total} {p.CurrentPath}".PadRight(60)));
var result = await pipeline.RunAsync(new PipelineRequest { Root = root, Options = config.Options }, progress);
Console.Error.WriteLine();

foreach (var module in result.Document.Modules)
{
    Console.WriteLine($"{module.Path} ({module.Language}, {module.Lines} lines)");
    Print(module.Definitions, "  ");
}
await StructFileWriter.WriteAsync(output, result.Document);
Console.WriteLine($"wrote {output}: {result.Document.Stats.Definitions} definitions, {result.Document.Stats.Errors} errors");

static void Print(IEnumerable<Definition> definitions, string indent)
{
    foreach (var definition in definitions)
    {
        Console.WriteLine($"{indent}{definition.Kind} {definition.Name}  [{definition.StartLine}-{definition.EndLine}]");
        Print(definition.Children, indent + "  ");
    }
}
