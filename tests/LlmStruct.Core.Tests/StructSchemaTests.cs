using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Schema;

namespace LlmStruct.Core.Tests;

public class StructSchemaTests
{
    [Fact]
    public void EmbeddedSchema_IsThePublishedFile()
    {
        var published = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "schema", "struct.schema.json"));
        Assert.Equal(published, StructSchema.Text);
    }

    [Fact]
    public void MinimalDocument_IsValid()
    {
        var result = StructSchema.Validate(StructJson.Serialize(new StructDocument { Project = new ProjectInfo { Name = "x" } }));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void BadDocument_ReportsLocations()
    {
        var doc = new StructDocument
        {
            Project = new ProjectInfo { Name = "x" },
            Modules = [new ModuleInfo { Path = "../escape.py", Language = "python", Sha256 = "nothex", Lines = 1 }],
            Errors = [new ParseError { File = "a.py", Line = 1, Column = 1, Reason = "" }],
        };
        var result = StructSchema.Validate(StructJson.Serialize(doc));
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.StartsWith("/modules/0/path", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("/modules/0/sha256", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("/errors/0/reason", StringComparison.Ordinal));
    }

    [Fact]
    public void MalformedJson_IsAnErrorNotAnException()
    {
        var result = StructSchema.Validate("{\"version\": "u8.ToArray());
        Assert.False(result.IsValid);
        Assert.StartsWith("not valid JSON", result.Errors[0]);
    }

    [Fact]
    public void UnknownProperty_IsRejected()
    {
        var result = StructSchema.Validate("""{"version":"1","project":{"name":"x"},"context":{},"instructions":{},"stats":{"modules":0,"definitions":0,"lines":0,"errors":0,"skipped":0},"metrics":{},"extra":1}"""u8.ToArray());
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Contains("extra", StringComparison.Ordinal) || e.StartsWith("/", StringComparison.Ordinal));
    }
}
