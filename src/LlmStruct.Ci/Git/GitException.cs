namespace LlmStruct.Ci.Git;

/// <summary>A git command failed or the repository is not in a state a CI command can work with; the message says why in words.</summary>
public sealed class GitException(string message) : Exception(message);
