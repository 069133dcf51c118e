using LlmStruct.Json;
using LlmStruct.Schema;

namespace LlmStruct.Cli.Tests;

public class ParseCommandTests
{
    private const string Sample = """
        namespace Demo;

        /// <summary>Says hello.</summary>
        public static class Greeter
        {
            public static string Hello(string name) => string.Concat("Hello, ", name);
        }
        """;

    [Fact]
    public async Task Parse_WritesAValidCanonicalFile_AndSummarises()
    {
        using var dir = new TempDir();
        dir.Write("src/Greeter.cs", Sample);
        var output = dir.PathOf("out/struct.json");

        var outcome = await CliRunner.RunAsync("parse", "--input", dir.PathOf("src"), "--output", output);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("Parsed 1 files (csharp 1, 0 from cache)", outcome.Error);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.Empty(StructValidator.Check(bytes));
        var doc = StructJson.Deserialize(bytes);
        Assert.Equal("src", doc.Project.Name);
        Assert.Equal("Greeter.cs", Assert.Single(doc.Modules).Path);

        var again = await CliRunner.RunAsync("parse", "--input", dir.PathOf("src"), "--output", output, "--quiet");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("", again.Error);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public async Task Parse_ReadsTypeScript_AndLinksItThroughTsconfigPaths()
    {
        using var dir = new TempDir();
        dir.Write("app/tsconfig.json", "{ \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@/*\": [\"src/*\"] } } }");
        dir.Write("app/src/shapes.ts", "/** A shape. */\nexport interface Shape { area(): number }\nexport type Id = string;\nexport function area(s: Shape): number { return s.area(); }\n");
        dir.Write("app/src/main.tsx", "import { area } from '@/shapes';\nexport const App = () => <div>{area(square)}</div>;\n");
        var output = dir.PathOf("struct.json");

        var outcome = await CliRunner.RunAsync("parse", "--input", dir.PathOf("app"), "--output", output);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("typescript 2", outcome.Error);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.Empty(StructValidator.Check(bytes));
        var doc = StructJson.Deserialize(bytes);
        var shapes = doc.Modules.Single(m => m.Path == "src/shapes.ts");
        Assert.Equal("typescript", shapes.Language);
        Assert.Equal(["interface", "type_alias", "function"], shapes.Definitions.Select(d => d.Kind));
        var main = doc.Modules.Single(m => m.Path == "src/main.tsx");
        Assert.Equal("src/shapes.ts", Assert.Single(main.Imports).Resolved);
        var app = Assert.Single(main.Definitions);
        Assert.Equal(("component", "src/shapes.ts#area"), (app.Kind, Assert.Single(app.Calls).Target));
    }

    [Fact]
    public async Task FailOnError_ExitsWithOne_WhenAFileHasErrors()
    {
        using var dir = new TempDir();
        dir.Write("Broken.cs", "class C { void M( { }");
        dir.Write("Fine.cs", Sample);
        var output = dir.PathOf("struct.json");

        var lenient = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", output);
        var strict = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", output, "--fail-on-error");

        Assert.Equal(0, lenient.ExitCode);
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("Broken.cs:1:", strict.Error);
        var doc = StructJson.Deserialize(await File.ReadAllBytesAsync(output));
        Assert.Equal(2, doc.Modules.Length);
        Assert.All(doc.Errors, e => Assert.Equal("Broken.cs", e.File));
    }

    [Fact]
    public async Task ConfigFile_IsFoundInTheInputFolder_AndUnknownKeysWarn()
    {
        using var dir = new TempDir();
        dir.Write("A.cs", Sample);
        dir.Write("llmstruct.toml", "[project]\nname = \"configured\"\nflavour = 1\n[instructions]\ncustom = [\"Keep it short.\"]\n");
        var output = dir.PathOf("struct.json");

        var outcome = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", output);

        Assert.Equal(0, outcome.ExitCode);
        Assert.Contains("warning: llmstruct.toml: unknown key 'project.flavour' is ignored", outcome.Error);
        var doc = StructJson.Deserialize(await File.ReadAllBytesAsync(output));
        Assert.Equal("configured", doc.Project.Name);
        Assert.Equal("Keep it short.", Assert.Single(doc.Instructions.Custom));
    }

    [Theory]
    [InlineData("parse")]
    [InlineData("parse --input")]
    [InlineData("frobnicate")]
    [InlineData("parse --input . --jobs zero")]
    [InlineData("parse --input . --jobs 0")]
    public async Task BadUsage_ExitsWithTwo(string commandLine)
    {
        var outcome = await CliRunner.RunAsync(commandLine.Split(' '));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error:", outcome.Error);
    }

    [Fact]
    public async Task MissingInput_InvalidConfig_AndUnwritableOutput_ExitWithTwo()
    {
        using var dir = new TempDir();
        dir.Write("A.cs", Sample);
        dir.Write("bad.toml", "[project\n");
        dir.Write("blocker", "a file where a folder should be");

        var missing = await CliRunner.RunAsync("parse", "-i", dir.PathOf("nope"), "-o", dir.PathOf("s.json"));
        var badConfig = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", dir.PathOf("s.json"), "--config", dir.PathOf("bad.toml"));
        var unwritable = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", dir.PathOf("blocker/struct.json"));

        Assert.Equal((2, 2, 2), (missing.ExitCode, badConfig.ExitCode, unwritable.ExitCode));
        Assert.Contains("input folder not found", missing.Error);
        Assert.Contains("bad.toml:", badConfig.Error);
        Assert.Contains("error:", unwritable.Error);
    }
}
