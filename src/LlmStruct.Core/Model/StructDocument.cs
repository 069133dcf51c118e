using System.Collections.Immutable;

namespace LlmStruct.Model;

/// <summary>
/// The root of <c>struct.json</c>: everything LlmStruct knows about one codebase.
/// Property order here is the order in the canonical JSON.
/// </summary>
public sealed record StructDocument
{
    /// <summary>The current version of the struct.json format.</summary>
    public const string CurrentVersion = "1";

    /// <summary>Format version of this document (always <see cref="CurrentVersion"/> when written by this library).</summary>
    public string Version { get; init; } = CurrentVersion;

    /// <summary>Name and summary of the project.</summary>
    public ProjectInfo Project { get; init; } = new();

    /// <summary>Summary and key files for an LLM reader.</summary>
    public ContextInfo Context { get; init; } = new();

    /// <summary>Base instructions derived from the code plus custom ones from configuration.</summary>
    public InstructionSet Instructions { get; init; } = new();

    /// <summary>Counts over the whole document.</summary>
    public StructStats Stats { get; init; } = new();

    /// <summary>One entry per parsed source file, ordered by ordinal path.</summary>
    public ImmutableArray<ModuleInfo> Modules { get; init; } = [];

    /// <summary>Problems found while reading or parsing files, ordered by file, line, column, reason.</summary>
    public ImmutableArray<ParseError> Errors { get; init; } = [];

    /// <summary>Files that were found but deliberately not parsed (binary, too large…), ordered by path.</summary>
    public ImmutableArray<SkippedFile> Skipped { get; init; } = [];

    /// <summary>Project tasks (from <c>llmstruct.toml</c> and trackers), ordered by id.</summary>
    public ImmutableArray<TaskItem> Tasks { get; init; } = [];

    /// <summary>Aggregated usage metrics (deterministic aggregates only, never timestamps).</summary>
    public MetricsInfo Metrics { get; init; } = new();
}

/// <summary>Name and human summary of the project.</summary>
public sealed record ProjectInfo
{
    /// <summary>Project name (from <c>[project] name</c>, else the input folder's name).</summary>
    public string Name { get; init; } = "";

    /// <summary>Optional one-paragraph description.</summary>
    public string? Summary { get; init; }
}

/// <summary>The part of struct.json written for an LLM reader first.</summary>
public sealed record ContextInfo
{
    /// <summary>What the project is, in a paragraph.</summary>
    public string? Summary { get; init; }

    /// <summary>Key files (entry points, top-ranked files), most important first.</summary>
    public ImmutableArray<ContextFile> Files { get; init; } = [];
}

/// <summary>A key file named in <see cref="ContextInfo.Files"/>.</summary>
public sealed record ContextFile
{
    /// <summary>Path relative to the root, with '/'.</summary>
    public string Path { get; init; } = "";

    /// <summary>Why the file is key, e.g. <c>entry_point</c> or <c>top_ranked</c>.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>Instructions handed to an LLM along with the structure.</summary>
public sealed record InstructionSet
{
    /// <summary>Rules derived from the code itself; the same code gives the same rules.</summary>
    public ImmutableArray<string> Base { get; init; } = [];

    /// <summary>Rules the project adds in <c>llmstruct.toml</c> <c>[instructions] custom</c>, in file order.</summary>
    public ImmutableArray<string> Custom { get; init; } = [];
}

/// <summary>A file that was found but not parsed, and why.</summary>
public sealed record SkippedFile
{
    /// <summary>Path relative to the root, with '/'.</summary>
    public string Path { get; init; } = "";

    /// <summary>Why it was skipped, e.g. "binary file" or "larger than max_file_bytes (…)".</summary>
    public string Reason { get; init; } = "";
}

/// <summary>
/// A project task (written by the tasks package from <c>llmstruct.toml</c>). Lists are sets: written sorted ordinally.
/// Property order here is the order in the canonical JSON.
/// </summary>
public sealed record TaskItem
{
    /// <summary>Stable task id, e.g. <c>TSK-011</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>One-line title.</summary>
    public string Title { get; init; } = "";

    /// <summary>Status: <c>open</c>, <c>in_progress</c>, <c>blocked</c>, <c>done</c> or <c>cancelled</c>.</summary>
    public string Status { get; init; } = "open";

    /// <summary>Optional longer description (markdown).</summary>
    public string? Description { get; init; }

    /// <summary>Labels, sorted ordinally.</summary>
    public ImmutableArray<string> Labels { get; init; } = [];

    /// <summary>Free-form priority, or null.</summary>
    public string? Priority { get; init; }

    /// <summary>Assignees (<c>@name</c>), sorted ordinally.</summary>
    public ImmutableArray<string> Assignees { get; init; } = [];

    /// <summary>Milestone, or null.</summary>
    public string? Milestone { get; init; }

    /// <summary>Ids of the tasks this one waits for, sorted ordinally.</summary>
    public ImmutableArray<string> DependsOn { get; init; } = [];

