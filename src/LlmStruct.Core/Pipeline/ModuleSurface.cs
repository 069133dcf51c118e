using System.Collections.Immutable;
using System.Security.Cryptography;
using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Pipeline;

/// <summary>
/// What linking other modules can see of a module: its path, language, imports, exports, variables and definitions
/// (ids, names, kinds, bases, modifiers, signatures, nesting) — everything but line numbers, docstrings, hashes,
/// line counts and call lists, and without links. The linkers read other modules only through these, so when a
/// changed file keeps its surface, no other module's links (beyond called_by) can change.
/// </summary>
internal static class ModuleSurface
{
    /// <summary>SHA-256 (hex) of the surface of a module, linked or not.</summary>
    public static string Hash(ModuleInfo module)
    {
        var surface = module with
        {
            Sha256 = "",
            Lines = 0,
            Docstring = null,
            Imports = [.. module.Imports.Select(i => i with { Line = 0, Resolved = null })],
            Variables = [.. module.Variables.Select(v => v with { Line = 0 })],
            Definitions = Strip(module.Definitions),
        };
        return Convert.ToHexStringLower(SHA256.HashData(StructJson.SerializeCompact(surface)));
    }

    private static ImmutableArray<Definition> Strip(ImmutableArray<Definition> definitions) =>
        definitions.IsDefaultOrEmpty ? [] : [.. definitions.Select(d => d with
        {
            StartLine = 0,
            EndLine = 0,
            Docstring = null,
            Calls = [],
            CalledBy = [],
            Children = Strip(d.Children),
        })];
}
