using System.Runtime.CompilerServices;
using LlmStruct.Parsing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Cli;

/// <summary>
/// With a just-in-time compiler (the framework-dependent tool, <c>dotnet run</c>), the first file of each language pays
/// for compiling its parser — Roslyn's above all — and on a small project that is most of the run. Parsing one small
/// snippet per language on a pool thread while the command loads its configuration, opens the cache and discovers the
/// files moves that compilation off the critical path. The Native AOT tool has nothing to compile and skips it.
/// Results are thrown away; a failure here changes nothing.
/// </summary>
internal static class ParserWarmUp
{
    private static readonly Dictionary<string, (string Path, string Text)> Snippets = new(StringComparer.Ordinal)
    {
        ["python"] = ("warm.py", "import os\n\nclass A(object):\n    \"\"\"Doc.\"\"\"\n    def f(self, x: int = 1) -> int:\n        return os.path.join(str(x), f\"{x}\")\n"),
        ["csharp"] = ("Warm.cs", "using System;\nnamespace N;\n/// <summary>Doc.</summary>\npublic sealed class A\n{\n    public int F(int x = 1) => Math.Max(x, G());\n    private static int G() { return 2; }\n}\n"),
        ["javascript"] = ("warm.js", "import { b } from './b.js';\n/** Doc. */\nexport class A {\n  f(x = 1) { return b(x, () => x + 1); }\n}\nexport function g() { return new A().f(); }\n"),
    };

    /// <summary>Starts the warm-up when code is compiled at run time; returns at once.</summary>
    public static void Start(IServiceProvider services)
    {
        if (!RuntimeFeature.IsDynamicCodeCompiled)
        {
            return;
        }
        ILanguageParser[] parsers;
        try
        {
            parsers = [.. services.GetServices<ILanguageParser>()];
        }
        catch (InvalidOperationException)
        {
            return;
        }
        foreach (var parser in parsers)
        {
            if (Snippets.TryGetValue(parser.Language, out var snippet))
            {
                _ = Task.Run(() =>
                {
                    try
                    {
                        parser.Parse(SourceFile.FromText(snippet.Path, snippet.Text));
                    }
                    catch (Exception)
                    {
                        // A warm-up that fails is only a warm-up: the real parse reports whatever is wrong.
                    }
                });
            }
        }
    }
}
