using LlmStruct.Tasks;

namespace LlmStruct.Serve.Api;

/// <summary>A task's version for optimistic concurrency: the first 16 hex digits of its content hash.</summary>
internal static class TaskVersion
{
    /// <summary>The version of <paramref name="task"/>: any change of its content changes it.</summary>
    public static string Of(ProjectTask task) => TaskContentHash.Compute(task)[..16];
}

/// <summary>The task changed since the client read it: the update is refused, nothing is written.</summary>
internal sealed class StaleTaskVersionException(string id, string current) : Exception($"task '{id}' changed since it was read (current version {current}); reload it and apply the change again")
{
    /// <summary>The current version.</summary>
    public string Current { get; } = current;
}