    /// <summary>Files the task concerns (paths relative to the root, with '/'), sorted ordinally.</summary>
    public ImmutableArray<string> Files { get; init; } = [];

    /// <summary>
    /// Code the task concerns: definition ids where the reference resolved (a qualified name becomes the id of the
    /// definition it names), the reference as written where it did not; sorted ordinally.
    /// </summary>
    public ImmutableArray<string> Symbols { get; init; } = [];

    /// <summary>References in <see cref="Files"/>, <see cref="Symbols"/> or <see cref="DependsOn"/> that match nothing (reported, not dropped), sorted ordinally.</summary>
    public ImmutableArray<string> Unresolved { get; init; } = [];

    /// <summary>The GitHub issue that tracks the task, or null.</summary>
    public TaskGitHubLink? Github { get; init; }

    /// <summary>The GitLab issue that tracks the task, or null.</summary>
    public TaskGitLabLink? Gitlab { get; init; }
}

/// <summary>A GitHub issue named by a task.</summary>
public sealed record TaskGitHubLink
{
    /// <summary>Issue number.</summary>
    public long Number { get; init; }

    /// <summary>Web address, or null.</summary>
    public string? Url { get; init; }
}

/// <summary>A GitLab issue named by a task.</summary>
public sealed record TaskGitLabLink
{
    /// <summary>Issue iid within its project.</summary>
    public long Iid { get; init; }

    /// <summary>Web address, or null.</summary>
    public string? Url { get; init; }
}

/// <summary>Aggregated metrics.</summary>
public sealed record MetricsInfo
{
    /// <summary>LLM usage per provider and model, ordered by provider then model.</summary>
    public ImmutableArray<LlmUsageSummary> Llm { get; init; } = [];
}

/// <summary>Aggregated LLM usage for one provider and model.</summary>
public sealed record LlmUsageSummary
{
    /// <summary>Provider name.</summary>
    public string Provider { get; init; } = "";

    /// <summary>Model name.</summary>
    public string Model { get; init; } = "";

    /// <summary>Number of calls.</summary>
    public long Calls { get; init; }

    /// <summary>Number of failed calls.</summary>
    public long Failures { get; init; }

    /// <summary>Prompt tokens summed over calls.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Completion tokens summed over calls.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Wall-clock milliseconds summed over calls.</summary>
    public long LatencyMs { get; init; }

    /// <summary>The slowest call, in milliseconds.</summary>
    public long MaxLatencyMs { get; init; }

    /// <summary>Calls that streamed their answer (the ones with a time to first token).</summary>
    public long StreamedCalls { get; init; }

    /// <summary>Milliseconds to the first streamed token, summed over <see cref="StreamedCalls"/>.</summary>
    public long FirstTokenMs { get; init; }

    /// <summary>Process CPU milliseconds spent during calls, summed.</summary>
    public long CpuMs { get; init; }

    /// <summary>Highest process peak working set seen after a call, in bytes.</summary>
    public long PeakRamBytes { get; init; }

    /// <summary>Highest GPU memory use a backend reported, in bytes; absent when no backend reports it.</summary>
    public long? PeakVramBytes { get; init; }
}

/// <summary>Counts over the whole document.</summary>
public sealed record StructStats
{
    /// <summary>Number of modules.</summary>
    public int Modules { get; init; }

    /// <summary>Number of definitions, nested ones included.</summary>
    public int Definitions { get; init; }

    /// <summary>Lines over all modules.</summary>
    public long Lines { get; init; }

    /// <summary>Number of entries in <see cref="StructDocument.Errors"/>.</summary>
    public int Errors { get; init; }

    /// <summary>Number of entries in <see cref="StructDocument.Skipped"/>.</summary>
    public int Skipped { get; init; }

    /// <summary>Number of import entries over all modules.</summary>
    public int Imports { get; init; }

    /// <summary>Imports resolved to a project module (<see cref="ImportInfo.Resolved"/> set), once linked.</summary>
    public int ImportsResolved { get; init; }

    /// <summary>Call entries resolved to a definition (<see cref="CallInfo.Target"/> set), once linked.</summary>
    public int CallEdgesResolved { get; init; }

    /// <summary>Call entries without a target: external, dynamic or not known to the linker.</summary>
    public int CallEdgesUnresolved { get; init; }

    /// <summary>Values replaced by <c>«redacted:RULE»</c> markers over all modules (see docs/security.md).</summary>
    public int Redactions { get; init; }

    /// <summary>Per-language counts, ordered by language id.</summary>
    public ImmutableArray<LanguageStats> Languages { get; init; } = [];
}

/// <summary>Counts for one language.</summary>
public sealed record LanguageStats
{
    /// <summary>Language id, e.g. <c>python</c>.</summary>
    public string Language { get; init; } = "";

    /// <summary>Modules in this language.</summary>
    public int Modules { get; init; }

    /// <summary>Definitions in this language.</summary>
    public int Definitions { get; init; }

    /// <summary>Lines in this language.</summary>
    public long Lines { get; init; }
}
