namespace LlmStruct.Tasks.Store;

/// <summary>The tasks database cannot be used: locked by another process past the wait, damaged, or from a newer llmstruct.</summary>
public sealed class TaskStoreException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TaskStoreException(string message, bool damaged, Exception? inner = null) : base(message, inner) => Damaged = damaged;

    /// <summary>True when the file is damaged (not a database, failed integrity check): rebuilding it from llmstruct.toml is the remedy.</summary>
    public bool Damaged { get; }
}
