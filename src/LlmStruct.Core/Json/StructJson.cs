using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Canonical JSON for <see cref="StructDocument"/>: UTF-8 without BOM, LF, snake_case properties in the model's
/// order, nulls, <c>false</c> and empty arrays left out, a trailing newline; an object or array of scalars on one
/// line, anything else one member per line with two-space indent (<see cref="CanonicalLayout"/>).
/// Reading canonical bytes and writing them again gives the same bytes.
/// </summary>
public static class StructJson
{
    // Everything is serialized compactly and then laid out by CanonicalLayout; the reader takes any whitespace.
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Serializes a document as canonical bytes. Call <see cref="StructCanonicalizer.Canonicalize(StructDocument)"/> first to get canonical order.</summary>
    public static byte[] Serialize(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var buffer = new MemoryStream();
        // A MemoryStream completes every write synchronously, so this never blocks on I/O.
        WriteDocumentAsync(buffer, document, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    /// <summary>Serializes a document as canonical bytes straight into <paramref name="stream"/> (no whole-document buffer).</summary>
    public static async Task SerializeAsync(Stream stream, StructDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(document);
        await WriteDocumentAsync(stream, document, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serializes like <see cref="SerializeAsync(Stream, StructDocument, CancellationToken)"/> and returns where each
    /// module's bytes lie in the output (in module order), so a later run can copy unchanged modules instead of
    /// serializing them again.
    /// </summary>
    internal static async Task<ModuleSpan[]> SerializeWithSpansAsync(Stream stream, StructDocument document, CancellationToken cancellationToken = default)
    {
        var spans = new ModuleSpan[document.Modules.Length];
        await WriteDocumentAsync(stream, document, spans, cancellationToken).ConfigureAwait(false);
        return spans;
    }

    /// <summary>
    /// Writes <paramref name="header"/> (a document whose modules are left out) with as many
    /// modules as <paramref name="previousSpans"/> lists, taken from a previous output: module i is serialized from <paramref name="replaced"/> when it holds
    /// one, else its bytes are copied from <paramref name="previous"/> at <paramref name="previousSpans"/> (runs of
    /// unchanged modules in one copy). The bytes are those of serializing the whole patched document.
    /// </summary>
    internal static async Task<ModuleSpan[]> SerializeSplicedAsync(
        Stream stream, StructDocument header, IReadOnlyDictionary<int, ModuleInfo> replaced, Microsoft.Win32.SafeHandles.SafeFileHandle previous,
        IReadOnlyList<ModuleSpan> previousSpans, CancellationToken cancellationToken = default)
    {
        int count = previousSpans.Count;
        var spans = new ModuleSpan[count];
        var buffer = new byte[1 << 20];
        async ValueTask WriteModules(Func<ReadOnlyMemory<byte>, ValueTask> write, Func<long> position, Action<long> advance)
        {
            for (int i = 0; i < count;)
            {
                if (i > 0)
                {
                    await write(",\n"u8.ToArray()).ConfigureAwait(false);
                }
                if (replaced.TryGetValue(i, out var module))
                {
                    var fragment = SerializeModuleFragment(module);
                    spans[i] = new ModuleSpan(position(), fragment.Length);
                    await write(fragment).ConfigureAwait(false);
                    i++;
                    continue;
                }
                int j = i;
                while (j < count && !replaced.ContainsKey(j))
                {
                    j++;
                }
                long start = previousSpans[i].Offset, end = previousSpans[j - 1].Offset + previousSpans[j - 1].Length;
                long shift = position() - start;
                for (int k = i; k < j; k++)
                {
                    spans[k] = new ModuleSpan(previousSpans[k].Offset + shift, previousSpans[k].Length);
                }
                long at = start;
                if (stream is FileStream file)
                {
                    // Kernel-side copy straight into the output file at the stream's position.
                    file.Flush();
                    long copied = FileRangeCopy.TryCopy(previous, start, file.SafeFileHandle, file.Position, end - start);
                    file.Position += copied;
                    advance(copied);
                    at += copied;
                }
                while (at < end)
                {
                    int read = await RandomAccess.ReadAsync(previous, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - at)), at, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException("the previous struct.json is shorter than recorded");
                    }
                    await write(buffer.AsMemory(0, read)).ConfigureAwait(false);
                    at += read;
                }
                i = j;
            }
        }
        await WriteDocumentAsync(stream, header, count, WriteModules, cancellationToken).ConfigureAwait(false);
        return spans;
    }

    /// <summary>Reads one module written by <see cref="SerializeModuleFragment"/> (any indentation).</summary>
    internal static ModuleInfo DeserializeModule(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<ModuleInfo>(utf8Json, Options) ?? throw new JsonException("module is 'null'.");

    /// <summary>The document serialized by System.Text.Json in one piece and laid out: the reference the property-by-property writer must match (tests only).</summary>
    internal static byte[] SerializeWhole(StructDocument document)
    {
        return [.. Laid(document, typeof(StructDocument)), (byte)'\n'];
    }

    /// <summary>One module's canonical bytes as they appear inside the document (indented for their depth, no trailing comma).</summary>
    internal static byte[] SerializeModuleFragment(ModuleInfo module) =>
        Reindent(Laid(module, typeof(ModuleInfo)), ModuleIndent, first: true);

    /// <summary>A value serialized compactly, then given the canonical layout (at depth 0).</summary>
    private static byte[] Laid(object? value, Type type) => CanonicalLayout.Apply(JsonSerializer.SerializeToUtf8Bytes(value, type, Options));

    // The document is written property by property, and its modules one by one, each serialized on its own and
    // re-indented for its depth: the bytes are those of serializing the whole document at once (a test pins
    // that), but modules can be serialized in parallel and located in the output.
    private static ValueTask WriteDocumentAsync(Stream stream, StructDocument document, ModuleSpan[]? spans, CancellationToken cancellationToken) =>
        WriteDocumentAsync(stream, document, document.Modules.Length,
            (write, position, _) => WriteModulesAsync(document.Modules, write, position, spans, cancellationToken), cancellationToken);

    private static async ValueTask WriteDocumentAsync(
        Stream stream, StructDocument document, int moduleCount, Func<Func<ReadOnlyMemory<byte>, ValueTask>, Func<long>, Action<long>, ValueTask> writeModules,
        CancellationToken cancellationToken)
    {
        var typeInfo = Options.GetTypeInfo(typeof(StructDocument));
        long position = 0;
        async ValueTask Write(ReadOnlyMemory<byte> bytes)
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            position += bytes.Length;
        }
        await Write("{"u8.ToArray()).ConfigureAwait(false);
        bool first = true;
        foreach (var property in typeInfo.Properties)
        {
            bool modules = property.Name == ModulesPropertyName;
            var value = modules ? null : property.Get!(document);
            if (modules ? moduleCount == 0 : value is null || (property.ShouldSerialize is { } should && !should(document, value)))
            {
                continue;
            }
            var head = (first ? "\n  \"" : ",\n  \"") + property.Name + "\": ";
            first = false;
            await Write(System.Text.Encoding.UTF8.GetBytes(head)).ConfigureAwait(false);
            if (modules)
            {
                await Write("[\n"u8.ToArray()).ConfigureAwait(false);
                await writeModules(Write, () => position, copied => position += copied).ConfigureAwait(false);
                await Write("\n  ]"u8.ToArray()).ConfigureAwait(false);
            }
            else
            {
                await Write(Reindent(Laid(value, property.PropertyType), PropertyIndent, first: false)).ConfigureAwait(false);
            }
        }
        await Write(first ? "}\n"u8.ToArray() : "\n}\n"u8.ToArray()).ConfigureAwait(false);
    }

    private static async ValueTask WriteModulesAsync(
        ImmutableArray<ModuleInfo> modules, Func<ReadOnlyMemory<byte>, ValueTask> write, Func<long> position, ModuleSpan[]? spans, CancellationToken cancellationToken)
    {
        // Waves of batches serialized in parallel, then written in order: bounded memory, same bytes at any parallelism.
        const int BatchSize = 64;
        int batchesPerWave = Math.Max(2, Environment.ProcessorCount * 2);
        var fragments = new byte[BatchSize * batchesPerWave][];
        for (int wave = 0; wave < modules.Length; wave += fragments.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(fragments.Length, modules.Length - wave);
            Parallel.For(0, (count + BatchSize - 1) / BatchSize, new ParallelOptions { CancellationToken = cancellationToken }, batch =>
            {
                for (int i = batch * BatchSize, end = Math.Min(count, i + BatchSize); i < end; i++)
                {
                    fragments[i] = SerializeModuleFragment(modules[wave + i]);
                }
            });
            for (int i = 0; i < count; i++)
            {
                if (wave + i > 0)
                {
                    await write(",\n"u8.ToArray()).ConfigureAwait(false);
                }
                if (spans is not null)
                {
                    spans[wave + i] = new ModuleSpan(position(), fragments[i].Length);
                }
                await write(fragments[i]).ConfigureAwait(false);
                fragments[i] = null!;
            }
        }
    }

    private const string ModulesPropertyName = "modules";
    private static readonly byte[] ModuleIndent = "    "u8.ToArray();
    private static readonly byte[] PropertyIndent = "  "u8.ToArray();

    /// <summary>Indents every line of standalone JSON by <paramref name="indent"/> (the first line too when <paramref name="first"/>). JSON strings never hold a raw newline, so every LF is a line break.</summary>
    private static byte[] Reindent(byte[] json, byte[] indent, bool first)
    {
        var span = json.AsSpan();
        int lines = span.Count((byte)'\n');
        if (lines == 0 && !first)
        {
            return json;
        }
        var result = new byte[json.Length + ((lines + (first ? 1 : 0)) * indent.Length)];
        int at = 0;
        if (first)
        {
            indent.CopyTo(result, 0);
            at = indent.Length;
        }
        while (true)
        {
            int newline = span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                span.CopyTo(result.AsSpan(at));
                break;
            }
            span[..(newline + 1)].CopyTo(result.AsSpan(at));
            at += newline + 1;
            indent.CopyTo(result, at);
            at += indent.Length;
            span = span[(newline + 1)..];
        }
        return result;
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
    internal static byte[] SerializeCompact<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>Reads a part of the model written by <see cref="SerializeCompact{T}"/>.</summary>
    internal static T? DeserializeCompact<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize<T>(utf8Json, Options);

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

/// <summary>Where one module's bytes lie in a written struct.json.</summary>
/// <param name="Offset">Byte offset of the fragment (its indentation included).</param>
/// <param name="Length">Byte length of the fragment (no trailing comma or newline).</param>
internal readonly record struct ModuleSpan(long Offset, int Length);
