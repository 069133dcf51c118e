using System.Collections.Concurrent;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LlmStruct.Parsers.CSharp;
using LlmStruct.Parsers.JavaScript;
using LlmStruct.Parsers.Python;
using LlmStruct.Parsing;

namespace LlmStruct.Benchmarks;

/// <summary>
/// Single-threaded parser throughput on real corpora, reported in MB/s: Python over the machine's standard
/// library (a fixed, sorted 16 MB slice), JavaScript over the JavaScript shipped with npm, C# over this
/// repository's sources. A corpus that is not on the machine is reported as empty (0 files), not faked.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ParserBenchmarks
{
    private const long SliceBytes = 16L * 1024 * 1024;
    private static readonly ConcurrentDictionary<string, long> BytesPerOperation = new(StringComparer.Ordinal);

    private SourceFile[] _python = [];
    private SourceFile[] _javascript = [];
    private SourceFile[] _csharp = [];
    private readonly PythonParser _pythonParser = new();
    private readonly JavaScriptParser _javascriptParser = new();
    private readonly CSharpParser _csharpParser = new();

    [GlobalSetup]
    public void Setup()
    {
        _python = Load(Run("python3", "-c \"import sysconfig;print(sysconfig.get_paths()['stdlib'])\""), ["*.py"], SliceBytes);
        var npmRoot = Run("npm", "root -g");
        _javascript = Load(npmRoot is null ? null : Path.Combine(npmRoot, "npm"), ["*.js", "*.cjs", "*.mjs"], SliceBytes);
        _csharp = Load(Corpus.RepoSources, ["*.cs"], SliceBytes);
        BytesPerOperation[nameof(Python)] = _python.Sum(f => (long)f.Content.Length);
        BytesPerOperation[nameof(JavaScript)] = _javascript.Sum(f => (long)f.Content.Length);
        BytesPerOperation[nameof(CSharp)] = _csharp.Sum(f => (long)f.Content.Length);
        _bundle = SourceFile.FromText("bundle.min.js", MinifiedBundleText());
        BytesPerOperation[nameof(MinifiedBundle)] = _bundle.Content.Length;
        Console.WriteLine($"// corpora: python {_python.Length} files {BytesPerOperation[nameof(Python)]} B, javascript {_javascript.Length} files "
            + $"{BytesPerOperation[nameof(JavaScript)]} B, csharp {_csharp.Length} files {BytesPerOperation[nameof(CSharp)]} B");
    }

    [Benchmark]
    public int Python() => ParseAll(_pythonParser, _python);

    [Benchmark]
    public int JavaScript() => ParseAll(_javascriptParser, _javascript);

    [Benchmark]
    public int CSharp() => ParseAll(_csharpParser, _csharp);

    /// <summary>
    /// A 5 MB minified bundle on one line (the wall-clock check that used to sit in a unit test,
    /// <c>A_five_megabyte_minified_bundle_parses_whole</c>, which now only checks behaviour).
    /// </summary>
    [Benchmark]
    public int MinifiedBundle() => ParseAll(_javascriptParser, [_bundle]);

    private SourceFile _bundle = SourceFile.FromText("bundle.min.js", "");

    /// <summary>The same text as the unit test's: <c>var aN=function(b,c){…};</c> repeated to 5 MiB.</summary>
    internal static string MinifiedBundleText()
    {
        var sb = new System.Text.StringBuilder();
        int i = 0;
        while (sb.Length < 5 * 1024 * 1024)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"var a{i}=function(b,c){{return b.x{i}(c)+[1,2,{{k:c}}].map(function(d){{return d*{i}}})}};");
            i++;
        }
        return sb.ToString();
    }

    private static int ParseAll(ILanguageParser parser, SourceFile[] files)
    {
        int definitions = 0;
        foreach (var file in files)
        {
            definitions += parser.Parse(file).Module.Definitions.Length;
        }
        return definitions;
    }

    private static SourceFile[] Load(string? root, string[] patterns, long maxBytes)
    {
        if (root is null || !Directory.Exists(root))
        {
            return [];
        }
        var files = new List<SourceFile>();
        long total = 0;
        foreach (var path in patterns.SelectMany(p => Directory.EnumerateFiles(root, p, SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            if (path.Contains("/obj/", StringComparison.Ordinal) || path.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }
            var bytes = File.ReadAllBytes(path);
            if (total + bytes.Length > maxBytes)
            {
                break;
            }
            total += bytes.Length;
            files.Add(new SourceFile(Path.GetRelativePath(root, path).Replace('\\', '/'), bytes));
        }
        return [.. files];
    }

    internal static string? Run(string command, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>Adds an MB/s column computed from each benchmark's corpus size and its mean time.</summary>
    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new ThroughputColumn());
    }

    private sealed class ThroughputColumn : IColumn
    {
        public string Id => "MBps";
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Source megabytes (2^20 bytes) parsed per second, single-threaded";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            var mean = report?.ResultStatistics?.Mean;
            // The benchmark process filled the sizes; this host process recomputes them the same way.
            if (BytesPerOperation.IsEmpty)
            {
                new ParserBenchmarks().Setup();
            }
            return mean is > 0 && BytesPerOperation.TryGetValue(benchmarkCase.Descriptor.WorkloadMethod.Name, out var bytes)
                ? (bytes / 1048576.0 / (mean.Value / 1e9)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)
                : "-";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
