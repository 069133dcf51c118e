namespace LlmStruct.Parsers.Python.Syntax;

/// <summary>A range of the source text (char offsets, end exclusive).</summary>
internal readonly record struct TextSpan(int Start, int End)
{
    public bool IsEmpty => End <= Start;
}

/// <summary>A call site: the callee's span and the line of the call.</summary>
internal readonly record struct CallSite(TextSpan Callee, int Line);

/// <summary>
/// The small tree the parser keeps: only what <see cref="StructureExtractor"/> needs. Expressions are not kept;
/// they are validated while parsing and remembered as spans (annotations, defaults, decorators, callees).
/// </summary>
internal abstract class SyntaxNode
{
    public int Line { get; set; }
}

/// <summary>A scope that owns statements and calls: the module, a class or a function.</summary>
internal abstract class ScopeNode : SyntaxNode
{
    /// <summary>Definitions, imports and assignments, in source order (flattened through compound statements).</summary>
    public List<SyntaxNode> Body { get; } = ListPool<SyntaxNode>.Rent();

    /// <summary>Calls made directly in this scope (not in nested definitions).</summary>
    public List<CallSite> Calls { get; } = ListPool<CallSite>.Rent();

    /// <summary>The docstring's value, when the body starts with a string literal.</summary>
    public string? Docstring { get; set; }
}

/// <summary>A whole file.</summary>
internal sealed class ModuleNode : ScopeNode
{
    /// <summary>Strings listed in <c>__all__</c>.</summary>
    public List<string> Exports { get; } = ListPool<string>.Rent();
}

/// <summary>A <c>def</c>, <c>class</c> or <c>type</c> statement.</summary>
internal abstract class DefinitionNode : ScopeNode
{
    public string Name { get; set; } = "";
    public int StartLine { get; set; }
    public int EndLine { get; set; }
    public List<TextSpan> Decorators { get; } = ListPool<TextSpan>.Rent();
    public List<TextSpan> TypeParameters { get; } = ListPool<TextSpan>.Rent();
}

/// <summary>A function or method.</summary>
internal sealed class FunctionDefNode : DefinitionNode
{
    public bool IsAsync { get; set; }
    public List<ParameterNode> Parameters { get; } = ListPool<ParameterNode>.Rent();
    public TextSpan? Returns { get; set; }
}

/// <summary>A class; bases and keywords are kept in source order.</summary>
internal sealed class ClassDefNode : DefinitionNode
{
    public List<ArgumentNode> Bases { get; } = ListPool<ArgumentNode>.Rent();
}

/// <summary>A <c>type X = …</c> alias.</summary>
internal sealed class TypeAliasNode : DefinitionNode
{
    public TextSpan Value { get; set; }
}

/// <summary>One parameter of a def or lambda.</summary>
internal readonly record struct ParameterNode(string Name, string Kind, TextSpan? Annotation, TextSpan? Default);

/// <summary>One argument of a class statement: <c>Base</c>, <c>*bases</c>, <c>metaclass=M</c> or <c>**kw</c>.</summary>
internal readonly record struct ArgumentNode(string? Keyword, TextSpan Value, bool DoubleStar);

/// <summary>An <c>import</c> (one per dotted name) or <c>from … import</c> statement.</summary>
internal sealed class ImportNode : SyntaxNode
{
    public bool IsFrom { get; init; }
    public string Module { get; init; } = "";
    public string? Alias { get; init; }
    public int Level { get; init; }
    public List<(string Name, string? Alias)> Names { get; } = ListPool<(string Name, string? Alias)>.Rent();
}

/// <summary>A name bound by an assignment (<c>=</c>, annotated or augmented) in a module-level statement.</summary>
internal sealed class AssignmentNode : SyntaxNode
{
    public string Name { get; init; } = "";
    public TextSpan? Annotation { get; init; }
}
