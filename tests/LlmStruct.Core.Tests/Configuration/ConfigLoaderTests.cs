using LlmStruct.Configuration;

namespace LlmStruct.Core.Tests.Configuration;

public class ConfigLoaderTests
{
    [Fact]
    public void Parse_BindsEverySection()
    {
        var loaded = ConfigLoader.Parse("""
            [project]
            name = "demo"
            summary = "A demo."

            [parsing]
            include = ["src/**"]
            exclude = ["**/generated/**", "*.g.cs"]
            use_gitignore = false
            max_file_bytes = 1000

            [instructions]
            custom = ["Use tabs.", "Never touch vendored code."]
            """);

        var o = loaded.Options;
        Assert.Equal("demo", o.Project.Name);
        Assert.Equal("A demo.", o.Project.Summary);
        Assert.Equal(["src/**"], o.Parsing.Include);
        Assert.Equal(["**/generated/**", "*.g.cs"], o.Parsing.Exclude);
        Assert.False(o.Parsing.UseGitignore);
        Assert.Equal(1000, o.Parsing.MaxFileBytes);
        Assert.Equal(["Use tabs.", "Never touch vendored code."], o.Instructions.Custom);
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Parse_EmptyText_GivesDefaults()
    {
        var o = ConfigLoader.Parse("").Options;
        Assert.True(o.Parsing.UseGitignore);
        Assert.Equal(ParsingOptions.DefaultMaxFileBytes, o.Parsing.MaxFileBytes);
        Assert.Empty(o.Instructions.Custom);
    }

    [Fact]
    public void Parse_UnknownKeys_AreWarningsNamingThem()
    {
        var loaded = ConfigLoader.Parse("""
            colour = "blue"
            [parsing]
            max_file_byte = 10
            """);
        Assert.Equal(
            ["llmstruct.toml: unknown key 'colour' is ignored", "llmstruct.toml: unknown key 'parsing.max_file_byte' is ignored"],
            loaded.Warnings);
    }

    [Fact]
    public void Parse_InvalidToml_ThrowsWithPosition()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("[project]\nname = \"x\"\nname = = 3\n"));
        Assert.StartsWith("llmstruct.toml:3:", ex.Message);
    }

    [Fact]
    public void Parse_DuplicateKey_Throws()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("[project]\nname = \"a\"\nname = \"b\"\n"));
        Assert.Contains("llmstruct.toml", ex.Message);
    }

    [Fact]
    public void Parse_WrongType_Throws()
    {
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("[parsing]\nmax_file_bytes = \"big\"\n"));
    }

    [Fact]
    public async Task LoadAsync_MissingFile_GivesDefaults()
    {
        var loaded = await ConfigLoader.LoadAsync(Path.Combine(Path.GetTempPath(), "does-not-exist-" + Environment.ProcessId, "llmstruct.toml"));
        Assert.Empty(loaded.Warnings);
        Assert.Null(loaded.Options.Project.Name);
    }
}
