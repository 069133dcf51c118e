// Times LlmStruct.Parsers.JavaScript over every .js/.cjs/.mjs/.jsx file under a folder (read into memory first).
// Usage: dotnet run -c Release -- <folder> [iterations]
//        dotnet run -c Release -- ts <typescript-folder> <javascript-folder> [iterations]   (see benchmarks/typescript)
using System.Diagnostics;
using LlmStruct.Parsers.JavaScript;
using LlmStruct.Parsing;

if (args.Length > 0 && args[0] == "ts")
{
    TypeScriptBench.Run(args[1], args[2], args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5);
    return;
}

string root = args.Length > 0 ? args[0] : Environment.CurrentDirectory;
int iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
    .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".cjs", StringComparison.Ordinal)
        || f.EndsWith(".mjs", StringComparison.Ordinal) || f.EndsWith(".jsx", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal)
    .Select(f => new SourceFile(Path.GetRelativePath(root, f), File.ReadAllBytes(f)))
    .ToList();
long bytes = files.Sum(f => (long)f.Content.Length);
var parser = new JavaScriptParser();

int definitions = 0, errors = 0;
foreach (var file in files)
{
    // Warm-up pass; also the counts reported.
    var result = parser.Parse(file);
    errors += result.Errors.Count;
    definitions += result.Module.Definitions.Length;
}
var best = TimeSpan.FromSeconds(TypeScriptBench.Best(files, parser, iterations));
var parallel = Stopwatch.StartNew();
Parallel.ForEach(files, file => parser.Parse(file));
parallel.Stop();
// Where the time goes: Acornima's parse (SyntaxReader) against our extraction, on the calling thread.
var texts = files.Select(f => (f.Path, Text: System.Text.Encoding.UTF8.GetString(f.Content.Span))).ToList();
var readWatch = new Stopwatch();
var extractWatch = new Stopwatch();
foreach (var (path, text) in texts)
{
    readWatch.Start();
    var tree = LlmStruct.Parsers.JavaScript.Parsing.SyntaxReader.Read(text, LlmStruct.Parsers.JavaScript.Parsing.SourceKind.Auto, path.EndsWith(".jsx", StringComparison.Ordinal), out _);
    readWatch.Stop();
    if (tree is not null)
    {
        extractWatch.Start();
        LlmStruct.Parsers.JavaScript.Extraction.StructureExtractor.Extract(path, text, tree, CancellationToken.None);
        extractWatch.Stop();
    }
}
Console.WriteLine($"phases: syntax_s={readWatch.Elapsed.TotalSeconds:F3} extract_s={extractWatch.Elapsed.TotalSeconds:F3}");
double mb = bytes / (1024.0 * 1024.0);
Console.WriteLine($"files={files.Count} bytes={bytes} top_level_definitions={definitions} errors={errors}");
Console.WriteLine($"single_thread_best_s={best.TotalSeconds:F3} single_thread_mb_s={mb / best.TotalSeconds:F2}");
Console.WriteLine($"parallel_s={parallel.Elapsed.TotalSeconds:F3} parallel_mb_s={mb / parallel.Elapsed.TotalSeconds:F2} cores={Environment.ProcessorCount}");
