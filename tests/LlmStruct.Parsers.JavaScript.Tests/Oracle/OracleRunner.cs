using System.Diagnostics;
using System.Text.Json;

namespace LlmStruct.Parsers.JavaScript.Tests.Oracle;

/// <summary>What acorn made of one file (one line of <c>oracle.mjs</c> output).</summary>
internal sealed record OracleResult(string Path, bool Accepted, string? Docstring, List<string> Imports, List<string> Exports, List<string> Variables, List<string> Definitions, string? Error);

/// <summary>Finds node and the oracle, installs its packages when npm is there, and runs it over a list of files.</summary>
internal static class OracleRunner
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string OracleDirectory => Path.Combine(RepositoryRoot, "tests", "oracles", "javascript");

    public static string FixturesDirectory => Path.Combine(RepositoryRoot, "tests", "LlmStruct.Parsers.JavaScript.Tests", "fixtures");

    /// <summary>Null when the oracle can run; otherwise why not (the reason a test is skipped with).</summary>
    public static string? UnavailableReason()
    {
        if (Which("node") is null)
        {
            return "node is not installed: the acorn oracle cannot run";
        }
        if (!Directory.Exists(Path.Combine(OracleDirectory, "node_modules", "acorn")) && Which("npm") is null)
        {
            return "tests/oracles/javascript/node_modules is missing and npm is not installed to run setup.sh";
        }
        return null;
    }

    /// <summary>Runs <c>setup.sh</c> when node_modules is missing.</summary>
    public static void EnsureSetUp()
    {
        if (Directory.Exists(Path.Combine(OracleDirectory, "node_modules", "acorn-jsx")))
        {
            return;
        }
        var (code, output) = Run("bash", [Path.Combine(OracleDirectory, "setup.sh")], OracleDirectory, null);
        if (code != 0)
        {
            throw new InvalidOperationException($"setup.sh failed ({code}): {output}");
        }
    }

    /// <summary>The npm installation's own JavaScript (<c>$(npm root -g)/npm</c>), or null when npm is absent.</summary>
    public static string? NpmCorpusRoot()
    {
        if (Which("npm") is null)
        {
            return null;
        }
        var (code, output) = Run("npm", ["root", "-g"], RepositoryRoot, null);
        var root = Path.Combine(output.Trim(), "npm");
        return code == 0 && Directory.Exists(root) ? root : null;
    }

    public static List<string> JavaScriptFiles(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".cjs", StringComparison.Ordinal)
                || f.EndsWith(".mjs", StringComparison.Ordinal) || f.EndsWith(".jsx", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    public static Dictionary<string, OracleResult> Read(string root, IReadOnlyList<string> paths)
    {
        var (code, output) = Run("node", [Path.Combine(OracleDirectory, "oracle.mjs"), root], OracleDirectory, string.Join('\n', paths) + "\n");
        if (code != 0)
        {
            throw new InvalidOperationException($"oracle.mjs failed ({code}): {output[..Math.Min(2000, output.Length)]}");
        }
        var results = new Dictionary<string, OracleResult>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            List<string> List(string name) => e.TryGetProperty(name, out var a) ? [.. a.EnumerateArray().Select(x => x.GetString() ?? "")] : [];
            string path = e.GetProperty("path").GetString()!;
            results[path] = new OracleResult(path, e.GetProperty("accepted").GetBoolean(),
                e.TryGetProperty("docstring", out var docstring) && docstring.ValueKind == JsonValueKind.String ? docstring.GetString() : null, List("imports"), List("exports"), List("variables"),
                List("definitions"), e.TryGetProperty("error", out var err) ? err.ToString() : null);
        }
        return results;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root (LlmStruct.Sdk.sln) not found above " + AppContext.BaseDirectory);
    }

    internal static string? Which(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    internal static (int Code, string Output) Run(string file, IEnumerable<string> args, string workingDirectory, string? stdin)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
