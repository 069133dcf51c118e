using System.Collections.Immutable;

namespace LlmStruct.Model;

/// <summary>The structure of one source file.</summary>
public sealed record ModuleInfo
{
    /// <summary>Path relative to the root, with '/'. Unique in a document.</summary>
    public string Path { get; init; } = "";

    /// <summary>Language id of the parser that read it, e.g. <c>python</c>, <c>csharp</c>.</summary>
    public string Language { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>Number of lines in the file.</summary>
    public int Lines { get; init; }

    /// <summary>First paragraph of the module docstring, if any.</summary>
    public string? Docstring { get; init; }

    /// <summary>Imports in source order (by line, then module text).</summary>
    public ImmutableArray<ImportInfo> Imports { get; init; } = [];

    /// <summary>Names the module exports explicitly (Python <c>__all__</c>, ESM exports), in source order.</summary>
    public ImmutableArray<string> Exports { get; init; } = [];

    /// <summary>Module-level names assigned (constants, variables), ordered by line then name.</summary>
    public ImmutableArray<VariableInfo> Variables { get; init; } = [];

    /// <summary>Top-level definitions, ordered by start line then name; nested ones are in <see cref="Definition.Children"/>.</summary>
    public ImmutableArray<Definition> Definitions { get; init; } = [];
}

/// <summary>One import statement (or one imported module of a statement).</summary>
public sealed record ImportInfo
{
    /// <summary>The module as written (<c>os.path</c>, <c>./util.js</c>, <c>System.Linq</c>); empty for <c>from . import x</c>.</summary>
    public string Module { get; init; } = "";

    /// <summary>Kind: <c>import</c>, <c>from</c>, <c>require</c>, <c>dynamic</c>, <c>reexport</c>, <c>using</c>, <c>using_static</c>, <c>using_alias</c>.</summary>
    public string Kind { get; init; } = "import";

    /// <summary>Names imported from the module, in source order (empty for a plain <c>import m</c>).</summary>
    public ImmutableArray<ImportedName> Names { get; init; } = [];

    /// <summary>Alias of the module itself (<c>import numpy as np</c>, <c>using IO = System.IO</c>).</summary>
    public string? Alias { get; init; }

    /// <summary>Relative level (Python: number of leading dots); 0 when absolute.</summary>
    public int Level { get; init; }

    /// <summary>1-based line of the statement.</summary>
    public int Line { get; init; }

    /// <summary>Project-relative path of the module this import resolves to, once linked; null when external or unknown.</summary>
    public string? Resolved { get; init; }
}

/// <summary>One name imported by an import statement.</summary>
public sealed record ImportedName
{
    /// <summary>The imported name (<c>*</c> for a star import, <c>default</c> for an ESM default import).</summary>
    public string Name { get; init; } = "";

    /// <summary>Local alias, when different from the name.</summary>
    public string? Alias { get; init; }
}

/// <summary>A module-level variable or constant.</summary>
public sealed record VariableInfo
{
    /// <summary>The name assigned.</summary>
    public string Name { get; init; } = "";

    /// <summary>1-based line of the first assignment.</summary>
    public int Line { get; init; }

    /// <summary>Annotation or declared type, as source text.</summary>
    public string? Type { get; init; }
}

/// <summary>A syntax or read problem in one file.</summary>
public sealed record ParseError
{
    /// <summary>Path relative to the root, with '/'.</summary>
    public string File { get; init; } = "";

    /// <summary>1-based line; 0 when the problem is about the whole file.</summary>
    public int Line { get; init; }

    /// <summary>1-based column; 0 when the problem is about the whole file.</summary>
    public int Column { get; init; }

    /// <summary>What is wrong, in words.</summary>
    public string Reason { get; init; } = "";
}
