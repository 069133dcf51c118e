namespace LlmStruct.Parsers.CSharp;

/// <summary>The visibility rules both readers (Roslyn's trees and the fast reader) share.</summary>
internal static class Visibilities
{
    /// <summary>The declared visibility from the modifiers present, or <paramref name="fallback"/> when they name none.</summary>
    public static string? Of(bool isPublic, bool isPrivate, bool isProtected, bool isInternal, bool isFile, string? fallback) =>
        (isPublic, isPrivate, isProtected, isInternal) switch
        {
            (true, _, _, _) => "public",
            (_, true, true, _) => "private_protected",
            (_, _, true, true) => "protected_internal",
            (_, _, true, _) => "protected",
            (_, _, _, true) => "internal",
            (_, true, _, _) => "private",
            _ when isFile => "internal",
            _ => fallback,
        };

    /// <summary>
    /// Types and members at the top are internal; in classes and structs private; in interfaces public; none in functions.
    /// </summary>
    public static string? Default(Scope scope) => scope.Kind switch
    {
        ScopeKind.Namespace => "internal",
        ScopeKind.Interface => "public",
        ScopeKind.Type => "private",
        _ => null,
    };
}
