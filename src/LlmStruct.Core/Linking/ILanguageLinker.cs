using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>
/// Resolves one language's imports to project modules and calls to definition ids. Implementations are pure
/// (they read only the model and <see cref="LinkIndex"/>), thread-safe and deterministic; they return null
/// when a target is not known, never a guess across unrelated modules.
/// </summary>
public interface ILanguageLinker
{
    /// <summary>The language id this linker handles (matches <see cref="ModuleInfo.Language"/>).</summary>
    string Language { get; }

    /// <summary>The project-relative path of the module <paramref name="import"/> names, or null when external or unknown.</summary>
    string? ResolveImport(ModuleInfo module, ImportInfo import, LinkIndex index);

    /// <summary>The id of the definition the call at <paramref name="site"/> targets, or null when unresolved.</summary>
    string? ResolveCall(CallSite site, LinkIndex index);
}

/// <summary>Where a call is made.</summary>
/// <param name="Module">The calling module (its imports already carry <see cref="ImportInfo.Resolved"/>).</param>
/// <param name="Scopes">Enclosing definitions, outermost first; the last one is the caller itself.</param>
/// <param name="Call">The call.</param>
public readonly record struct CallSite(ModuleInfo Module, ImmutableArray<Definition> Scopes, CallInfo Call)
{
    /// <summary>The calling definition.</summary>
    public Definition Caller => Scopes[^1];
}

/// <summary>
/// Marks a linker whose call targets are always ids of definitions it found in the <see cref="LinkIndex"/> (so the
/// check that a target exists can be skipped: it would always pass).
/// </summary>
internal interface IIndexedTargets;
