namespace LlmStruct.Tasks;

/// <summary>Options of the tasks package (set through <see cref="TasksBuilderExtensions.AddTasks"/>).</summary>
public sealed class TasksOptions
{
    /// <summary>Prefix of allocated ids: <c>TSK</c> gives <c>TSK-001</c>, <c>TSK-002</c>…</summary>
    public string IdPrefix { get; set; } = "TSK";

    /// <summary>Digits of the number in an allocated id (zero-padded).</summary>
    public int IdDigits { get; set; } = 3;

    /// <summary>The store's path relative to the project root.</summary>
    public string DatabasePath { get; set; } = ".llmstruct/llmstruct.db";

    /// <summary>How long a command waits for another process holding the tasks lock, in milliseconds.</summary>
    public int LockTimeoutMs { get; set; } = 60_000;
}
