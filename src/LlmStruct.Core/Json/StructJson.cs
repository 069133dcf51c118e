using System.Collections.Immutable;
using System.Text.Json;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Canonical JSON for <see cref="StructDocument"/>: UTF-8 without BOM, LF, snake_case properties in the model's
/// order, nulls, <c>false</c> and empty arrays left out, a trailing newline; an object or array of scalars on one
/// line, anything else one member per line with two-space indent (see docs/struct-json.md).
/// Reading canonical bytes and writing them again gives the same bytes.
/// </summary>
public static class StructJson
{
    /// <summary>Serializes a document as canonical bytes. Call <see cref="StructCanonicalizer.Canonicalize(StructDocument)"/> first to get canonical order.</summary>
    public static byte[] Serialize(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var buffer = new MemoryStream();
        // A MemoryStream completes every write synchronously, so this never blocks on I/O.
        WriteDocumentAsync(buffer, document, null, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    /// <summary>Serializes a document as canonical bytes straight into <paramref name="stream"/> (no whole-document buffer).</summary>
    public static async Task SerializeAsync(Stream stream, StructDocument document, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(document);
        await WriteDocumentAsync(stream, document, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serializes like <see cref="SerializeAsync(Stream, StructDocument, CancellationToken)"/> and returns where each
    /// module's bytes lie in the output (in module order), so a later run can copy unchanged modules instead of
    /// serializing them again. <paramref name="inspect"/>, when given, sees each module (with its index) on the
    /// thread that serializes it, just before it is written.
    /// </summary>
    internal static async Task<ModuleSpan[]> SerializeWithSpansAsync(
        Stream stream, StructDocument document, CancellationToken cancellationToken = default, Action<int, ModuleInfo>? inspect = null)
    {
        var spans = new ModuleSpan[document.Modules.Length];
        await WriteDocumentAsync(stream, document, spans, inspect, cancellationToken).ConfigureAwait(false);
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
        async ValueTask WriteModules(OutputSink sink)
        {
            using var writer = new CanonicalWriter();
            for (int i = 0; i < count;)
            {
                if (i > 0)
                {
                    await sink.WriteAsync(ModuleSeparator).ConfigureAwait(false);
                }
                if (replaced.TryGetValue(i, out var module))
                {
                    WriteModuleFragment(writer, module);
                    spans[i] = new ModuleSpan(sink.Position, writer.Length);
                    await sink.WriteAsync(writer.WrittenMemory).ConfigureAwait(false);
                    i++;
                    continue;
                }
                int j = i;
                while (j < count && !replaced.ContainsKey(j))
                {
                    j++;
                }
                long start = previousSpans[i].Offset, end = previousSpans[j - 1].Offset + previousSpans[j - 1].Length;
                long shift = sink.Position - start;
                for (int k = i; k < j; k++)
                {
                    spans[k] = new ModuleSpan(previousSpans[k].Offset + shift, previousSpans[k].Length);
                }
                long at = start;
                if (stream is FileStream file)
                {
                    // Kernel-side copy straight into the output file at the stream's position.
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    long copied = FileRangeCopy.TryCopy(previous, start, file.SafeFileHandle, file.Position, end - start);
                    file.Position += copied;
                    sink.Advance(copied);
                    at += copied;
                }
                while (at < end)
                {
                    int read = await RandomAccess.ReadAsync(previous, buffer.AsMemory(0, (int)Math.Min(buffer.Length, end - at)), at, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        throw new IOException("the previous struct.json is shorter than recorded");
                    }
                    await sink.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                    at += read;
                }
                i = j;
            }
        }
        await WriteDocumentAsync(stream, header, count, WriteModules, cancellationToken).ConfigureAwait(false);
        return spans;
    }

    /// <summary>Reads one module written by <see cref="SerializeModuleFragment"/> (any indentation).</summary>
    internal static ModuleInfo DeserializeModule(ReadOnlySpan<byte> utf8Json) => ModelReader.Module(utf8Json);

    /// <summary>One module's canonical bytes as they appear inside the document (indented for their depth, no trailing comma).</summary>
    internal static byte[] SerializeModuleFragment(ModuleInfo module)
    {
        using var writer = new CanonicalWriter();
        WriteModuleFragment(writer, module);
        return writer.ToArray();
    }

    private static void WriteModuleFragment(CanonicalWriter writer, ModuleInfo module)
    {
        writer.Clear(ModuleDepth);
        writer.Indent(ModuleDepth);
        ModelWriter.Module(writer, module);
    }

    // The document is written property by property and its modules one by one (in parallel, in order), each
    // written at its depth: the bytes are those of serializing the whole document at once (a test pins that), and
    // every module can be located in the output.
    private static ValueTask WriteDocumentAsync(Stream stream, StructDocument document, ModuleSpan[]? spans, Action<int, ModuleInfo>? inspect, CancellationToken cancellationToken) =>
        WriteDocumentAsync(stream, document, document.Modules.Length,
            sink => WriteModulesAsync(document.Modules, sink, spans, inspect, cancellationToken), cancellationToken);

    private static async ValueTask WriteDocumentAsync(
        Stream stream, StructDocument document, int moduleCount, Func<OutputSink, ValueTask> writeModules, CancellationToken cancellationToken)
    {
        var sink = new OutputSink(stream, cancellationToken);
        using var writer = new CanonicalWriter();
        await sink.WriteAsync("{"u8.ToArray()).ConfigureAwait(false);
        bool first = true;
        foreach (var (part, head) in ModelWriter.DocumentParts)
        {
            if (part == DocumentPart.Modules)
            {
                if (moduleCount == 0)
                {
                    continue;
                }
                await sink.WriteAsync(first ? FirstHead : NextHead).ConfigureAwait(false);
                await sink.WriteAsync(head).ConfigureAwait(false);
                first = false;
                await sink.WriteAsync("[\n"u8.ToArray()).ConfigureAwait(false);
                await writeModules(sink).ConfigureAwait(false);
                await sink.WriteAsync("\n  ]"u8.ToArray()).ConfigureAwait(false);
                continue;
            }
            writer.Clear(PropertyDepth);
            if (!ModelWriter.DocumentProperty(writer, document, part))
            {
                continue;
            }
            await sink.WriteAsync(first ? FirstHead : NextHead).ConfigureAwait(false);
            await sink.WriteAsync(head).ConfigureAwait(false);
            first = false;
            await sink.WriteAsync(writer.WrittenMemory).ConfigureAwait(false);
        }
        await sink.WriteAsync(first ? "}\n"u8.ToArray() : "\n}\n"u8.ToArray()).ConfigureAwait(false);
        await sink.FlushAsync().ConfigureAwait(false);
    }

    // Modules are serialized in chunks by a few workers while the calling thread writes finished chunks in order:
    // the output never waits for the slowest chunk of a batch, memory stays bounded by the lookahead window, and the
    // bytes are the same at any parallelism.
    private static async ValueTask WriteModulesAsync(
        ImmutableArray<ModuleInfo> modules, OutputSink sink, ModuleSpan[]? spans, Action<int, ModuleInfo>? inspect, CancellationToken cancellationToken)
    {
        const int ChunkSize = 16;
        int chunks = (modules.Length + ChunkSize - 1) / ChunkSize;
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, chunks));
        var done = new TaskCompletionSource<CanonicalWriter>[chunks];
        for (int i = 0; i < chunks; i++)
        {
            done[i] = new TaskCompletionSource<CanonicalWriter>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        var offsets = new int[modules.Length];
        var writers = new System.Collections.Concurrent.ConcurrentBag<CanonicalWriter>();
        using var window = new SemaphoreSlim(workers * 3);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int next = 0;
        async Task Work()
        {
            while (true)
            {
                await window.WaitAsync(stop.Token).ConfigureAwait(false);
                int chunk = Interlocked.Increment(ref next) - 1;
                if (chunk >= chunks)
                {
                    window.Release();
                    return;
                }
                try
                {
                    if (!writers.TryTake(out var writer))
                    {
                        writer = new CanonicalWriter(1 << 18);
                    }
                    writer.Clear(ModuleDepth);
                    for (int i = chunk * ChunkSize, end = Math.Min(modules.Length, i + ChunkSize); i < end; i++)
                    {
                        if (i > chunk * ChunkSize)
                        {
                            writer.Raw(ModuleSeparator);
                        }
                        offsets[i] = writer.Length;
                        writer.Indent(ModuleDepth);
                        inspect?.Invoke(i, modules[i]);
                        ModelWriter.Module(writer, modules[i]);
                    }
                    done[chunk].SetResult(writer);
                }
                catch (Exception ex)
                {
                    done[chunk].SetException(ex);
                    return;
                }
            }
        }
        var tasks = new Task[workers];
        for (int i = 0; i < workers; i++)
        {
            tasks[i] = Task.Run(Work, stop.Token);
        }
        try
        {
            for (int chunk = 0; chunk < chunks; chunk++)
            {
                var writer = await done[chunk].Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (chunk > 0)
                {
                    await sink.WriteAsync(ModuleSeparator).ConfigureAwait(false);
                }
                if (spans is not null)
                {
                    int first = chunk * ChunkSize, end = Math.Min(modules.Length, first + ChunkSize);
                    for (int i = first; i < end; i++)
                    {
                        int length = (i + 1 < end ? offsets[i + 1] - ModuleSeparator.Length : writer.Length) - offsets[i];
                        spans[i] = new ModuleSpan(sink.Position + offsets[i], length);
                    }
                }
                await sink.WriteAsync(writer.WrittenMemory).ConfigureAwait(false);
                writers.Add(writer);
                window.Release();
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Workers stopped early because the output failed or was cancelled; that error is the one reported.
            }
            while (writers.TryTake(out var writer))
            {
                writer.Dispose();
            }
            foreach (var chunk in done)
            {
                if (chunk.Task.IsCompletedSuccessfully)
                {
                    chunk.Task.Result.Dispose();
                }
            }
        }
    }

    private const int PropertyDepth = 1;
    private const int ModuleDepth = 2;
    private static readonly byte[] ModuleSeparator = ",\n"u8.ToArray();
    private static readonly byte[] FirstHead = "\n  "u8.ToArray();
    private static readonly byte[] NextHead = ",\n  "u8.ToArray();

    /// <summary>Serializes a document to canonical text.</summary>
    public static string SerializeToString(StructDocument document) => System.Text.Encoding.UTF8.GetString(Serialize(document));

    /// <summary>Reads a document. Throws <see cref="JsonException"/> on malformed JSON or unknown properties.</summary>
    public static StructDocument Deserialize(ReadOnlySpan<byte> utf8Json) => ModelReader.Document(utf8Json);

    /// <summary>Reads a document from a file.</summary>
    public static async Task<StructDocument> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Deserialize(bytes);
    }

    /// <summary>A document in compact form (no whitespace outside strings), with the same naming and omission rules.</summary>
    internal static byte[] SerializeCompact(StructDocument document) => Compact(Serialize(document));

    /// <summary>A module in compact form.</summary>
    internal static byte[] SerializeCompact(ModuleInfo module) => Compact(module, static (w, m) => ModelWriter.Module(w, m));

    /// <summary>A definition (with its children) in compact form.</summary>
    internal static byte[] SerializeCompact(Definition definition) => Compact(definition, static (w, d) => ModelWriter.Definition(w, d));

    /// <summary>A cached parse result in compact form (what the parse cache stores).</summary>
    internal static byte[] SerializeCompact(Caching.CachedParse parse) => Compact(parse, static (w, p) => ModelWriter.CachedParse(w, p));

    private static byte[] Compact<T>(T value, Action<CanonicalWriter, T> write)
    {
        using var writer = new CanonicalWriter(1 << 12);
        write(writer, value);
        return Compact(writer.Written);
    }

    // The canonical bytes without their layout: every space and line break outside strings goes (inside strings they are
    // escaped or kept as they are), which gives System.Text.Json's compact output (the canonical form is that output
    // laid out: see the tests' CanonicalLayout).
    private static byte[] Compact(ReadOnlySpan<byte> canonical)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(1, canonical.Length));
        var result = rented.AsSpan();
        int n = 0;
        for (int i = 0; i < canonical.Length; i++)
        {
            byte b = canonical[i];
            if (b is (byte)' ' or (byte)'\n')
            {
                continue;
            }
            result[n++] = b;
            if (b == '"')
            {
                // Copy the string through its closing quote ('\' escapes the next byte).
                for (i++; i < canonical.Length; i++)
                {
                    b = canonical[i];
                    result[n++] = b;
                    if (b == '\\')
                    {
                        result[n++] = canonical[++i];
                    }
                    else if (b == '"')
                    {
                        break;
                    }
                }
            }
        }
        var compact = result[..n].ToArray();
        System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return compact;
    }
}

/// <summary>Where one module's bytes lie in a written struct.json.</summary>
/// <param name="Offset">Byte offset of the fragment (its indentation included).</param>
/// <param name="Length">Byte length of the fragment (no trailing comma or newline).</param>
internal readonly record struct ModuleSpan(long Offset, int Length);
