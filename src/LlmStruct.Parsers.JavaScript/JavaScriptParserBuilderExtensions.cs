using LlmStruct.Parsers.JavaScript;

namespace LlmStruct;

/// <summary>Adds the JavaScript parser to an LlmStruct host.</summary>
public static class JavaScriptParserBuilderExtensions
{
    /// <summary>Registers <see cref="JavaScriptParser"/> for <c>.js .mjs .cjs .jsx</c>.</summary>
    public static LlmStructBuilder AddJavaScriptParser(this LlmStructBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddParser<JavaScriptParser>();
    }
}
