using LlmStruct.Parsers.JavaScript;

namespace LlmStruct;

/// <summary>Adds the TypeScript parser to an LlmStruct host.</summary>
public static class TypeScriptParserBuilderExtensions
{
    /// <summary>Registers <see cref="TypeScriptParser"/> for <c>.ts .tsx .mts .cts</c> (<c>.d.ts</c> included).</summary>
    public static LlmStructBuilder AddTypeScriptParser(this LlmStructBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddParser<TypeScriptParser>();
    }
}
