using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Schema;

namespace LlmStruct.Pipeline;

/// <summary>A document that does not match the schema was about to be written (a bug in a parser or the pipeline).</summary>
public sealed class InvalidStructException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidStructException(IReadOnlyList<string> errors)
        : base("struct.json does not match its schema:\n" + string.Join("\n", errors.Take(20))) => Errors = errors;

    /// <summary>The schema errors.</summary>
    public IReadOnlyList<string> Errors { get; }
}

/// <summary>Writes struct.json atomically: canonical bytes, validated, to a temp file in the same folder, then renamed over the target.</summary>
public static class StructFileWriter
{
    /// <summary>
    /// Serializes, validates and writes <paramref name="document"/> to <paramref name="path"/>. The canonical JSON is
    /// streamed into a temp file beside the target (no whole-document buffer: a large project's struct.json is
    /// hundreds of megabytes), validated against the schema's rules by <see cref="ModelConstraints"/> on the model as it is
    /// serialized (each module on the worker that writes it; tests hold those checks equivalent to the JSON Schema), flushed
    /// to disk and renamed over the target. The old file stays
    /// whole until the new one is complete; on any failure the temp file is removed and the old file is untouched.
    /// Returns the number of bytes written.
    /// </summary>
    public static async Task<long> WriteAsync(string path, StructDocument document, CancellationToken cancellationToken = default) =>
        (await WriteWithSpansAsync(path, document, cancellationToken).ConfigureAwait(false)).Length;

    /// <summary>Like <see cref="WriteAsync"/>; also returns where each module's bytes lie in the file.</summary>
    internal static Task<(long Length, ModuleSpan[] Spans)> WriteWithSpansAsync(
        string path, StructDocument document, CancellationToken cancellationToken = default, bool canonical = false)
    {
        // A document fresh from StructLinker.Link is canonical already; anything else is put in order first.
        var ordered = canonical ? document : StructCanonicalizer.Canonicalize(document);
        // Each module is checked against the schema's rules on the thread that serializes it, while it is in cache.
        var moduleProblems = new List<string>?[ordered.Modules.Length];
        void Inspect(int index, ModuleInfo module)
        {
            var problems = new List<string>();
            ModelConstraints.CheckModule(index, module, problems);
            moduleProblems[index] = problems.Count > 0 ? problems : null;
        }
        IReadOnlyList<string> Check()
        {
            var problems = new List<string>();
            ModelConstraints.CheckParts(ordered, problems, withModules: false);
            foreach (var list in moduleProblems)
            {
                if (list is not null)
                {
                    problems.AddRange(list);
                }
            }
            return problems;
        }
        return WriteValidatedAsync(
            path,
            (stream, ct) => StructJson.SerializeWithSpansAsync(stream, ordered, ct, Inspect),
            Check,
            cancellationToken);
    }

    /// <summary>
    /// The atomic write behind every struct.json: <paramref name="write"/> fills a temp file beside the target;
    /// <paramref name="check"/> (the schema's rules on the model that was written, <see cref="ModelConstraints"/>) must
    /// find nothing; then the file is flushed to disk and renamed over the target. On failure the temp file goes and the
    /// old file stays. Validation costs time in proportion to the model, never a second pass over the bytes: a general
    /// JSON Schema evaluation of the output cost several times the serialization itself on small projects.
    /// </summary>
    internal static async Task<(long Length, T Result)> WriteValidatedAsync<T>(
        string path, Func<Stream, CancellationToken, Task<T>> write, Func<IReadOnlyList<string>> check, CancellationToken cancellationToken)
    {
        var (full, temp) = TempBeside(path);
        try
        {
            long length;
            T result;
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                result = await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                length = stream.Length;
                var problems = check();
                if (problems.Count > 0)
                {
                    throw new InvalidStructException(problems);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            return (length, result);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes bytes to a temp file beside <paramref name="path"/>, flushes them to disk, then renames it over the target.</summary>
    public static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var (full, temp) = TempBeside(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The target's full path and a fresh temp file name in the same folder (so the rename is atomic).</summary>
    private static (string Full, string Temp) TempBeside(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        RemoveStaleTemps(directory, Path.GetFileName(full));
        return (full, Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Random.Shared.Next():x8}.tmp"));
    }

    /// <summary>
    /// Deletes temp files of this target left by writers that are no longer running (a run killed while writing
    /// leaves one, as large as the output). A temp file whose writer is alive is another run's write in progress.
    /// </summary>
    internal static void RemoveStaleTemps(string directory, string fileName)
    {
        IEnumerable<string> temps;
        try
        {
            temps = Directory.EnumerateFiles(directory, $".{fileName}.*.tmp", new EnumerationOptions { MatchCasing = MatchCasing.CaseSensitive, IgnoreInaccessible = true, AttributesToSkip = 0 });
            foreach (var temp in temps)
            {
                // .NAME.PID.HEX.tmp
                var rest = Path.GetFileName(temp).AsSpan(fileName.Length + 2);
                int dot = rest.IndexOf('.');
                if (dot > 0 && int.TryParse(rest[..dot], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid)
                    && pid != Environment.ProcessId && !IsRunning(pid))
                {
                    TryDelete(temp);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort, like the delete itself.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp file is harmless and never read.
        }
    }
}
