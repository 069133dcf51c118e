namespace LlmStruct.Parsers.CSharp;

/// <summary>What encloses a declaration: decides qualified names and default visibility.</summary>
internal enum ScopeKind
{
    /// <summary>The compilation unit or a namespace.</summary>
    Namespace,
    /// <summary>A class, struct or record: members default to private.</summary>
    Type,
    /// <summary>An interface: members default to public.</summary>
    Interface,
    /// <summary>A method, accessor or local function: local functions have no visibility.</summary>
    Function,
}

/// <summary>The enclosing scope of a declaration.</summary>
/// <param name="QualifiedName">Qualified name of the enclosing namespace, type or function; empty at the top.</param>
/// <param name="Kind">What kind of scope it is.</param>
/// <param name="InExtensionBlock">True inside a C# 14 <c>extension(…) { }</c> block.</param>
internal sealed record Scope(string QualifiedName, ScopeKind Kind, bool InExtensionBlock = false)
{
    /// <summary>The top of a file.</summary>
    public static readonly Scope Root = new("", ScopeKind.Namespace);

    /// <summary>Joins the scope's qualified name with a simple name.</summary>
    public string Qualify(string name) => QualifiedName.Length == 0 ? name : $"{QualifiedName}.{name}";
}
