using System.Collections.Immutable;
using System.Text.Json.Serialization;
using LlmStruct.Llm.Work.Diffs;

namespace LlmStruct.Llm.Work;

/// <summary>Options of <see cref="StructWorkPlugin"/>.</summary>
public sealed class WorkOptions
{
    /// <summary>How many times the model is asked again after an invalid answer (0: no retry). Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Token budget of the struct context in each prompt. Default 4096.</summary>
    public int ContextTokens { get; set; } = 4096;

    /// <summary>Most characters of focused file text <c>generate_diff</c> sends. Default 200,000.</summary>
    public int MaxFocusChars { get; set; } = 200_000;

    /// <summary>Sampling temperature sent with each request; null leaves the provider's default.</summary>
    public float? Temperature { get; set; }

    /// <summary>Redacts secrets in focused file text before it is sent (and puts them back in applied diffs). Default: the default rules.</summary>
    public LlmStruct.Security.SourceRedactor Redactor { get; set; } = LlmStruct.Security.SourceRedactor.Default;
}

/// <summary>The plan of a task, as <c>analyze_task</c> returns it; every symbol id exists in struct.json.</summary>
public sealed record TaskAnalysis
{
    /// <summary>What the task means for this project.</summary>
    [JsonPropertyName("summary")]
    public string Summary { get; init; } = "";

    /// <summary>Paths relative to the root (existing or to be created).</summary>
    [JsonPropertyName("affected_files")]
    public ImmutableArray<string> AffectedFiles { get; init; } = [];

    /// <summary>Definition ids (<c>path#Qualified.name</c>), each present in struct.json.</summary>
    [JsonPropertyName("affected_symbols")]
    public ImmutableArray<string> AffectedSymbols { get; init; } = [];

    /// <summary>Ordered steps.</summary>
    [JsonPropertyName("steps")]
    public ImmutableArray<string> Steps { get; init; } = [];

    /// <summary>Risks and things to check.</summary>
    [JsonPropertyName("risks")]
    public ImmutableArray<string> Risks { get; init; } = [];

    /// <summary>A rough size of the work.</summary>
    [JsonPropertyName("estimate")]
    public string Estimate { get; init; } = "";

    /// <summary>How many model answers it took (1: the first was valid).</summary>
    [JsonPropertyName("attempts")]
    public int Attempts { get; init; }
}

/// <summary>A diff from <c>generate_diff</c> that applies cleanly to the tree, with the file contents it produces.</summary>
public sealed record DiffProposal
{
    /// <summary>The unified diff, as extracted from the model's answer.</summary>
    public string Diff { get; init; } = "";

    /// <summary>The files it adds, modifies or deletes (computed in memory; pass to <see cref="DiffApplier.WriteAsync"/> to write them).</summary>
    public IReadOnlyList<FileChange> Changes { get; init; } = [];

    /// <summary>How many model answers it took (1: the first was valid).</summary>
    public int Attempts { get; init; }
}

/// <summary>The model did not produce a valid result within the retry budget, or its result was refused (a path outside the root).</summary>
public sealed class LlmWorkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LlmWorkException(string message, IReadOnlyList<string> errors, bool refused = false, Exception? inner = null)
        : base(message, inner)
    {
        Errors = errors;
        Refused = refused;
    }

    /// <summary>Why each answer was rejected, in order.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>True when an answer was refused outright (unsafe path) rather than retried until the budget ran out.</summary>
    public bool Refused { get; }
}

/// <summary>A definition found in struct.json.</summary>
/// <param name="Id">Its id (<c>path#Qualified.name</c>).</param>
/// <param name="Kind">Its kind (class, method…).</param>
/// <param name="Path">The module's path.</param>
/// <param name="QualifiedName">The qualified name.</param>
/// <param name="StartLine">1-based first line.</param>
/// <param name="EndLine">1-based last line.</param>
/// <param name="Signature">Parameters and return type, when it has them.</param>
/// <param name="Docstring">First paragraph of its documentation.</param>
public sealed record SymbolInfo(string Id, string Kind, string Path, string QualifiedName, int StartLine, int EndLine, string? Signature, string? Docstring);

/// <summary>A call made by a definition.</summary>
/// <param name="Callee">The callee as source text.</param>
/// <param name="Target">The id of the definition called, when linked.</param>
/// <param name="Line">1-based line of the first such call.</param>
/// <param name="Count">How many times it is called.</param>
public sealed record CalleeInfo(string Callee, string? Target, int Line, int Count);
