namespace LlmStruct.Cli.Tests;

public class ValidateCommandTests
{
    [Fact]
    public async Task Validate_ReportsSchemaProblems_WithExitOne()
    {
        using var dir = new TempDir();
        var file = dir.Write("struct.json", """{"version":"2","project":{}}""");

        var outcome = await CliRunner.RunAsync("validate", file);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("struct.json: /version:", outcome.Out);
        Assert.Contains("invalid", outcome.Error);
    }

    [Fact]
    public async Task Validate_ReportsNonCanonicalFiles()
    {
        using var dir = new TempDir();
        dir.Write("src/A.cs", "class A { }");
        var output = dir.PathOf("struct.json");
        Assert.Equal(0, (await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", output, "-q")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("validate", output)).ExitCode);

        var text = await File.ReadAllTextAsync(output);
        await File.WriteAllTextAsync(output, text.Replace("\n", "\r\n"));
        var outcome = await CliRunner.RunAsync("validate", output);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("not in canonical form", outcome.Out);
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsWithTwo()
    {
        var outcome = await CliRunner.RunAsync("validate", Path.Combine(Path.GetTempPath(), "no-such-struct-" + Environment.ProcessId + ".json"));
        Assert.Equal(2, outcome.ExitCode);
    }
}
