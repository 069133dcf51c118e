using System.Diagnostics;
using System.Text.Json;

namespace LlmStruct.Parsers.Python.Tests.Oracle;

/// <summary>Runs tests/oracles/python/py_oracle.py (CPython's ast.parse) over a list of files.</summary>
internal static class CpythonOracle
{
    private static readonly Lazy<string?> Python = new(FindPython);

    /// <summary>The python3 executable, or null when there is none.</summary>
    public static string? PythonPath => Python.Value;

    public static string? SkipReason => PythonPath is null ? "python3 was not found on PATH; the differential test needs CPython's ast module" : null;

    private static string? FindPython()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", "-c \"import sys; print(sys.version_info[0])\"")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (p is null)
            {
                return null;
            }
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 && output.Trim() == "3" ? "python3" : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(relative);
    }

    /// <summary>The Python standard library directory (site-packages lies under it).</summary>
    public static string StdlibDirectory()
    {
        using var p = Process.Start(new ProcessStartInfo("python3", "-c \"import sysconfig;print(sysconfig.get_paths()['stdlib'])\"")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        string dir = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return dir;
    }

    /// <summary>Every .py file under the directory, sorted ordinally.</summary>
    public static List<string> PythonFiles(string dir)
    {
        var files = Directory.EnumerateFiles(dir, "*.py", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Runs the oracle; returns one JSON element per file, keyed by path.</summary>
    public static Dictionary<string, JsonElement> Run(IReadOnlyList<string> files)
    {
        string list = Path.GetTempFileName();
        string output = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(list, files);
            string script = RepositoryFile("tests/oracles/python/py_oracle.py");
            using var p = Process.Start(new ProcessStartInfo(PythonPath!, $"\"{script}\" \"{list}\" \"{output}\"")
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException("py_oracle.py failed: " + err);
            }
            return Load(output);
        }
        finally
        {
            File.Delete(list);
            File.Delete(output);
        }
    }

    public static Dictionary<string, JsonElement> Load(string jsonl)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(jsonl))
        {
            if (line.Length == 0)
            {
                continue;
            }
            var e = JsonDocument.Parse(line).RootElement;
            result[e.GetProperty("path").GetString()!] = e;
        }
        return result;
    }
}
