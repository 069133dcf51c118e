using System.Collections.Immutable;

namespace LlmStruct.Model;

/// <summary>A named definition: class, function, method, property….</summary>
public sealed record Definition
{
    /// <summary>Stable readable id: <c>relative/path.py#Qualified.name</c>; overloads carry their parameter types.</summary>
    public string Id { get; init; } = "";

    /// <summary>Kind; one of <see cref="DefinitionKinds"/>.</summary>
    public string Kind { get; init; } = DefinitionKinds.Function;

    /// <summary>Simple name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Name qualified by enclosing namespaces, classes and functions, joined with '.'.</summary>
    public string QualifiedName { get; init; } = "";

    /// <summary>1-based first line (decorators and attributes included).</summary>
    public int StartLine { get; init; }

    /// <summary>1-based last line.</summary>
    public int EndLine { get; init; }

    /// <summary>Generic type parameters, as written.</summary>
    public ImmutableArray<string> TypeParameters { get; init; } = [];

    /// <summary>Parameters in declaration order.</summary>
    public ImmutableArray<ParameterInfo> Parameters { get; init; } = [];

    /// <summary>Return annotation or type, as source text; for properties and fields, their type.</summary>
    public string? ReturnType { get; init; }

    /// <summary>Decorators (Python, JS) or attributes (C#), as source text without '@' or brackets, in source order.</summary>
    public ImmutableArray<string> Decorators { get; init; } = [];

    /// <summary>Base classes and interfaces (and class keywords such as <c>metaclass=M</c>), as source text, in source order.</summary>
    public ImmutableArray<string> Bases { get; init; } = [];

    /// <summary>First paragraph of the docstring, JSDoc or XML-doc summary.</summary>
    public string? Docstring { get; init; }

    /// <summary>Declared or conventional visibility: public, private, protected, internal, protected_internal, private_protected.</summary>
    public string? Visibility { get; init; }

    /// <summary>True for async functions and methods.</summary>
    public bool Async { get; init; }

    /// <summary>True for static members (and Python staticmethods).</summary>
    public bool Static { get; init; }

    /// <summary>Other modifiers (abstract, override, generator, readonly…), sorted ordinally.</summary>
    public ImmutableArray<string> Modifiers { get; init; } = [];

    /// <summary>Calls made in the body, excluding nested definitions; one entry per distinct callee, ordered by first line then callee.</summary>
    public ImmutableArray<CallInfo> Calls { get; init; } = [];

    /// <summary>Ids of definitions that call this one, once linked; sorted ordinally.</summary>
    public ImmutableArray<string> CalledBy { get; init; } = [];

    /// <summary>Nested definitions, ordered by start line then name.</summary>
    public ImmutableArray<Definition> Children { get; init; } = [];
}

/// <summary>A parameter of a function, method, constructor, indexer or delegate.</summary>
public sealed record ParameterInfo
{
    /// <summary>Name (for a destructuring pattern, its source text).</summary>
    public string Name { get; init; } = "";

    /// <summary>Kind; one of <see cref="ParameterKinds"/>.</summary>
    public string Kind { get; init; } = ParameterKinds.Regular;

    /// <summary>Annotation or declared type, as source text.</summary>
    public string? Type { get; init; }

    /// <summary>Default value, as source text.</summary>
    public string? Default { get; init; }
}

/// <summary>A call made inside a definition's body.</summary>
public sealed record CallInfo
{
    /// <summary>The callee as source text (<c>self.load</c>, <c>os.path.join</c>, <c>Console.WriteLine</c>).</summary>
    public string Callee { get; init; } = "";

    /// <summary>1-based line of the first such call.</summary>
    public int Line { get; init; }

    /// <summary>How many times the body calls it.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Id of the definition called, once linked; null when unresolved.</summary>
    public string? Target { get; init; }
}

/// <summary>The values of <see cref="Definition.Kind"/>.</summary>
public static class DefinitionKinds
{
    /// <summary>A namespace (C#).</summary>
    public const string Namespace = "namespace";
    /// <summary>A class.</summary>
    public const string Class = "class";
    /// <summary>A struct (C#).</summary>
    public const string Struct = "struct";
    /// <summary>A record or record struct (C#).</summary>
    public const string Record = "record";
    /// <summary>An interface.</summary>
    public const string Interface = "interface";
    /// <summary>An enum.</summary>
    public const string Enum = "enum";
    /// <summary>An enum member.</summary>
    public const string EnumMember = "enum_member";
    /// <summary>A delegate type (C#).</summary>
    public const string Delegate = "delegate";
    /// <summary>A free function.</summary>
    public const string Function = "function";
    /// <summary>A method of a class.</summary>
    public const string Method = "method";
    /// <summary>A constructor.</summary>
    public const string Constructor = "constructor";
    /// <summary>A destructor or finalizer.</summary>
    public const string Destructor = "destructor";
    /// <summary>A property, getter or setter.</summary>
    public const string Property = "property";
    /// <summary>An indexer (C#).</summary>
    public const string Indexer = "indexer";
    /// <summary>An event (C#).</summary>
    public const string Event = "event";
    /// <summary>A field.</summary>
    public const string Field = "field";
    /// <summary>An operator or conversion (C#).</summary>
    public const string Operator = "operator";
    /// <summary>A type alias (Python <c>type X = …</c>).</summary>
    public const string TypeAlias = "type_alias";
    /// <summary>A UI component (React function or class returning JSX).</summary>
    public const string Component = "component";

    /// <summary>Every valid kind, sorted.</summary>
    public static readonly ImmutableArray<string> All =
    [
        Class, Component, Constructor, Delegate, Destructor, Enum, EnumMember, Event, Field, Function,
        Indexer, Interface, Method, Namespace, Operator, Property, Record, Struct, TypeAlias,
    ];
}

/// <summary>The values of <see cref="ParameterInfo.Kind"/>.</summary>
public static class ParameterKinds
{
    /// <summary>An ordinary parameter.</summary>
    public const string Regular = "regular";
    /// <summary>Python positional-only (before <c>/</c>).</summary>
    public const string PositionalOnly = "positional_only";
    /// <summary>Python keyword-only (after <c>*</c>).</summary>
    public const string KeywordOnly = "keyword_only";
    /// <summary>Python <c>*args</c>, JS rest <c>...args</c>, C# <c>params</c>.</summary>
    public const string VarPositional = "var_positional";
    /// <summary>Python <c>**kwargs</c>.</summary>
    public const string VarKeyword = "var_keyword";
    /// <summary>C# <c>ref</c>.</summary>
    public const string Ref = "ref";
    /// <summary>C# <c>out</c>.</summary>
    public const string Out = "out";
    /// <summary>C# <c>in</c> or <c>ref readonly</c>.</summary>
    public const string In = "in";
    /// <summary>C# extension-method receiver (<c>this</c>).</summary>
    public const string This = "this";

    /// <summary>Every valid kind, sorted.</summary>
    public static readonly ImmutableArray<string> All =
        [In, KeywordOnly, Out, PositionalOnly, Ref, Regular, This, VarKeyword, VarPositional];
}
