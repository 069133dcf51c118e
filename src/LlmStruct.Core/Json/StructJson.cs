using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Canonical JSON for <see cref="StructDocument"/>: UTF-8 without BOM, LF, two-space indent, snake_case
/// properties in the model's order, nulls, <c>false</c> and empty arrays left out, a trailing newline.
/// Reading canonical bytes and writing them again gives the same bytes.
/// </summary>
public static class StructJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions(indented: true);
    private static readonly JsonSerializerOptions CompactOptions = CreateOptions(indented: false);

    /// <summary>Serializes a document as canonical bytes. Call <see cref="StructCanonicalizer.Canonicalize(StructDocument)"/> first to get canonical order.</summary>
    public static byte[] Serialize(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var buffer = new MemoryStream();
        JsonSerializer.Serialize(buffer, document, Options);
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Serializes a document as canonical bytes straight into <paramref name="stream"/> (no whole-document buffer).</summary>
    public static async Task SerializeAsync(Stream stream, StructDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(document);
        await JsonSerializer.SerializeAsync(stream, document, Options, cancellationToken).ConfigureAwait(false);
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Serializes a document to canonical text.</summary>
    public static string SerializeToString(StructDocument document) => System.Text.Encoding.UTF8.GetString(Serialize(document));

    /// <summary>Reads a document. Throws <see cref="JsonException"/> on malformed JSON or unknown properties.</summary>
    public static StructDocument Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<StructDocument>(utf8Json, Options)
        ?? throw new JsonException("struct.json is 'null'.");

    /// <summary>Reads a document from a file.</summary>
    public static async Task<StructDocument> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Deserialize(bytes);
    }

    /// <summary>Serializes any part of the model compactly (no indentation), with the same naming and omission rules.</summary>
    internal static byte[] SerializeCompact<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, CompactOptions);

    /// <summary>Reads a part of the model written by <see cref="SerializeCompact{T}"/>.</summary>
    internal static T? DeserializeCompact<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize<T>(utf8Json, CompactOptions);

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(OmitEmpty);
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = resolver,
        };
        options.MakeReadOnly();
        return options;
    }

    // Empty arrays and false flags carry no information; leaving them out keeps struct.json small and the
    // reader restores them as their defaults, so round trips stay byte-identical.
    private static void OmitEmpty(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        foreach (var property in typeInfo.Properties)
        {
            var type = property.PropertyType;
            if (type == typeof(bool))
            {
                property.ShouldSerialize = static (_, value) => value is true;
            }
            else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
            {
                property.ShouldSerialize = static (_, value) => value is System.Collections.ICollection { Count: > 0 };
            }
        }
    }
}
