using System.Collections.Immutable;
using System.Text.Json;
using LlmStruct.Caching;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Reads the model's records from struct.json (or the compact form the cache stores) with a <see cref="Utf8JsonReader"/>,
/// the counterpart of <see cref="ModelWriter"/>: snake_case names, any whitespace, a property left out keeps the
/// record's default (empty arrays, <c>false</c>, nulls). Unknown properties, values of the wrong type and malformed JSON
/// are <see cref="JsonException"/>s. No reflection, so it costs the same under Native AOT, and reading a module does
/// not go through a serializer's metadata for every property.
/// </summary>
internal static partial class ModelReader
{
    private static JsonReaderOptions Options => new() { MaxDepth = CanonicalWriter.MaxDepth };

    /// <summary>Reads a whole document (or the header the cache keeps: a document without modules).</summary>
    public static StructDocument Document(ReadOnlySpan<byte> utf8Json) => Whole(utf8Json, static (ref Utf8JsonReader r) => Document(ref r), "struct.json");

    /// <summary>Reads one module.</summary>
    public static ModuleInfo Module(ReadOnlySpan<byte> utf8Json) => Whole(utf8Json, static (ref Utf8JsonReader r) => Module(ref r), "module");

    /// <summary>Reads a cached parse result.</summary>
    public static CachedParse CachedParse(ReadOnlySpan<byte> utf8Json) => Whole(utf8Json, static (ref Utf8JsonReader r) =>
    {
        var module = new ModuleInfo();
        ImmutableArray<ParseError> errors = [];
        Begin(ref r, nameof(Caching.CachedParse));
        while (Property(ref r, out var name))
        {
            if (name.SequenceEqual("module"u8))
            {
                module = Module(ref r);
            }
            else if (name.SequenceEqual("errors"u8))
            {
                errors = Array(ref r, static (ref Utf8JsonReader r) => Error(ref r));
            }
            else
            {
                Unknown(name, nameof(Caching.CachedParse));
            }
        }
        return new CachedParse { Module = module, Errors = errors };
    }, "cached parse");

    private delegate T ReadValue<T>(ref Utf8JsonReader reader);

    // Called with the reader on a property's value; false when the type has no such property.
    private static T Whole<T>(ReadOnlySpan<byte> utf8Json, ReadValue<T> read, string what)
    {
        var reader = new Utf8JsonReader(utf8Json, Options);
        try
        {
            if (!reader.Read())
            {
                throw new JsonException($"{what} is empty.");
            }
            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new JsonException($"{what} is 'null'.");
            }
            var value = read(ref reader);
            if (reader.Read())
            {
                throw new JsonException($"{what}: unexpected data after the end of the value (byte {reader.TokenStartIndex}).");
            }
            return value;
        }
        catch (JsonException ex) when (ex.GetType() != typeof(JsonException))
        {
            // The reader's own subclass for malformed text: surfaced as the plain type callers catch.
            throw new JsonException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // A token of the wrong type for the value read (a string where a number belongs, …), or a number out of range.
            throw new JsonException($"{what}: {ex.Message} (byte {reader.TokenStartIndex}).", ex);
        }
    }

    /// <summary>Checks that the reader is on the start of an object of <paramref name="type"/>.</summary>
    private static void Begin(ref Utf8JsonReader r, string type) => Expect(ref r, JsonTokenType.StartObject, type);

    /// <summary>
    /// Moves to the object's next property and then onto its value, giving the property's name (the text of the input,
    /// unescaped only when it has escapes); false at the end of the object.
    /// </summary>
    private static bool Property(ref Utf8JsonReader r, out ReadOnlySpan<byte> name)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject)
        {
            name = default;
            return false;
        }
        name = r.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
        Next(ref r);
        return true;
    }

    private static void Unknown(ReadOnlySpan<byte> name, string type) =>
        throw new JsonException($"The JSON property '{System.Text.Encoding.UTF8.GetString(name)}' could not be mapped to any member of '{type}'.");

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new JsonException("unexpected end of the JSON data.");
        }
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType token, string type)
    {
        if (r.TokenType != token)
        {
            throw new JsonException($"expected {(token == JsonTokenType.StartObject ? "an object" : "an array")} for '{type}', found {r.TokenType} (byte {r.TokenStartIndex}).");
        }
    }

    private static ImmutableArray<T> Array<T>(ref Utf8JsonReader r, ReadValue<T> item)
    {
        Expect(ref r, JsonTokenType.StartArray, typeof(T).Name);
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndArray)
        {
            return [];
        }
        var items = ImmutableArray.CreateBuilder<T>();
        do
        {
            items.Add(item(ref r));
            Next(ref r);
        }
        while (r.TokenType != JsonTokenType.EndArray);
        return items.DrainToImmutable();
    }

    private static ImmutableArray<string> Strings(ref Utf8JsonReader r) => Array(ref r, static (ref Utf8JsonReader r) => Text(ref r));

    // A string value; JSON null gives null (as System.Text.Json gives it for a string property).
    private static string Text(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null! : r.GetString()!;

    private static string? OptionalText(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : r.GetString();

    // The texts most documents repeat thousands of times (kinds, languages) as one shared instance each, matched on the
    // input's bytes.
    private static string Known(ref Utf8JsonReader r, KnownTexts known) =>
        r.TokenType == JsonTokenType.String && !r.ValueIsEscaped && known.Find(r.ValueSpan) is { } text ? text : Text(ref r);

    private static readonly KnownTexts Languages = new(["python", "javascript", "typescript", "csharp"]);
    private static readonly KnownTexts ImportKinds = new(["import", "from", "require", "dynamic", "using", "export"]);
    private static readonly KnownTexts DefinitionKindTexts = new(DefinitionKinds.All);
    private static readonly KnownTexts ParameterKindTexts = new(ParameterKinds.All);

    /// <summary>A few texts with their UTF-8 bytes.</summary>
    private sealed class KnownTexts(IEnumerable<string> texts)
    {
        private readonly (byte[] Utf8, string Text)[] _texts = [.. texts.Select(t => (System.Text.Encoding.UTF8.GetBytes(t), t))];

        public string? Find(ReadOnlySpan<byte> utf8)
        {
            foreach (var (bytes, text) in _texts)
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return text;
                }
            }
            return null;
        }
    }

    private static bool Flag(ref Utf8JsonReader r) => r.GetBoolean();
}
