using LlmStruct.Parsers.Python;

namespace LlmStruct;

/// <summary>Adds the Python parser to an LlmStruct host.</summary>
public static class PythonParserBuilderExtensions
{
    /// <summary>Registers <see cref="PythonParser"/> for <c>.py</c> and <c>.pyi</c> files.</summary>
    public static LlmStructBuilder AddPythonParser(this LlmStructBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddParser<PythonParser>();
    }
}
