namespace LlmStruct.Llm.Local;

/// <summary>A local model file is missing, is not a GGUF model, or llama.cpp refused it. The message names the file and the reason.</summary>
public sealed class LocalModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocalModelException(string message, Exception? inner = null) : base(message, inner) { }
}
