using BenchmarkDotNet.Running;

if (args is ["measure-context", ..])
{
    LlmStruct.Benchmarks.ContextBenchmarks.Measure(args.Length > 1 ? Path.GetFullPath(args[1]) : LlmStruct.Benchmarks.Corpus.RepoSources);
    return;
}
if (args is ["measure-raw", var dir, var extension])
{
    LlmStruct.Benchmarks.ContextBenchmarks.MeasureRaw(Path.GetFullPath(dir), extension);
    return;
}
if (args is ["measure-cochange", var repository])
{
    // The co-change index of a git work tree: cold (git log + parse, cache written) then warm (cache read + parse).
    var cacheRoot = Path.Combine(Path.GetTempPath(), "llmstruct-cochange-measure");
    if (Directory.Exists(cacheRoot))
    {
        Directory.Delete(cacheRoot, recursive: true);
    }
    foreach (var round in (string[])["cold", "warm", "warm"])
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var index = await LlmStruct.Ranking.CoChangeHistory.LoadAsync(Path.GetFullPath(repository), cacheRoot: cacheRoot);
        Console.WriteLine($"{round}: {stopwatch.Elapsed.TotalMilliseconds:0} ms, {index?.Commits} commits, {index?.Files} files");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
