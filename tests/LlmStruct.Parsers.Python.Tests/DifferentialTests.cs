using LlmStruct.Parsers.Python.Tests.Oracle;
using Xunit.Abstractions;

namespace LlmStruct.Parsers.Python.Tests;

/// <summary>Skips when python3 is absent.</summary>
public sealed class PythonOracleFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when CPython is missing.</summary>
    public PythonOracleFactAttribute() => Skip = CpythonOracle.SkipReason;
}

/// <summary>Runs only with LLMSTRUCT_FULL_CORPUS=1 (and python3).</summary>
public sealed class FullCorpusFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason unless the full corpus is asked for.</summary>
    public FullCorpusFactAttribute() =>
        Skip = Environment.GetEnvironmentVariable("LLMSTRUCT_FULL_CORPUS") != "1"
            ? "set LLMSTRUCT_FULL_CORPUS=1 (tests/oracles/python/run-full.sh) to compare with CPython on every installed .py file"
            : CpythonOracle.SkipReason;
}

public sealed class DifferentialTests(ITestOutputHelper output)
{
    [PythonOracleFact]
    public void FastSubsetAgreesWithCpython()
    {
        string stdlib = CpythonOracle.StdlibDirectory();
        var all = CpythonOracle.PythonFiles(stdlib).Where(f => !f.Contains("/site-packages/", StringComparison.Ordinal)).ToList();
        // Deterministic sample: every k-th file of the sorted list.
        int step = Math.Max(1, all.Count / 300);
        var sample = all.Where((_, i) => i % step == 0).Take(300).ToList();
        var comparison = Run(sample);
        Assert.Equal(100.0, comparison.AcceptRejectPercent);
        Assert.True(comparison.DefinitionsPercent >= 99.9, comparison.Summary());
        Assert.True(comparison.CallSetsPercent >= 99.5, comparison.Summary());
    }

    [FullCorpusFact]
    public void FullCorpusAgreesWithCpython()
    {
        string root = Environment.GetEnvironmentVariable("LLMSTRUCT_CORPUS_DIR") is { Length: > 0 } dir ? dir : CpythonOracle.StdlibDirectory();
        var files = CpythonOracle.PythonFiles(root);
        var comparison = Run(files);
        Assert.Equal(100.0, comparison.AcceptRejectPercent);
        Assert.True(comparison.DefinitionsPercent >= 99.9, comparison.Summary());
        Assert.True(comparison.CallSetsPercent >= 99.5, comparison.Summary());
    }

    private DifferentialComparison Run(List<string> files)
    {
        string? cached = Environment.GetEnvironmentVariable("LLMSTRUCT_ORACLE_JSONL");
        var oracle = cached is { Length: > 0 } && File.Exists(cached) ? CpythonOracle.Load(cached) : CpythonOracle.Run(files);
        var comparison = new DifferentialComparison();
        foreach (var file in files)
        {
            if (oracle.TryGetValue(file, out var expected))
            {
                comparison.Compare(file, expected);
            }
        }
        output.WriteLine(comparison.Summary());
        foreach (var line in comparison.Python312Files)
        {
            output.WriteLine("3.12-only: " + line);
        }
        foreach (var line in comparison.Disagreements.Take(200))
        {
            output.WriteLine(line);
        }
        if (Environment.GetEnvironmentVariable("LLMSTRUCT_ORACLE_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllLines(report, [comparison.Summary(), .. comparison.Python312Files.Select(l => "3.12-only: " + l), .. comparison.Disagreements]);
        }
        return comparison;
    }
}

public sealed class Python312Tests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("def f[T](x: T) -> T: return x", true)]
    [InlineData("class C[T]: pass", true)]
    [InlineData("type X = int", true)]
    [InlineData("x = f'{d['k']}'", true)]
    [InlineData("x = f'{a\\\n}'", true)]
    [InlineData("x = f'''{a # note\n}'''", true)]
    [InlineData("x = f'{d[\"k\"]}'", false)]
    [InlineData("def f(x): return x", false)]
    public void FlagsSyntaxNewInPython312(string code, bool uses312)
    {
        var (result, flagged) = PythonParser.ParseDetailed(LlmStruct.Parsing.SourceFile.FromText("m.py", code));
        Assert.Empty(result.Errors);
        Assert.Equal(uses312, flagged);
    }

    [PythonOracleFact]
    public void Python312FixturesDifferOnlyBy312Syntax()
    {
        var files = CpythonOracle.PythonFiles(CpythonOracle.RepositoryFile("tests/oracles/python/fixtures/py312"));
        var oracle = CpythonOracle.Run(files);
        var comparison = new DifferentialComparison();
        foreach (var file in files)
        {
            comparison.Compare(file, oracle[file]);
        }
        output.WriteLine(comparison.Summary());
        bool cpythonIs312 = oracle.Values.All(o => o.GetProperty("ok").GetBoolean());
        Assert.Equal(100.0, comparison.AcceptRejectPercent);
        Assert.Equal(cpythonIs312 ? 0 : files.Count, comparison.OnlyPython312Differs);
    }
}
