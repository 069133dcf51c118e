using System.Diagnostics;
using LlmStruct.Parsers.Python;
using LlmStruct.Parsing;

// Parses every .py file under a directory in parallel and prints files, MB, MB/s, errors and peak working set.
// Usage: LlmStruct.Parsers.Python.Bench <dir> [--threads N] [--repeat R]
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: LlmStruct.Parsers.Python.Bench <dir> [--threads N] [--repeat R]");
    return 2;
}
string dir = args[0];
int threads = Environment.ProcessorCount;
int repeat = 1;
string mode = "full";
for (int i = 1; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--threads")
    {
        threads = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--mode")
    {
        mode = args[i + 1];
    }
    else if (args[i] == "--repeat")
    {
        repeat = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
var parser = new PythonParser();
if (mode == "stages")
{
    // Single-threaded breakdown of where the time goes (file read, decode, tokenize, parse, extract).
    long read = 0, decode = 0, tokenize = 0, parse = 0, extract = 0;
    char[]? chars = null;
    LlmStruct.Parsers.Python.Tokens.Token[]? tokens = null;
    for (int r = 0; r < repeat; r++)
    {
        foreach (var path in Directory.EnumerateFiles(dir, "*.py", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            long t0 = ThreadCpu.Ticks();
            byte[] content = File.ReadAllBytes(path);
            long t1 = ThreadCpu.Ticks();
            LlmStruct.Parsers.Python.Tokens.SourceDecoder.TryDecode(content, ref chars, out int length, out _, out _);
            long t2 = ThreadCpu.Ticks();
            if (tokens is null || tokens.Length < length / 3 + 16)
            {
                tokens = new LlmStruct.Parsers.Python.Tokens.Token[length / 3 + 1024];
            }
            var tokenizer = new LlmStruct.Parsers.Python.Tokens.Tokenizer(chars!, length, tokens);
            tokenizer.Run();
            tokens = tokenizer.Tokens;
            long t3 = ThreadCpu.Ticks();
            var tree = new Parser(chars!, tokenizer).ParseFile(CancellationToken.None);
            long t4 = ThreadCpu.Ticks();
            new StructureExtractor(path, chars!).Extract(tree);
            long t5 = ThreadCpu.Ticks();
            if (r == repeat - 1)
            {
                read += t1 - t0; decode += t2 - t1; tokenize += t3 - t2; parse += t4 - t3; extract += t5 - t4;
            }
        }
    }
    double f = 1e-6; // microseconds of this thread's CPU time
    Console.WriteLine($"thread CPU: read {read * f:F3} s, decode {decode * f:F3} s, tokenize {tokenize * f:F3} s, parse {parse * f:F3} s, extract {extract * f:F3} s");
    return 0;
}
var total = Stopwatch.StartNew();
for (int r = 0; r < repeat; r++)
{
    var sw = Stopwatch.StartNew();
    var files = Directory.EnumerateFiles(dir, "*.py", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 });
    long bytes = 0, count = 0, errors = 0, definitions = 0;
    Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => (0L, 0L, 0L, 0L), (path, state, local) =>
    {
        byte[] content = File.ReadAllBytes(path);
        if (mode != "full")
        {
            // Internal stages, for profiling: decode only, or decode + tokenize, or decode + tokenize + parse.
            char[]? chars = null;
            LlmStruct.Parsers.Python.Tokens.SourceDecoder.TryDecode(content, ref chars, out int length, out _, out _);
            if (mode != "decode")
            {
                var tokenizer = new LlmStruct.Parsers.Python.Tokens.Tokenizer(chars!, length);
                tokenizer.Run();
                if (mode == "parse")
                {
                    new Parser(chars!, tokenizer).ParseFile(CancellationToken.None);
                }
            }
            return (local.Item1 + content.Length, local.Item2 + 1, local.Item3, local.Item4);
        }
        var result = parser.Parse(new SourceFile(path, content));
        return (local.Item1 + content.Length, local.Item2 + 1, local.Item3 + result.Errors.Count, local.Item4 + result.Module.Definitions.Length);
    }, local =>
    {
        Interlocked.Add(ref bytes, local.Item1);
        Interlocked.Add(ref count, local.Item2);
        Interlocked.Add(ref errors, local.Item3);
        Interlocked.Add(ref definitions, local.Item4);
    });
    sw.Stop();
    double mb = bytes / 1024.0 / 1024.0;
    Console.WriteLine($"run {r + 1}: {count} files, {mb:F1} MB, {sw.Elapsed.TotalSeconds:F3} s, {mb / sw.Elapsed.TotalSeconds:F1} MB/s, " +
        $"{errors} files with errors, {definitions} top-level definitions, threads {threads}");
}
using var process = Process.GetCurrentProcess();
Console.WriteLine($"total {total.Elapsed.TotalSeconds:F3} s, peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:F0} MB");
return 0;

/// <summary>This thread's CPU time (user + system) from getrusage(RUSAGE_THREAD), in microseconds; immune to machine load.</summary>
internal static class ThreadCpu
{
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSec, UserUsec, SysSec, SysUsec;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVCsw, NIvCsw;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    public static long Ticks()
    {
        if (!OperatingSystem.IsLinux() || getrusage(1, out var u) != 0)
        {
            return Stopwatch.GetTimestamp() * 1_000_000 / Stopwatch.Frequency;
        }
        return (u.UserSec + u.SysSec) * 1_000_000 + u.UserUsec + u.SysUsec;
    }
}
