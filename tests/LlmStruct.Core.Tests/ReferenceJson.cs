using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Core.Tests;

/// <summary>
/// struct.json as System.Text.Json's reflection-based serializer reads and writes it with the format's rules
/// (snake_case, nulls, <c>false</c> and empty arrays left out, unknown properties refused): the reference that the
/// product's own writer (<see cref="ModelWriter"/>, <see cref="StructJson"/>) and reader (<see cref="ModelReader"/>)
/// must match, byte for byte and model for model. Tests only: the product uses no reflection for its JSON.
/// </summary>
internal static class ReferenceJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The document serialized in one piece and laid out by <see cref="CanonicalLayout"/>.</summary>
    public static byte[] SerializeWhole(StructDocument document) =>
        [.. CanonicalLayout.Apply(JsonSerializer.SerializeToUtf8Bytes(document, Options)), (byte)'\n'];

    /// <summary>Any part of the model, compact (no whitespace outside strings).</summary>
    public static byte[] SerializeCompact<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Reads any part of the model.</summary>
    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize<T>(utf8Json, Options);

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(OmitEmpty);
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            MaxDepth = CanonicalWriter.MaxDepth,
            TypeInfoResolver = resolver,
        };
        options.MakeReadOnly();
        return options;
    }

    // Empty arrays and false flags are left out, as struct.json leaves them out.
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
