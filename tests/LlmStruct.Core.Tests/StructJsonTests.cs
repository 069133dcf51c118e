using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Core.Tests;

public class StructJsonTests
{
    [Fact]
    public void Serialize_LeavesOutNullFalseAndEmpty_AndRoundTrips()
    {
        var doc = new StructDocument
        {
            Project = new ProjectInfo { Name = "demo" },
            Modules =
            [
                new ModuleInfo
                {
                    Path = "a.py", Language = "python", Sha256 = new string('0', 64), Lines = 3,
                    Definitions = [new Definition { Id = "a.py#f", Kind = "function", Name = "f", QualifiedName = "f", StartLine = 1, EndLine = 2, Async = true }],
                },
            ],
        };
        var bytes = StructJson.Serialize(doc);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"qualified_name\": \"f\"", text);
        Assert.Contains("\"async\": true", text);
        Assert.DoesNotContain("\"static\"", text);
        Assert.DoesNotContain("\"children\"", text);
        Assert.DoesNotContain("\r", text);
        Assert.EndsWith("}\n", text);
        Assert.Equal(bytes, StructJson.Serialize(StructJson.Deserialize(bytes)));
    }
}
