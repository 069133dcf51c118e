using LlmStruct.Parsers.CSharp;

namespace LlmStruct;

/// <summary>Adds the C# parser to an LlmStruct host.</summary>
public static class CSharpParserBuilderExtensions
{
    /// <summary>Registers <see cref="CSharpParser"/> for <c>.cs</c> files.</summary>
    public static LlmStructBuilder AddCSharpParser(this LlmStructBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddParser<CSharpParser>();
    }
}
