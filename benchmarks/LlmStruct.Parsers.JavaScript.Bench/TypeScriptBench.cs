using System.Diagnostics;
using LlmStruct.Parsers.JavaScript;
using LlmStruct.Parsing;

/// <summary>
/// TypeScriptParser throughput on a TypeScript tree, and TypeScriptParser against JavaScriptParser on the same
/// JavaScript bytes (files both accept), single thread, best of N, files in memory.
/// </summary>
internal static class TypeScriptBench
{
    public static void Run(string tsRoot, string jsRoot, int iterations)
    {
        var ts = Load(tsRoot, true, ".ts", ".tsx", ".mts", ".cts");
        var typescript = new TypeScriptParser();
        var javascript = new JavaScriptParser();
        double tsSeconds = Best(ts, typescript, iterations);
        long tsBytes = ts.Sum(f => (long)f.Content.Length);
        Console.WriteLine($"typescript_files={ts.Count} bytes={tsBytes} ts_parser_best_s={tsSeconds:F3} ts_parser_mb_s={Mb(tsBytes) / tsSeconds:F2}");

        // The same JavaScript bytes through both parsers (the TypeScript parser reads them as .ts); only files both accept.
        var all = Load(jsRoot, false, ".js", ".cjs", ".mjs");
        foreach (var reason in all.Select(f => typescript.Parse(AsTs(f)).Errors.FirstOrDefault()).OfType<LlmStruct.Model.ParseError>()
            .GroupBy(e => e.Reason).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.Error.WriteLine($"ts parser rejects {reason.Count()} js files: {reason.Key} (e.g. {reason.First().File}:{reason.First().Line}:{reason.First().Column})");
        }
        var js = all
            .Where(f => javascript.Parse(f).Errors.Count == 0 && typescript.Parse(AsTs(f)).Errors.Count == 0)
            .ToList();
        var jsAsTs = js.Select(AsTs).ToList();
        long jsBytes = js.Sum(f => (long)f.Content.Length);
        double jsSeconds = Best(js, javascript, iterations);
        double tsOnJsSeconds = Best(jsAsTs, typescript, iterations);
        Console.WriteLine($"same_bytes_files={js.Count} bytes={jsBytes} js_parser_best_s={jsSeconds:F3} ts_parser_best_s={tsOnJsSeconds:F3} ts_over_js_time_ratio={tsOnJsSeconds / jsSeconds:F2}");
    }

    private static SourceFile AsTs(SourceFile file) => new(file.Path + ".ts", file.Content);

    private static List<SourceFile> Load(string root, bool skipNodeModules, params string[] extensions) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal))
                && !(skipNodeModules && Path.GetRelativePath(root, f).Contains("node_modules", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .Select(f => new SourceFile(Path.GetRelativePath(root, f), File.ReadAllBytes(f)))];

    /// <summary>Best of <paramref name="iterations"/> timed passes over <paramref name="files"/> (after one warm-up pass), in seconds.</summary>
    public static double Best(List<SourceFile> files, ILanguageParser parser, int iterations)
    {
        foreach (var file in files)
        {
            parser.Parse(file);
        }
        var best = TimeSpan.MaxValue;
        for (int i = 0; i < iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var file in files)
            {
                parser.Parse(file);
            }
            watch.Stop();
            best = watch.Elapsed < best ? watch.Elapsed : best;
        }
        return best.TotalSeconds;
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
