using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LlmStruct.Schema;

/// <summary>
/// The value rules of the embedded <c>schema/struct.schema.json</c> that <see cref="ModelConstraints"/> applies —
/// the <c>const</c>, the <c>enum</c>s and the <c>pattern</c>s — read from the schema itself, so that a change to one of
/// them in the schema changes the checks with it. Each is found by its JSON Pointer in the schema; a pointer that no
/// longer leads to the keyword fails loudly at first use (and in the tests), never silently.
/// </summary>
internal static class SchemaRules
{
    private static readonly Lazy<Loaded> s_rules = new(Load);

    /// <summary><c>#/properties/version/const</c>.</summary>
    public static string Version => s_rules.Value.Version;

    /// <summary><c>#/$defs/relativePath/pattern</c>: module paths, resolved imports, files in errors, skipped and context.</summary>
    public static SchemaPattern RelativePath => s_rules.Value.RelativePath;

    /// <summary><c>#/$defs/module/properties/sha256/pattern</c>.</summary>
    public static SchemaPattern Sha256 => s_rules.Value.Sha256;

    /// <summary><c>#/$defs/definition/properties/id/pattern</c>.</summary>
    public static SchemaPattern DefinitionId => s_rules.Value.DefinitionId;

    /// <summary><c>#/$defs/import/properties/kind/enum</c>.</summary>
    public static FrozenSet<string> ImportKinds => s_rules.Value.ImportKinds;

    /// <summary><c>#/$defs/definition/properties/kind/enum</c>.</summary>
    public static FrozenSet<string> DefinitionKinds => s_rules.Value.DefinitionKinds;

    /// <summary><c>#/$defs/definition/properties/parameters/items/properties/kind/enum</c>.</summary>
    public static FrozenSet<string> ParameterKinds => s_rules.Value.ParameterKinds;

    /// <summary><c>#/$defs/definition/properties/visibility/enum</c>.</summary>
    public static FrozenSet<string> Visibilities => s_rules.Value.Visibilities;

    private sealed record Loaded(
        string Version, SchemaPattern RelativePath, SchemaPattern Sha256, SchemaPattern DefinitionId,
        FrozenSet<string> ImportKinds, FrozenSet<string> DefinitionKinds, FrozenSet<string> ParameterKinds, FrozenSet<string> Visibilities);

    private static Loaded Load()
    {
        using var schema = JsonDocument.Parse(StructSchema.Text);
        var root = schema.RootElement;
        return new Loaded(
            At(root, "properties/version/const").GetString()!,
            new SchemaPattern(At(root, "$defs/relativePath/pattern").GetString()!, SurelyRelativePath),
            new SchemaPattern(At(root, "$defs/module/properties/sha256/pattern").GetString()!, SurelySha256),
            new SchemaPattern(At(root, "$defs/definition/properties/id/pattern").GetString()!, SurelyDefinitionId),
            Enum(root, "$defs/import/properties/kind/enum"),
            Enum(root, "$defs/definition/properties/kind/enum"),
            Enum(root, "$defs/definition/properties/parameters/items/properties/kind/enum"),
            Enum(root, "$defs/definition/properties/visibility/enum"));
    }

    private static JsonElement At(JsonElement root, string pointer)
    {
        var element = root;
        foreach (var segment in pointer.Split('/'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                throw new InvalidOperationException($"The embedded schema has no '#/{pointer}': ModelConstraints must follow the schema's change.");
            }
        }
        return element;
    }

    private static FrozenSet<string> Enum(JsonElement root, string pointer) =>
        At(root, pointer).EnumerateArray().Select(e => e.GetString()!).ToFrozenSet(StringComparer.Ordinal);

    // The fast accepts: each is a sufficient condition for its schema pattern (a value it accepts, the pattern
    // matches), checked in a single pass without the regular expression engine. Anything else is decided by the
    // pattern itself, so the outcome is always the pattern's. Tests hold each to its pattern over random strings.

    /// <summary>Sufficient for <c>relativePath</c>: not empty, no leading <c>/</c> or drive, no <c>\</c>, no <c>..</c> segment, no line feed.</summary>
    internal static bool SurelyRelativePath(string path)
    {
        if (path.Length == 0 || path[0] == '/' || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
        {
            return false;
        }
        var span = path.AsSpan();
        if (span.IndexOfAny('\\', '\n') >= 0)
        {
            return false;
        }
        foreach (var range in span.Split('/'))
        {
            if (span[range] is "..")
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Sufficient for <c>^[0-9a-f]{64}$</c>: exactly 64 lower-case hex digits.</summary>
    internal static bool SurelySha256(string sha) =>
        sha.Length == 64 && !sha.AsSpan().ContainsAnyExcept("0123456789abcdef");

    /// <summary>Sufficient for <c>^[^#]+#.+$</c>: a <c>#</c> after the first character, something after it, no line feed after it.</summary>
    internal static bool SurelyDefinitionId(string id)
    {
        int hash = id.IndexOf('#', StringComparison.Ordinal);
        return hash > 0 && hash < id.Length - 1 && id.AsSpan(hash + 1).IndexOf('\n') < 0;
    }
}

/// <summary>A <c>pattern</c> of the schema, matched as the JSON Schema evaluator matches it (.NET regular expressions), with a fast accept in front.</summary>
internal sealed class SchemaPattern
{
    private readonly Func<string, bool> _surely;
    private readonly Lazy<Regex> _regex;

    /// <summary>Creates the pattern; <paramref name="surely"/> must never accept a value the pattern rejects.</summary>
    public SchemaPattern(string pattern, Func<string, bool> surely)
    {
        Pattern = pattern;
        _surely = surely;
        _regex = new Lazy<Regex>(() => new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(5)));
    }

    /// <summary>The pattern's text as the schema states it.</summary>
    public string Pattern { get; }

    /// <summary>True when <paramref name="value"/> matches the pattern.</summary>
    public bool IsMatch(string value) => _surely(value) || _regex.Value.IsMatch(value);

    /// <summary>The pattern alone, without the fast accept (for the tests that hold the two together).</summary>
    internal bool IsMatchSlow(string value) => _regex.Value.IsMatch(value);
}
