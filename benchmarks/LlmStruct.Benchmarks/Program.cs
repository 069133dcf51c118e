using BenchmarkDotNet.Running;

if (args is ["measure-context", ..])
{
    LlmStruct.Benchmarks.ContextBenchmarks.Measure(args.Length > 1 ? Path.GetFullPath(args[1]) : LlmStruct.Benchmarks.Corpus.RepoSources);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
