using System.Text.Json.Serialization;

namespace LlmStruct.Serve.Work;

/// <summary>A task to plan.</summary>
/// <param name="Task">The task in plain words (required).</param>
public sealed record AnalyzeTaskRequest(string? Task);

/// <summary>A plan, as <c>llmstruct analyze --json</c> gives it, and who made it.</summary>
/// <param name="Summary">What the task means for this project.</param>
/// <param name="AffectedFiles">Paths relative to the root.</param>
/// <param name="AffectedSymbols">Definition ids, each present in struct.json.</param>
/// <param name="Steps">Ordered steps.</param>
/// <param name="Risks">Risks and things to check.</param>
/// <param name="Estimate">A rough size of the work.</param>
/// <param name="Attempts">Model answers it took.</param>
/// <param name="Provider">The provider that answered.</param>
/// <param name="Model">Its model.</param>
public sealed record AnalyzeTaskResult(
    string Summary, IReadOnlyList<string> AffectedFiles, IReadOnlyList<string> AffectedSymbols, IReadOnlyList<string> Steps,
    IReadOnlyList<string> Risks, string Estimate, int Attempts, string? Provider, string? Model);

/// <summary>A change to ask a diff for.</summary>
/// <param name="Task">The change in plain words (required).</param>
/// <param name="Focus">Files or folders (relative to the project) whose full text the model sees.</param>
public sealed record GenerateDiffRequest(string? Task, IReadOnlyList<string>? Focus);

/// <summary>A file a diff changes.</summary>
/// <param name="Path">Path relative to the project, with '/'.</param>
/// <param name="Kind">added, modified or deleted.</param>
public sealed record DiffFileDto(string Path, string Kind);

/// <summary>A diff that applies cleanly to the project now; nothing is written until it is confirmed (<c>POST /api/apply_diff</c> with the hash).</summary>
/// <param name="Hash">SHA-256 of the diff's UTF-8 text (hex): the confirmation sends it back.</param>
/// <param name="Diff">The unified diff.</param>
/// <param name="Files">The files it would change.</param>
/// <param name="Attempts">Model answers it took.</param>
/// <param name="Provider">The provider that answered.</param>
public sealed record GenerateDiffResult(string Hash, string Diff, IReadOnlyList<DiffFileDto> Files, int Attempts, string? Provider);

/// <summary>The confirmation of a diff.</summary>
/// <param name="Hash">The hash <c>/api/generate_diff</c> returned.</param>
public sealed record ApplyDiffRequest(string? Hash);

/// <summary>What applying changed.</summary>
/// <param name="Files">The files written or deleted.</param>
public sealed record ApplyDiffResult(IReadOnlyList<DiffFileDto> Files);

/// <summary>The JSON contract of the work endpoints, generated at build time (Native AOT).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AnalyzeTaskRequest))]
[JsonSerializable(typeof(AnalyzeTaskResult))]
[JsonSerializable(typeof(GenerateDiffRequest))]
[JsonSerializable(typeof(GenerateDiffResult))]
[JsonSerializable(typeof(ApplyDiffRequest))]
[JsonSerializable(typeof(ApplyDiffResult))]
internal sealed partial class WorkJsonContext : JsonSerializerContext;
