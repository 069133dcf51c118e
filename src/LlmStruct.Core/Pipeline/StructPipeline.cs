using System.Security.Cryptography;
using LlmStruct.Caching;
using LlmStruct.Discovery;
using LlmStruct.Json;
using LlmStruct.Linking;
using LlmStruct.Model;
using LlmStruct.Parsing;
using LlmStruct.Security;
using LlmStruct.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Pipeline;

/// <summary>
/// The parse pipeline: discover → parse in parallel → assemble in canonical order. A file that cannot be read
/// or parsed becomes an entry in <c>errors</c> (or <c>skipped</c>) and the run goes on.
/// </summary>
public sealed partial class StructPipeline
{
    private const int BinarySniffBytes = 8192;
    private readonly ParserRegistry _registry;
    private readonly ILogger _logger;
    private readonly StructLinker _linker;
    private readonly IStructContributor[] _contributors;

    /// <summary>Creates a pipeline without contributors (the 0.1.0 signature, kept for binary compatibility).</summary>
    public StructPipeline(ParserRegistry registry, ILogger<StructPipeline>? logger, StructLinker? linker)
        : this(registry, logger, linker, null)
    {
    }

    /// <summary>
    /// Creates the pipeline over the registered parsers; <paramref name="linker"/> defaults to <see cref="StructLinker.Default"/>;
    /// <paramref name="contributors"/> add parts beyond the code (see <see cref="IStructContributor"/>).
    /// </summary>
    public StructPipeline(ParserRegistry registry, ILogger<StructPipeline>? logger = null, StructLinker? linker = null, IEnumerable<IStructContributor>? contributors = null)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _linker = linker ?? StructLinker.Default;
        _contributors = contributors?.ToArray() ?? [];
    }

    /// <summary>Runs discovery and parsing and returns the canonical document (not yet written).</summary>
    public async Task<PipelineResult> RunAsync(PipelineRequest request, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var run = new Run(Path.GetFullPath(request.Root));
        using var activity = LlmStructTelemetry.ActivitySource.StartActivity(LlmStructTelemetry.ParseActivity);
        try
        {
            var discovery = Discover(run, request.Options, cancellationToken);
            var context = ContextOf(run, request);
            var document = await ParseAndLinkAsync(run, request, discovery, progress, cancellationToken).ConfigureAwait(false);
            document = await ContributeAsync(run, document, context, cancellationToken).ConfigureAwait(false);
            ParseTelemetry.Record(run.Counts, run.Timings, "parsed", activity);
            return new PipelineResult(document, context.Warnings) { Timings = run.Timings };
        }
        catch (Exception ex) when (ParseTelemetry.Failed(activity, ex))
        {
            throw; // never reached: the filter records the failure and declines
        }
        finally
        {
            run.Hold.Release();
        }
    }

    /// <summary>
    /// Brings the struct.json at <paramref name="outputPath"/> up to date: runs the pipeline and writes the file
    /// atomically (<see cref="StructFileWriter"/>). With a <see cref="PipelineRequest.Cache"/>, the run's inputs are
    /// fingerprinted (contents of every discovered file by its cached hash, options, README, package manifests,
    /// parser and tool builds); when they match what the cache recorded for this output and the file is still as it
    /// was written, nothing is parsed or written and the result says <see cref="BuildResult.UpToDate"/>. When only a
    /// few files changed and none changed what other modules link to (<c>ModuleSurface</c>), the previous file is
    /// patched (<see cref="BuildResult.ChangedFiles"/>); otherwise the run is a full one. Every path gives the bytes
    /// of a full run.
    /// </summary>
    public async Task<BuildResult> BuildAsync(PipelineRequest request, string outputPath, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var run = new Run(Path.GetFullPath(request.Root));
        using var activity = LlmStructTelemetry.ActivitySource.StartActivity(LlmStructTelemetry.ParseActivity);
        try
        {
            var result = await BuildAsync(run, request, Path.GetFullPath(outputPath), progress, cancellationToken).ConfigureAwait(false);
            ParseTelemetry.Record(run.Counts, run.Timings, result.UpToDate ? "up_to_date" : result.ChangedFiles > 0 ? "patched" : "parsed", activity);
            return result;
        }
        catch (Exception ex) when (ParseTelemetry.Failed(activity, ex))
        {
            throw; // never reached: the filter records the failure and declines
        }
        finally
        {
            run.Hold.Release();
        }
    }

    private async Task<BuildResult> BuildAsync(Run run, PipelineRequest request, string output, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var discovery = Discover(run, request.Options, cancellationToken);
        var cache = request.Cache;
        var record = cache?.GetOutput(output);
        if (cache is not null)
        {
            run.Lap("record-read");
        }
        var context = ContextOf(run, request);
        var contributed = cache is null ? null : await ContributorFingerprintAsync(context, cancellationToken).ConfigureAwait(false);
        if (record is not null && IsAsWritten(output, record))
        {
            var (global, full) = Fingerprint(run.Root, request.Options, discovery, (file, parserKey) => cache!.TryGetShaByStamp(file.RelativePath, Stamp(file), parserKey), contributed);
            run.Lap("fingerprint");
            if (full == record.Fingerprint)
            {
                _logger.LogDebug("Inputs unchanged since {Output} was written", output);
                return new BuildResult { UpToDate = true, Stats = record.Header.Stats, Errors = record.Header.Errors, Bytes = record.Length, Timings = run.Timings };
            }
            // A contribution may depend on any module (a task's symbols), so a patch, which rewrites only the changed
            // modules, is not enough when there is one.
            if (global == record.Global && contributed is null
                && await TryPatchAsync(run, request, discovery, record, output, cancellationToken).ConfigureAwait(false) is { } patched)
            {
                return patched;
            }
        }

        var document = await ParseAndLinkAsync(run, request, discovery, progress, cancellationToken).ConfigureAwait(false);
        document = await ContributeAsync(run, document, context, cancellationToken).ConfigureAwait(false);
        var (length, spans) = await StructFileWriter.WriteWithSpansAsync(output, document, cancellationToken, canonical: true).ConfigureAwait(false);
        run.Lap("write");
        if (cache is not null)
        {
            // Surfaces of unchanged files are taken from the previous record when the same builds wrote it.
            var previous = record is null ? null : cache.GetOutput(output, withModules: true);
            cache.PutOutput(output, RecordOf(run.Root, request.Options, discovery, output, document, spans, previous, contributed));
            run.Lap("record");
        }
        return new BuildResult { Document = document, Stats = document.Stats, Errors = document.Errors, Bytes = length, Timings = run.Timings, Warnings = context.Warnings };
    }

    private static StructContributionContext ContextOf(Run run, PipelineRequest request) =>
        new(run.Root, request.Options, request.ConfigPath is null ? null : Path.GetFullPath(request.ConfigPath));

    // The contributors' fingerprints joined in registration order; null when none contributes anything.
    private async Task<string?> ContributorFingerprintAsync(StructContributionContext context, CancellationToken cancellationToken)
    {
        System.Text.StringBuilder? joined = null;
        foreach (var contributor in _contributors)
        {
            if (await contributor.FingerprintAsync(context, cancellationToken).ConfigureAwait(false) is { } print)
            {
                (joined ??= new()).Append(contributor.GetType().FullName).Append('=').Append(print).Append('\n');
            }
        }
        return joined?.ToString();
    }

    private async Task<StructDocument> ContributeAsync(Run run, StructDocument document, StructContributionContext context, CancellationToken cancellationToken)
    {
        if (_contributors.Length == 0)
        {
            return document;
        }
        foreach (var contributor in _contributors)
        {
            document = await contributor.ContributeAsync(document, context, cancellationToken).ConfigureAwait(false);
        }
        run.Lap("contribute");
        return document with { Tasks = StructCanonicalizer.CanonicalizeTasks(document.Tasks) };
    }

    private DiscoveryResult Discover(Run run, Configuration.LlmStructOptions options, CancellationToken cancellationToken)
    {
        var discovery = FileDiscovery.Discover(run.Root, options.Parsing, path => _registry.ForPath(path) is not null, cancellationToken);
        _logger.LogDebug("Discovered {Count} files under the root", discovery.Files.Count);
        run.Lap("discover");
        return discovery;
    }

    private async Task<StructDocument> ParseAndLinkAsync(
        Run run, PipelineRequest request, DiscoveryResult discovery, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var options = request.Options;
        run.Hold = CollectionHold.Start(CollectionHold.SizedTo(request.CollectionHoldBudget, discovery.Files));
        var (hits, misses) = (request.Cache?.Hits ?? 0, request.Cache?.Misses ?? 0);
        var outcomes = await ParseFilesAsync(discovery.Files, options.Parsing.MaxFileBytes, new SourceRedactor(options.Security), request.Cache, request.MaxDegreeOfParallelism, progress, cancellationToken).ConfigureAwait(false);
        run.Lap("parse");
        run.Counts = ParseTelemetry.Enabled
            ? ParseTelemetry.CountsOf(discovery.Files, (request.Cache?.Hits ?? 0) - hits, (request.Cache?.Misses ?? 0) - misses)
            : default;

        var modules = new List<ModuleInfo>(outcomes.Length);
        var errors = new List<ParseError>(discovery.Errors);
        var skipped = new List<SkippedFile>(discovery.Skipped);
        foreach (var outcome in outcomes)
        {
            if (outcome.Module is not null)
            {
                modules.Add(outcome.Module);
            }
            errors.AddRange(outcome.Errors);
            if (outcome.Skipped is not null)
            {
                skipped.Add(outcome.Skipped);
            }
        }

        if (request.Cache is not null)
        {
            request.Cache.Save(cancellationToken);
            run.Lap("cache");
        }
        run.Counts = run.Counts with { Errors = errors.Count };
        var document = StructAssembler.Unlinked(run.Root, options, modules, errors, skipped);
        run.Lap("assemble");
        // Without a cache every module was parsed by this run (ParseWith: canonical, no links); cached modules may
        // come from another build, so they are checked like any document.
        document = _linker.Link(document, LinkOptions.FromRoot(run.Root, document), run.Lap, freshModules: request.Cache is null);
        return document;
    }

    // Every input the document is a function of, hashed in a fixed order: Global without file contents, Full with
    // them. A file's content counts by its hash (null when unknown without reading it: then its stamp stands in, on
    // both sides of the comparison).
    private (string Global, string Full) Fingerprint(
        string root, Configuration.LlmStructOptions options, DiscoveryResult discovery, Func<DiscoveredFile, string, string?> contentHash, string? contributed)
    {
        using var global = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var contents = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        static void Add(IncrementalHash hash, string? text)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(text ?? "\u0001null"));
            hash.AppendData([0]);
        }
        Add(global, "llmstruct-inputs/1");
        Add(global, Tools);
        Add(global, new DirectoryInfo(root).Name);
        Add(global, System.Text.Json.JsonSerializer.Serialize(new FingerprintOptions(options.Project, options.Parsing, options.Instructions), FingerprintJson.Default.FingerprintOptions));
        Add(global, ReadmeSummary.FromRoot(root));
        var javascript = new List<string>();
        var redactor = new SourceRedactor(options.Security);
        foreach (var file in discovery.Files)
        {
            var parser = _registry.ForPath(file.RelativePath)!;
            var parserKey = ParserKey(parser, redactor, file.RelativePath);
            Add(global, file.RelativePath);
            Add(global, parserKey);
            Add(contents, contentHash(file, parserKey) ?? $"stamp:{file.Length}:{file.LastWriteTicks}");
            if (JavaScriptLinker.IsScriptLanguage(parser.Language))
            {
                javascript.Add(file.RelativePath);
            }
        }
        Add(global, System.Text.Json.JsonSerializer.Serialize(discovery.Errors, FingerprintJson.Default.IReadOnlyListParseError));
        Add(global, System.Text.Json.JsonSerializer.Serialize(discovery.Skipped, FingerprintJson.Default.IReadOnlyListSkippedFile));
        var linkInputs = LinkOptions.FromRoot(root, javascript);
        foreach (var (folder, manifest) in linkInputs.PackageManifests.Concat(linkInputs.TypeScriptConfigs))
        {
            Add(global, folder);
            Add(global, manifest);
        }
        Add(global, contributed);
        var globalHash = Convert.ToHexStringLower(global.GetHashAndReset());
        Add(contents, globalHash);
        return (globalHash, Convert.ToHexStringLower(contents.GetHashAndReset()));
    }

    /// <summary>Hash of the names and module version ids of the builds whose code decides the output.</summary>
    private string Tools => _tools ??= Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        string.Join("\n", ToolAssemblies().Select(a => a.GetName().Name + " " + a.ManifestModule.ModuleVersionId.ToString("N"))))));

    private string? _tools;

    // The builds whose code decides the output: Core (pipeline, linker, writer), the parsers and the linkers.
    private IEnumerable<System.Reflection.Assembly> ToolAssemblies() =>
        new[] { typeof(StructPipeline).Assembly }
            .Concat(_registry.Parsers.Select(p => p.GetType().Assembly))
            .Concat(_linker.Linkers.Select(l => l.GetType().Assembly))
            .Distinct()
            .OrderBy(a => a.GetName().Name, StringComparer.Ordinal);

    private static bool IsAsWritten(string output, OutputRecord record)
    {
        var info = new FileInfo(output);
        return info.Exists && info.Length == record.Length && info.LastWriteTimeUtc.Ticks == record.LastWriteTicks;
    }

    private static FileStamp Stamp(DiscoveredFile file) => new(file.Length, file.LastWriteTicks);

    /// <summary>Per-run state: the root and the stage clock.</summary>
    private sealed class Run(string root)
    {
        /// <summary>The run's hold on garbage collection (released when the run ends).</summary>
        public CollectionHold Hold { get; set; } = CollectionHold.None;

        /// <summary>What the run handled, for <see cref="ParseTelemetry"/> (left empty when nothing listens).</summary>
        public RunCounts Counts { get; set; }

        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly List<StageTiming> _timings = [];

        public string Root { get; } = root;

        public IReadOnlyList<StageTiming> Timings => _timings;

        private TimeSpan _cpu = Environment.CpuUsage.TotalTime;

        private long _allocated = GC.GetTotalAllocatedBytes();

        public void Lap(string stage)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            long allocated = GC.GetTotalAllocatedBytes();
            _timings.Add(new StageTiming(stage, _clock.Elapsed, cpu - _cpu, allocated - _allocated));
            _clock.Restart();
            _cpu = cpu;
            _allocated = allocated;
        }
    }

    /// <summary>Parses one source file in memory (no discovery), filling path, language, hash and line count; secrets are redacted with the default rules.</summary>
    public ParseResult ParseFile(SourceFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        var parser = _registry.ForPath(file.Path)
            ?? throw new ArgumentException($"no parser reads '{Path.GetExtension(file.Path)}' files", nameof(file));
        var (module, errors) = ParseWith(parser, file, Convert.ToHexStringLower(SHA256.HashData(file.Content.Span)), SourceRedactor.Default, cancellationToken);
        return new ParseResult(module, errors);
    }

    /// <summary>
    /// Parses one file in memory (no discovery) as a run with <paramref name="redactor"/>'s settings would: with a
    /// <paramref name="cache"/>, an entry for the file's path with the same content hash and parser build is used
    /// instead of parsing (read only: nothing is stored). Hosts that parse content from elsewhere (git objects) use it.
    /// </summary>
    public ParseResult ParseFile(SourceFile file, SourceRedactor redactor, ParseCache? cache, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(redactor);
        var parser = _registry.ForPath(file.Path)
            ?? throw new ArgumentException($"no parser reads '{Path.GetExtension(file.Path)}' files", nameof(file));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Content.Span));
        var parserKey = ParserKey(parser, redactor, file.Path);
        if (cache?.TryGetByHash(file.Path, sha256, new FileStamp(file.Content.Length, 0), parserKey) is { } cached)
        {
            return new ParseResult(cached.Module, cached.Errors);
        }
        var (module, errors) = ParseWith(parser, file, sha256, redactor, cancellationToken);
        return new ParseResult(module, errors);
    }

    /// <summary>
    /// Reads and parses files on a few workers, largest first (so no long file is left for the end while the other
    /// workers idle); each outcome lands at its file's index, so scheduling never changes the order of anything.
    /// </summary>
    private async Task<FileOutcome[]> ParseFilesAsync(
        IReadOnlyList<DiscoveredFile> files, long maxFileBytes, SourceRedactor redactor, ParseCache? cache, int parallelism, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        var outcomes = new FileOutcome[files.Count];
        var order = new int[files.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (a, b) => files[a].Length != files[b].Length ? files[b].Length.CompareTo(files[a].Length) : a.CompareTo(b));
        int next = -1, completed = 0;
        void Work()
        {
            var reader = new FileReader();
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int k = Interlocked.Increment(ref next);
                    if (k >= order.Length)
                    {
                        return;
                    }
                    var file = files[order[k]];
                    outcomes[order[k]] = Process(file, maxFileBytes, redactor, cache, reader, cancellationToken);
                    progress?.Report(new PipelineProgress(Interlocked.Increment(ref completed), outcomes.Length, file.RelativePath));
                }
            }
            finally
            {
                reader.Dispose();
            }
        }
        int workers = Math.Max(1, Math.Min(parallelism, files.Count));
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            tasks[w] = Task.Run(Work, cancellationToken);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return outcomes;
    }

    private Task<FileOutcome> ProcessAsync(DiscoveredFile file, long maxFileBytes, SourceRedactor redactor, ParseCache? cache, CancellationToken cancellationToken)
    {
        using var reader = new FileReader();
        return Task.FromResult(Process(file, maxFileBytes, redactor, cache, reader, cancellationToken));
    }

    // A cached parse is valid for the parser build and the redaction settings that made it (cached modules are stored
    // redacted, so a change of [security] must not reuse them).
    private static string ParserKey(ILanguageParser parser, SourceRedactor redactor, string relativePath) =>
        parser.Language + "/" + parser.Version + "/" + redactor.KeyFor(relativePath);

    private FileOutcome Process(DiscoveredFile file, long maxFileBytes, SourceRedactor redactor, ParseCache? cache, FileReader reader, CancellationToken cancellationToken)
    {
        var parser = _registry.ForPath(file.RelativePath)!;
        var parserKey = ParserKey(parser, redactor, file.RelativePath);
        var stamp = Stamp(file);
        if (cache?.TryGetByStamp(file.RelativePath, stamp, parserKey) is { } unchanged)
        {
            return new FileOutcome(unchanged.Module, unchanged.Errors, null);
        }

        ReadOnlyMemory<byte>? read;
        try
        {
            read = reader.Read(file, maxFileBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            // .NET's messages name the file by its full path: struct.json names it relative to the root.
            var message = ex.Message.Replace(file.FullPath, file.RelativePath, StringComparison.Ordinal);
            _logger.LogWarning("Cannot read {Path}: {Message}", file.RelativePath, message);
            return FileOutcome.Error(new ParseError { File = file.RelativePath, Reason = $"cannot read file: {message}" });
        }
        if (read is not { } content)
        {
            return FileOutcome.Skip(new SkippedFile { Path = file.RelativePath, Reason = "grew past max_file_bytes while being read" });
        }
        var bytes = content.Span;
        if (bytes[..Math.Min(bytes.Length, BinarySniffBytes)].Contains((byte)0) && !LooksLikeUtf16(bytes))
        {
            return FileOutcome.Skip(new SkippedFile { Path = file.RelativePath, Reason = "binary file (NUL byte in the first 8 KiB)" });
        }
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (cache?.TryGetByHash(file.RelativePath, sha256, stamp, parserKey) is { } same)
        {
            return new FileOutcome(same.Module, same.Errors, null);
        }
        // The content is a view of the reader's buffer: parsers read it during Parse and keep none of it.
        var (module, errors) = ParseWith(parser, new SourceFile(file.RelativePath, content), sha256, redactor, cancellationToken);
        cache?.Put(file.RelativePath, stamp, parserKey, new CachedParse { Module = module, Errors = [.. errors] });
        return new FileOutcome(module, errors, null);
    }

    private (ModuleInfo Module, IReadOnlyList<ParseError> Errors) ParseWith(
        ILanguageParser parser, SourceFile file, string sha256, SourceRedactor redactor, CancellationToken cancellationToken)
    {
        ParseResult result;
        try
        {
            result = parser.Parse(file, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Parsers promise never to throw; if one does, the file still gets an entry and the run goes on.
            _logger.LogError(ex, "Parser {Language} failed on {Path}", parser.Language, file.Path);
            result = ParseResult.Failed(file.Path, 0, 0, $"internal parser error ({ex.GetType().Name}): {ex.Message}");
        }
        var module = StructCanonicalizer.Canonicalize(result.Module with
        {
            Path = file.Path,
            Language = parser.Language,
            Sha256 = sha256,
            Lines = SourceText.CountLines(file.Content.Span),
        });
        module = UniqueIds.Apply(module);
        // Redacted before anything keeps the module (the cache included): no later stage ever sees a secret.
        module = redactor.Redact(module);
        var errors = result.Errors.Select(e => e.File == file.Path ? e : e with { File = file.Path }).ToArray();
        return (module, errors);
    }

    /// <summary>
    /// Reads files into one reused buffer (rented from the shared pool), at most a size limit. A file that was empty
    /// when discovered is not opened at all: FIFOs, sockets and devices report size 0, and opening a FIFO would block.
    /// </summary>
    private sealed class FileReader : IDisposable
    {
        // Linux's cap on what one read returns (MAX_RW_COUNT).
        private const int MaxSingleRead = 0x7FFFF000;

        private byte[] _buffer = [];

        /// <summary>The file's bytes (valid until the next read), or null when it grew past <paramref name="maxBytes"/>.</summary>
        public ReadOnlyMemory<byte>? Read(DiscoveredFile file, long maxBytes)
        {
            if (file.Length == 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }
            // No read-ahead advice: the file is read whole in one call, so it would only cost a system call per file.
            // On Linux the descriptor comes straight from open(2) (PosixFiles: no lock, no stat).
            int fd = PosixFiles.Available ? PosixFiles.Open(file.FullPath) : -1;
            if (fd >= 0)
            {
                try
                {
                    return ReadWhole(file, maxBytes, null, fd);
                }
                finally
                {
                    PosixFiles.Close(fd);
                }
            }
            using var handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.None);
            return ReadWhole(file, maxBytes, handle, -1);
        }

        // Reads from the handle, or from the descriptor when there is no handle.
        private ReadOnlyMemory<byte>? ReadWhole(DiscoveredFile file, long maxBytes, Microsoft.Win32.SafeHandles.SafeFileHandle? handle, int fd)
        {
            // Reading one byte past the limit shows a file that grew past it while it was being read.
            long limit = Math.Min(maxBytes + 1, Array.MaxLength);
            Ensure((int)Math.Min(file.Length + 1, limit));
            int total = 0;
            while (true)
            {
                int room = (int)Math.Min(_buffer.Length, limit) - total;
                if (room == 0)
                {
                    if (total >= limit)
                    {
                        return null;
                    }
                    Ensure((int)Math.Min((long)_buffer.Length * 2, limit), keep: total);
                    continue;
                }
                var into = _buffer.AsSpan(total, room);
                int read = handle is null ? PosixFiles.Read(fd, into, total) : RandomAccess.Read(handle, into, total);
                total += read;
                // A regular file reads short only at its end (below the kernel's 2 GiB cap on one read): no second read
                // to be told so.
                if (read == 0 || (read < room && room <= MaxSingleRead))
                {
                    break;
                }
            }
            return total > maxBytes ? null : _buffer.AsMemory(0, total);
        }

        private void Ensure(int size, int keep = 0)
        {
            if (_buffer.Length >= size)
            {
                return;
            }
            var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
            _buffer.AsSpan(0, keep).CopyTo(larger);
            Dispose();
            _buffer = larger;
        }

        public void Dispose()
        {
            if (_buffer.Length > 0)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
            }
            _buffer = [];
        }
    }

    private static bool LooksLikeUtf16(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF));

    private readonly record struct FileOutcome(ModuleInfo? Module, IReadOnlyList<ParseError> Errors, SkippedFile? Skipped)
    {
        public static FileOutcome Error(ParseError error) => new(null, [error], null);

        public static FileOutcome Skip(SkippedFile skipped) => new(null, [], skipped);
    }
}
