using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using LlmStruct.Model;
using LlmStruct.Parsers.JavaScript.Tests.Oracle;

namespace LlmStruct.Parsers.JavaScript.Tests.TypeScript;

/// <summary>What the TypeScript compiler's parser made of one file (one line of <c>ts_oracle.js</c> output).</summary>
internal sealed record TsOracleResult(string Path, bool Accepted, List<string> Definitions, string? Error);

/// <summary>Runs <c>tests/oracles/typescript/ts_oracle.js</c> (pinned npm <c>typescript</c>) over files, and finds the corpora.</summary>
internal static class TsOracle
{
    public static string Directory => Path.Combine(OracleRunner.RepositoryRoot, "tests", "oracles", "typescript");

    public static string FixturesDirectory => Path.Combine(OracleRunner.RepositoryRoot, "tests", "LlmStruct.Parsers.JavaScript.Tests", "TypeScript", "fixtures");

    /// <summary>Null when the oracle can run; otherwise why not.</summary>
    public static string? UnavailableReason()
    {
        if (OracleRunner.Which("node") is null)
        {
            return "node is not installed: the TypeScript oracle cannot run";
        }
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "typescript")) && OracleRunner.Which("npm") is null)
        {
            return "tests/oracles/typescript/node_modules is missing and npm is not installed to run setup.sh";
        }
        return null;
    }

    public static void EnsureSetUp()
    {
        if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "typescript")))
        {
            return;
        }
        var (code, output) = OracleRunner.Run("bash", [Path.Combine(Directory, "setup.sh")], Directory, null);
        if (code != 0)
        {
            throw new InvalidOperationException($"setup.sh failed ({code}): {output}");
        }
    }

    /// <summary>The <c>lib.*.d.ts</c> files inside the oracle's typescript package.</summary>
    public static string LibDirectory => Path.Combine(Directory, "node_modules", "typescript", "lib");

    /// <summary>The zod source tree from <c>../shared/corpora/zod-src.tar.gz</c>, unpacked once into a temp folder; null when absent.</summary>
    public static string? ZodArchive =>
        Path.Combine(OracleRunner.RepositoryRoot, "..", "shared", "corpora", "zod-src.tar.gz") is var archive && File.Exists(archive) ? archive : null;

    public static string? ZodRoot()
    {
        if (ZodArchive is not { } archive)
        {
            return null;
        }
        var target = Path.Combine(Path.GetTempPath(), "llmstruct-zod-src");
        var marker = Path.Combine(target, ".unpacked");
        if (!File.Exists(marker))
        {
            var staging = target + "." + Environment.ProcessId;
            System.IO.Directory.CreateDirectory(staging);
            using (var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, staging, overwriteFiles: true);
            }
            File.WriteAllText(Path.Combine(staging, ".unpacked"), "");
            try
            {
                System.IO.Directory.Move(staging, target);
            }
            catch (IOException)
            {
                // Another test process unpacked it first.
                System.IO.Directory.Delete(staging, recursive: true);
            }
        }
        return target;
    }

    public static List<string> TypeScriptFiles(string root) =>
        [.. System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ts", StringComparison.Ordinal) || f.EndsWith(".tsx", StringComparison.Ordinal)
                || f.EndsWith(".mts", StringComparison.Ordinal) || f.EndsWith(".cts", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("node_modules/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    public static Dictionary<string, TsOracleResult> Read(string root, IReadOnlyList<string> paths)
    {
        var (code, output) = OracleRunner.Run("node", [Path.Combine(Directory, "ts_oracle.js"), root], Directory, string.Join('\n', paths) + "\n");
        if (code != 0)
        {
            throw new InvalidOperationException($"ts_oracle.js failed ({code}): {output[..Math.Min(2000, output.Length)]}");
        }
        var results = new Dictionary<string, TsOracleResult>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            string path = e.GetProperty("path").GetString()!;
            var definitions = e.TryGetProperty("definitions", out var a) ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
            results[path] = new TsOracleResult(path, e.GetProperty("accepted").GetBoolean(), definitions,
                e.TryGetProperty("error", out var err) ? err.ToString() : null);
        }
        return results;
    }

    /// <summary>Our definitions as the oracle's canonical strings: id, kind, qualified name, lines, calls (callee, first line, count).</summary>
    public static List<string> Canonical(ModuleInfo module)
    {
        var lines = new List<string>();
        void Visit(Definition d)
        {
            string calls = string.Join(';', d.Calls.Select(c => $"{c.Callee}@{c.Line}*{c.Count}"));
            lines.Add($"{d.Id}|{d.Kind}|{d.QualifiedName}|{d.StartLine}-{d.EndLine}|calls={calls}");
            foreach (var child in d.Children)
            {
                Visit(child);
            }
        }
        foreach (var d in module.Definitions)
        {
            Visit(d);
        }
        return lines;
    }
}
