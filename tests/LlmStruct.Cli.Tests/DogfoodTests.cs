using LlmStruct.Json;
using LlmStruct.Schema;
using LlmStruct.Testing;

namespace LlmStruct.Cli.Tests;

/// <summary>`llmstruct parse --input src/` on this repository, checked against the schema and against Roslyn's own symbols.</summary>
public class DogfoodTests
{
    [Fact]
    public async Task ParsingThisRepositorysSources_IsValid_AndMatchesRoslynsSymbols()
    {
        using var dir = new TempDir();
        var output = dir.PathOf("struct.json");
        var src = Path.Combine(CliRunner.RepoRoot, "src");

        var outcome = await CliRunner.RunAsync("parse", "--input", src, "--output", output, "--no-cache", "--quiet");

        Assert.Equal(0, outcome.ExitCode);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.Empty(StructValidator.Check(bytes));
        var document = StructJson.Deserialize(bytes);
        var csharp = document.Modules.Where(m => m.Language == "csharp").ToArray();
        Assert.True(csharp.Length >= 20, $"expected the repository's C# sources, found {csharp.Length}");
        Assert.Empty(document.Errors);

        var (differences, compared) = RoslynAgreement.Compare(src, csharp);
        Assert.True(compared > 200, $"only {compared} declarations compared");
        Assert.Empty(differences);
    }
}
