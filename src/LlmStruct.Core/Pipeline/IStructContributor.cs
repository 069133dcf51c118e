using LlmStruct.Configuration;
using LlmStruct.Model;

namespace LlmStruct.Pipeline;

/// <summary>
/// A package that adds parts to struct.json beyond the parsed code (the tasks package adds <c>tasks</c>), registered
/// in DI (<c>services.AddSingleton&lt;IStructContributor, …&gt;()</c>, usually by the package's <c>Add…</c> method).
/// <see cref="StructPipeline"/> calls every registered contributor after linking, in registration order. Core knows
/// none of them.
/// </summary>
public interface IStructContributor
{
    /// <summary>
    /// A hash of every input the contribution depends on besides the code (e.g. the <c>[tasks]</c> of
    /// llmstruct.toml), or null when it adds nothing to this project. It goes into the incremental build's
    /// fingerprint, so a change to those inputs rewrites struct.json. A contributor that adds something also makes
    /// changed code take the full path (its output may depend on any module), never a patch.
    /// </summary>
    ValueTask<string?> FingerprintAsync(StructContributionContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Returns <paramref name="document"/> (linked and canonical) with the contribution added; the pipeline puts the
    /// tasks back in canonical order afterwards. Things the user should know go to <see cref="StructContributionContext.Warnings"/>;
    /// input that cannot be used is a <see cref="ConfigException"/> with a message naming the file and line.
    /// </summary>
    ValueTask<StructDocument> ContributeAsync(StructDocument document, StructContributionContext context, CancellationToken cancellationToken);
}

/// <summary>What a contributor is told about the run.</summary>
public sealed class StructContributionContext
{
    /// <summary>Creates the context.</summary>
    public StructContributionContext(string root, LlmStructOptions options, string? configPath)
    {
        Root = root;
        Options = options;
        ConfigPath = configPath;
    }

    /// <summary>The input root (absolute).</summary>
    public string Root { get; }

    /// <summary>The run's options.</summary>
    public LlmStructOptions Options { get; }

    /// <summary>The llmstruct.toml the options came from (<see cref="PipelineRequest.ConfigPath"/>), else <c>llmstruct.toml</c> in <see cref="Root"/>.</summary>
    public string? ConfigPath { get; }

    /// <summary>The configuration file to read: <see cref="ConfigPath"/>, else llmstruct.toml in the root.</summary>
    public string ConfigFile => ConfigPath ?? Path.Combine(Root, LlmStructOptions.FileName);

    /// <summary>Warnings for the user (e.g. a task naming a symbol that resolves to nothing), in the order found.</summary>
    public List<string> Warnings { get; } = [];
}
