using LlmStruct.Configuration;

namespace LlmStruct.Pipeline;

/// <summary>What to parse and how.</summary>
public sealed record PipelineRequest
{
    /// <summary>The root folder to parse.</summary>
    public required string Root { get; init; }

    /// <summary>Options (usually from <c>llmstruct.toml</c>, with CLI flags applied).</summary>
    public LlmStructOptions Options { get; init; } = new();

    /// <summary>
    /// The configuration file the <see cref="Options"/> came from, for contributors that read more of it (the tasks
    /// package reads <c>[[tasks]]</c>); null means <c>llmstruct.toml</c> in the <see cref="Root"/>.
    /// </summary>
    public string? ConfigPath { get; init; }

    /// <summary>How many files are parsed at once; defaults to the processor count.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// An open parse cache: unchanged files are taken from it instead of being parsed, and fresh results are saved
    /// to it at the end of the run. Null runs cold. The output is byte-identical either way.
    /// </summary>
    public Caching.ParseCache? Cache { get; init; }

    /// <summary>
    /// The most memory, in bytes (0, the default: none), within which the run holds garbage collection back, from
    /// parsing to the end of the run: a one-shot process may set one (the CLI does for runs without a cache). The run
    /// asks for less when its input is small (about six bytes per source byte: see <c>CollectionHold.SizedTo</c>), so
    /// a small project's process stays small. A run that allocates more is collected as usual from then on. The
    /// output is the same either way.
    /// </summary>
    public long CollectionHoldBudget { get; init; }
}

/// <summary>Progress of a run, reported after each file.</summary>
/// <param name="Completed">Files done so far.</param>
/// <param name="Total">Files to parse.</param>
/// <param name="CurrentPath">The file just finished (relative path).</param>
public readonly record struct PipelineProgress(int Completed, int Total, string CurrentPath);

/// <summary>The result of a run.</summary>
/// <param name="Document">The canonical document.</param>
/// <param name="Warnings">Things the user should know that are not file errors (e.g. unknown config keys).</param>
public sealed record PipelineResult(Model.StructDocument Document, IReadOnlyList<string> Warnings)
{
    /// <summary>Wall time of each stage of the run, in the order they ran (never written into struct.json).</summary>
    public IReadOnlyList<StageTiming> Timings { get; init; } = [];
}

/// <summary>The wall time one pipeline stage took, and the CPU time the process used meanwhile.</summary>
/// <param name="Stage">Stage name: <c>discover</c>, <c>parse</c>, <c>cache</c>, <c>assemble</c>, <c>link</c>, <c>write</c>.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Cpu">CPU time (user and kernel, all threads of the process) over the same span; <see cref="TimeSpan.Zero"/> when not measured.
/// Near <see cref="Elapsed"/> × cores means the stage kept every core busy; near <see cref="Elapsed"/>, that it ran on one.</param>
/// <param name="Allocated">Bytes the process allocated on the managed heap over the same span (all threads); 0 when not measured.</param>
public readonly record struct StageTiming(string Stage, TimeSpan Elapsed, TimeSpan Cpu = default, long Allocated = 0);

/// <summary>The result of <see cref="StructPipeline.BuildAsync(PipelineRequest, string, IProgress{PipelineProgress}?, CancellationToken)"/>.</summary>
public sealed record BuildResult
{
    /// <summary>True when the inputs had not changed since the output was written: nothing was parsed or written.</summary>
    public bool UpToDate { get; init; }

    /// <summary>The document written by a full run (null when <see cref="UpToDate"/> or patched: read the output file for it).</summary>
    public Model.StructDocument? Document { get; init; }

    /// <summary>Stats of the document in the output file.</summary>
    public Model.StructStats Stats { get; init; } = new();

    /// <summary>Errors of the document in the output file.</summary>
    public System.Collections.Immutable.ImmutableArray<Model.ParseError> Errors { get; init; } = [];

    /// <summary>
    /// When the previous output was patched instead of rebuilt (<see cref="Document"/> is then null): how many
    /// files had changed. Zero after a full run.
    /// </summary>
    public int ChangedFiles { get; init; }

    /// <summary>Size of the output file in bytes.</summary>
    public long Bytes { get; init; }

    /// <summary>Wall time of each stage, in the order they ran.</summary>
    public IReadOnlyList<StageTiming> Timings { get; init; } = [];

    /// <summary>Warnings from the run's contributors (<see cref="IStructContributor"/>), e.g. task links that resolve to nothing; empty when up to date.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
