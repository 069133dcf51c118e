using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Parsers.JavaScript.Extraction;

/// <summary>A definition while it is being read; <see cref="Build"/> freezes it into Core's record.</summary>
internal sealed class DefinitionBuilder
{
    private readonly Dictionary<string, (int Line, int Count)> _calls = new(StringComparer.Ordinal);

    public required string Kind { get; set; }
    public required string Name { get; init; }
    public required string QualifiedName { get; init; }
    public int StartLine { get; init; }
    public int EndLine { get; set; }
    public int StartOffset { get; init; }
    public List<string> TypeParameters { get; } = [];
    public List<ParameterInfo> Parameters { get; } = [];
    public string? ReturnType { get; set; }
    public List<string> Decorators { get; } = [];
    public List<string> Bases { get; } = [];
    public SortedSet<string> Modifiers { get; } = new(StringComparer.Ordinal);
    public string? Docstring { get; set; }
    public string? Visibility { get; set; }
    public bool Async { get; set; }
    public bool Static { get; set; }
    public bool ReturnsJsx { get; set; }
    public List<DefinitionBuilder> Children { get; } = [];

    public void AddCall(string callee, int line)
    {
        _calls[callee] = _calls.TryGetValue(callee, out var seen) ? (seen.Line, seen.Count + 1) : (line, 1);
    }

    /// <summary>Freezes the tree; <paramref name="seen"/> counts qualified names in source order for the <c>~2</c> suffixes.</summary>
    public Definition Build(string path, Dictionary<string, int> seen)
    {
        int n = seen.TryGetValue(QualifiedName, out var count) ? count + 1 : 1;
        seen[QualifiedName] = n;
        string id = Ids.For(path, QualifiedName, n);
        var children = Children
            .OrderBy(c => c.StartOffset)
            .Select(c => c.Build(path, seen))
            .OrderBy(c => c.StartLine)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToImmutableArray();
        return new Definition
        {
            Id = id,
            Kind = Kind,
            Name = Name,
            QualifiedName = QualifiedName,
            StartLine = StartLine,
            EndLine = EndLine,
            TypeParameters = [.. TypeParameters],
            Parameters = [.. Parameters],
            ReturnType = ReturnType,
            Decorators = [.. Decorators],
            Bases = [.. Bases],
            Docstring = Docstring,
            Visibility = Visibility,
            Async = Async,
            Static = Static,
            Modifiers = [.. Modifiers],
            Calls = [.. _calls
                .OrderBy(c => c.Value.Line)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new CallInfo { Callee = c.Key, Line = c.Value.Line, Count = c.Value.Count })],
            Children = children,
        };
    }
}

/// <summary>Id helpers shared by the extractor.</summary>
internal static class Ids
{
    /// <summary>The id of the <paramref name="occurrence"/>-th definition with this qualified name (1 = no suffix).</summary>
    public static string For(string path, string qualifiedName, int occurrence) =>
        LlmStruct.Parsing.DefinitionIds.Create(path, occurrence == 1 ? qualifiedName : $"{qualifiedName}~{occurrence}");
}
