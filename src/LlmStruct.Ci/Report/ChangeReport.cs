using System.Collections.Immutable;

namespace LlmStruct.Ci.Report;

/// <summary>The structural change between two revisions (<c>llmstruct ci report</c>); every list in a fixed order.</summary>
public sealed record ChangeReport
{
    /// <summary>The base revision as given and its commit id.</summary>
    public RevisionName Base { get; init; } = new("", "");

    /// <summary>The head revision as given and its commit id.</summary>
    public RevisionName Head { get; init; } = new("", "");

    /// <summary>Files a parser reads that differ, by head path (base path for deletions).</summary>
    public ImmutableArray<ChangedFile> Files { get; init; } = [];

    /// <summary>Definitions only the head has.</summary>
    public ImmutableArray<DefinitionChange> Added { get; init; } = [];

    /// <summary>Definitions only the base has.</summary>
    public ImmutableArray<DefinitionChange> Removed { get; init; } = [];

    /// <summary>Definitions both have that differ.</summary>
    public ImmutableArray<DefinitionChange> Changed { get; init; } = [];

    /// <summary>Imports added or removed, per file.</summary>
    public ImmutableArray<ImportChange> Imports { get; init; } = [];

    /// <summary>Parse errors the head has and the base did not.</summary>
    public ImmutableArray<ErrorChange> NewErrors { get; init; } = [];

    /// <summary>Parse errors the base had and the head has not.</summary>
    public ImmutableArray<ErrorChange> FixedErrors { get; init; } = [];

    /// <summary>Callers, in files this change does not touch, of definitions it changed or removed.</summary>
    public ImmutableArray<CallerImpact> Callers { get; init; } = [];

    /// <summary>Tasks of the head's llmstruct.toml that name a touched file or symbol.</summary>
    public ImmutableArray<TaskImpact> Tasks { get; init; } = [];

    /// <summary>True when no parsed file changed.</summary>
    public bool IsEmpty => Files.IsEmpty;
}

/// <summary>A revision: the name it was given by and the commit id it resolved to.</summary>
public sealed record RevisionName(string Name, string Commit);

/// <summary>A file that changed.</summary>
/// <param name="Status"><c>added</c>, <c>deleted</c>, <c>modified</c> or <c>renamed</c>.</param>
/// <param name="Path">Path at the head (at the base for a deletion).</param>
/// <param name="OldPath">Path at the base for a rename, else null.</param>
public sealed record ChangedFile(string Status, string Path, string? OldPath);

/// <summary>A definition added, removed or changed.</summary>
public sealed record DefinitionChange
{
    /// <summary>The id (the head's; the base's for a removal).</summary>
    public string Id { get; init; } = "";

    /// <summary>The id at the base when the file was renamed, else null.</summary>
    public string? OldId { get; init; }

    /// <summary>Kind (function, class, method…).</summary>
    public string Kind { get; init; } = "";

    /// <summary>The signature at the head (at the base for a removal).</summary>
    public string Signature { get; init; } = "";

    /// <summary>For a changed signature, the base's; else null.</summary>
    public string? OldSignature { get; init; }

    /// <summary>What changed: <c>signature</c>, <c>docstring</c>, <c>body</c>, <c>moved</c> (same span, other lines), in this order.</summary>
    public ImmutableArray<string> Aspects { get; init; } = [];
}

/// <summary>Imports of one file added and removed (each rendered as <c>module</c> or <c>module: a, b as c</c>).</summary>
public sealed record ImportChange(string Path, ImmutableArray<string> Added, ImmutableArray<string> Removed);

/// <summary>A parse error at a position.</summary>
public sealed record ErrorChange(string File, int Line, int Column, string Reason);

/// <summary>A caller in an unchanged file of a definition that changed or was removed.</summary>
/// <param name="Target">The changed or removed definition.</param>
/// <param name="Change"><c>removed</c> or the changed aspects joined with ", ".</param>
/// <param name="Callers">The callers' ids, sorted.</param>
public sealed record CallerImpact(string Target, string Change, ImmutableArray<string> Callers);

/// <summary>A task that names a touched file or symbol.</summary>
public sealed record TaskImpact(string Id, string Title, string Status, ImmutableArray<string> Matches);
