using LlmStruct.Caching;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Parsers.CSharp;
using LlmStruct.Parsers.JavaScript;
using LlmStruct.Parsers.Python;
using LlmStruct.Parsing;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Caching;

/// <summary>
/// The linking fixtures of all three languages (C# links through a global name lookup, JavaScript through
/// package.json and re-exports): each file in turn gets body-only edits — lines shifted above everything, every
/// other line that is a call statement removed, a comment appended — and the patched struct.json must equal a cold run.
/// </summary>
public class PatchFixtureTests
{
    private static readonly LlmStructOptions Options = new() { Project = new ProjectOptions { Name = "p" } };

    private static StructPipeline Pipeline() => new(new ParserRegistry([new PythonParser(), new JavaScriptParser(), new CSharpParser()]));

    public static TheoryData<string> Fixtures => ["python", "javascript", "csharp"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task BodyEdits_InEveryFile_ArePatched_ToTheColdRunsBytes(string fixture)
    {
        using var tree = new TempTree();
        var source = Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "linking", fixture);
        var files = Directory.GetFiles(source, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(source, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();
        int clock = 0;
        foreach (var file in files)
        {
            File.SetLastWriteTimeUtc(tree.Write(file, await File.ReadAllTextAsync(Path.Combine(source, file))), new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++clock));
        }
        var output = Path.Combine(tree.Root, "out", "struct.json");
        var cacheDir = Path.Combine(tree.Root, ".llmstruct", "cache");
        await BuildAsync(tree.Root, output, cacheDir);

        int patched = 0;
        foreach (var file in files.Where(f => Path.GetExtension(f) is ".py" or ".js" or ".cs"))
        {
            var comment = file.EndsWith(".py", StringComparison.Ordinal) ? "#" : "//";
            var full = Path.Combine(tree.Root, file);
            var lines = (await File.ReadAllTextAsync(full)).Split('\n');
            // Drop every second call statement (a line that is just `name(...)` / `x.y(...);`): calls change, definitions stay.
            int calls = 0;
            var edited = lines.Where(l => !(IsCallStatement(l) && calls++ % 2 == 0)).ToList();
            edited.Insert(0, comment + " shifted");
            edited.Insert(0, "");
            edited.Add(comment + " edited");
            File.SetLastWriteTimeUtc(tree.Write(file, string.Join("\n", edited)), new DateTime(2022, 1, 2, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++clock));

            var result = await BuildAsync(tree.Root, output, cacheDir);
            var cold = StructJson.Serialize((await Pipeline().RunAsync(new PipelineRequest { Root = tree.Root, Options = Options })).Document);
            var written = await File.ReadAllBytesAsync(output);
            Assert.True(cold.SequenceEqual(written), $"{fixture}: {file}");
            patched += result.ChangedFiles;
        }
        Assert.True(patched > 0, "some edits were patched rather than rebuilt");
    }

    private static bool IsCallStatement(string line)
    {
        var t = line.Trim().TrimEnd(';');
        return t.Length > 2 && t.EndsWith(')') && !t.Contains(' ') && !t.StartsWith("def", StringComparison.Ordinal) && char.IsLetter(t[0]);
    }

    private static async Task<BuildResult> BuildAsync(string root, string output, string cacheDir)
    {
        using var cache = ParseCache.Open(cacheDir);
        return await Pipeline().BuildAsync(new PipelineRequest { Root = root, Options = Options, Cache = cache }, output);
    }
}
