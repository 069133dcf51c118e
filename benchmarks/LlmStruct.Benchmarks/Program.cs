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
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
