using System.Text.Json;
using LlmStruct.Parsers.JavaScript;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.JavaScript.Tests;

public class SmokeTests
{
    [Theory]
    [InlineData("app.jsx")]
    [InlineData("service.js")]
    public void Dump(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", name));
        var result = new JavaScriptParser().Parse(new SourceFile(name, bytes));
        File.WriteAllText($"/tmp/{name}.json", JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault }));
        Assert.Empty(result.Errors);
    }
}
