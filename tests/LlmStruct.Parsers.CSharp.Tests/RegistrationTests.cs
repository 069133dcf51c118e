using LlmStruct.Parsing;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Parsers.CSharp.Tests;

public class RegistrationTests
{
    [Fact]
    public void AddCSharpParser_RegistersOnce_ForDotCs()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddCSharpParser().AddCSharpParser();
        using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<ParserRegistry>();
        var parser = Assert.IsType<CSharpParser>(registry.ForPath("src/Program.cs"));
        Assert.Single(registry.Parsers);
        Assert.Equal("csharp", parser.Language);
        Assert.Equal([".cs"], parser.Extensions);
    }

    [Fact]
    public void Parse_IsThreadSafe()
    {
        var sources = Enumerable.Range(0, 40)
            .Select(i => $"namespace N{i};\nclass C{i} {{ int M{i}(int a) => Helper.Run(a) + {i}; string S => $\"{{{i}}}\"; }}\n")
            .ToArray();
        var sequential = sources.Select(s => System.Text.Json.JsonSerializer.Serialize(TestParsing.Parse(s).Module)).ToArray();
        var parallel = new string[sources.Length];
        Parallel.For(0, sources.Length, i => parallel[i] = System.Text.Json.JsonSerializer.Serialize(TestParsing.Parse(sources[i]).Module));
        Assert.Equal(sequential, parallel);
    }
}
