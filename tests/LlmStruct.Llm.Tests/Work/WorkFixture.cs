using System.Diagnostics;
using System.Text.Json.Nodes;
using LlmStruct.Model;

namespace LlmStruct.Llm.Tests.Work;

/// <summary>A small project on disk (src/calc.py, README.md) with its struct document.</summary>
public sealed class WorkFixture : IDisposable
{
    public const string Calc = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return add(a, -b)\n";

    public WorkFixture()
    {
        Parent = Path.Combine(Path.GetTempPath(), "llmstruct-work-tests", Guid.NewGuid().ToString("n"));
        Root = Path.Combine(Parent, "project");
        Directory.CreateDirectory(Path.Combine(Root, "src"));
        File.WriteAllText(Path.Combine(Root, "src", "calc.py"), Calc);
        File.WriteAllText(Path.Combine(Root, "README.md"), "# Calc\n");
    }

    /// <summary>Holds <see cref="Root"/>; a place outside the root to check nothing escapes.</summary>
    public string Parent { get; }

    public string Root { get; }

    public static StructDocument Document { get; } = new()
    {
        Project = new ProjectInfo { Name = "calc", Summary = "A tiny calculator." },
        Instructions = new InstructionSet { Base = ["Keep functions small."], Custom = ["Use type hints in new code."] },
        Modules =
        [
            new ModuleInfo
            {
                Path = "src/calc.py",
                Language = "python",
                Lines = 6,
                Docstring = "Arithmetic.",
                Definitions =
                [
                    new Definition
                    {
                        Id = "src/calc.py#add", Kind = DefinitionKinds.Function, Name = "add", QualifiedName = "add", StartLine = 1, EndLine = 2,
                        Parameters = [new ParameterInfo { Name = "a" }, new ParameterInfo { Name = "b" }],
                        CalledBy = ["src/calc.py#sub"],
                    },
                    new Definition
                    {
                        Id = "src/calc.py#sub", Kind = DefinitionKinds.Function, Name = "sub", QualifiedName = "sub", StartLine = 5, EndLine = 6,
                        Parameters = [new ParameterInfo { Name = "a" }, new ParameterInfo { Name = "b" }],
                        Calls = [new CallInfo { Callee = "add", Line = 6, Target = "src/calc.py#add" }],
                    },
                ],
            },
        ],
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Parent, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Every string in a request body (message contents in any shape), joined by new lines.</summary>
    public static string Texts(string body)
    {
        var parts = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (_, v) in o)
                    {
                        Walk(v);
                    }
                    break;
                case JsonArray a:
                    foreach (var v in a)
                    {
                        Walk(v);
                    }
                    break;
                case JsonValue v when v.TryGetValue(out string? s):
                    parts.Add(s);
                    break;
            }
        }
        Walk(JsonNode.Parse(body));
        return string.Join("\n", parts);
    }
}

/// <summary>A fact that is skipped, with the reason, when git is not on the PATH.</summary>
public sealed class GitFactAttribute : FactAttribute
{
    public GitFactAttribute()
    {
        if (!Git.Available)
        {
            Skip = "git is not on the PATH; the comparison with 'git apply' needs it";
        }
    }
}

/// <summary>Runs git.</summary>
public static class Git
{
    public static bool Available { get; } = Probe();

    public static (int Exit, string Output) Run(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", "core.autocrlf=false", "-c", "core.safecrlf=false" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static bool Probe()
    {
        try
        {
            return Run(Path.GetTempPath(), "--version").Exit == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
