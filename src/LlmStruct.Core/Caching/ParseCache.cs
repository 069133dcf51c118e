using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using LlmStruct.Json;
using LlmStruct.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Caching;

/// <summary>Another run holds the cache (and so the same root) right now.</summary>
public sealed class CacheLockedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CacheLockedException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>How a file looked on disk when it was parsed: size and last write time (UTC ticks).</summary>
/// <param name="Length">Size in bytes.</param>
/// <param name="LastWriteTicks">Last write time, UTC ticks.</param>
public readonly record struct FileStamp(long Length, long LastWriteTicks);

/// <summary>A parse result as the cache keeps it: the finished module and its errors.</summary>
public sealed record CachedParse
{
    /// <summary>The module with path, language, hash and line count filled.</summary>
    public ModuleInfo Module { get; init; } = new();

    /// <summary>The file's errors (init-only with a default, so the compact JSON may leave an empty list out).</summary>
    public ImmutableArray<ParseError> Errors { get; init; } = [];
}

/// <summary>
/// The per-file parse cache: a SQLite database (WAL mode) keyed by relative path, content SHA-256, parser id and
/// version and the options that affect output. A run loads it once, looks files up (by size and write time when
/// that is safe, else by content hash), and saves new results and drops deleted files in one transaction at the
/// end. A corrupt, truncated or foreign-version database is detected, deleted and rebuilt with a warning; it can
/// never yield a result for different content, because every hit is checked against the content hash or an
/// unchanged stamp. One run at a time holds the cache through a lock file.
/// </summary>
public sealed class ParseCache : IDisposable
{
    /// <summary>Bump when the stored payload's meaning changes; a database with another version is rebuilt.</summary>
    public const string FormatVersion = "2";

    /// <summary>The database file name inside the cache folder.</summary>
    public const string DatabaseFileName = "parse.db";

    // A stamp is trusted only when the file was last written clearly before its entry was stored: a file
    // rewritten within the same clock tick as the entry (git's "racy" case) is hashed instead.
    private static readonly long RacyWindowTicks = TimeSpan.FromSeconds(2).Ticks;

    private readonly Dictionary<string, Entry> _entries;
    private readonly ConcurrentDictionary<string, Entry> _updates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly string _databasePath;
    private readonly FileStream _lock;
    private readonly ILogger _logger;
    private readonly string _optionsKey;
    private Dictionary<string, byte[]>? _payloads;
    private volatile bool _damaged;

    private ParseCache(string directory, string databasePath, FileStream lockFile, Dictionary<string, Entry> entries, string optionsKey, ILogger logger, IReadOnlyList<string> warnings)
    {
        Directory = directory;
        _databasePath = databasePath;
        _lock = lockFile;
        _entries = entries;
        _optionsKey = optionsKey;
        _logger = logger;
        Warnings = warnings;
    }

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>Problems met while opening (e.g. a corrupt database that was rebuilt).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Entries loaded from disk.</summary>
    public int LoadedEntries => _entries.Count;

    /// <summary>Lookups answered from the cache in this run.</summary>
    public int Hits => _hits;

    /// <summary>Lookups that needed a parse in this run.</summary>
    public int Misses => _misses;

    private int _hits;
    private int _misses;

    /// <summary>
    /// Opens (or creates) the cache in <paramref name="directory"/>. <paramref name="optionsKey"/> names the options
    /// that change parser output; entries stored under another key are misses. Throws <see cref="CacheLockedException"/>
    /// when another run holds the cache; any other problem gives a rebuilt cache and a warning.
    /// </summary>
    public static ParseCache Open(string directory, string optionsKey = "", ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        System.IO.Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, "lock");
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException ex)
        {
            throw new CacheLockedException($"another llmstruct run is using the cache in {directory} (lock file {lockPath}); wait for it to finish", ex);
        }

        var warnings = new List<string>();
        var databasePath = Path.Combine(directory, DatabaseFileName);
        Dictionary<string, Entry> entries;
        try
        {
            entries = Load(databasePath);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidDataException or IOException or FormatException)
        {
            var warning = $"parse cache at {databasePath} is unusable ({ex.Message.Split('\n')[0]}); rebuilding it";
            logger.LogWarning("{Warning}", warning);
            warnings.Add(warning);
            try
            {
                DeleteDatabase(databasePath);
                entries = Load(databasePath);
            }
            catch (Exception again) when (again is SqliteException or InvalidDataException or IOException or UnauthorizedAccessException)
            {
                lockFile.Dispose();
                throw new IOException($"cannot create the parse cache at {databasePath}: {again.Message}", again);
            }
        }
        return new ParseCache(directory, databasePath, lockFile, entries, optionsKey, logger, warnings);
    }

    /// <summary>Deletes the cache files in <paramref name="directory"/> (database, WAL and shared-memory files). Returns true if any existed.</summary>
    public static bool Clear(string directory)
    {
        var path = Path.Combine(directory, DatabaseFileName);
        bool existed = File.Exists(path);
        DeleteDatabase(path);
        return existed;
    }

    /// <summary>A cached result for an unchanged stamp, without reading the file; null when the file must be read.</summary>
    public CachedParse? TryGetByStamp(string path, FileStamp stamp, string parserKey)
    {
        _seen.TryAdd(path, 0);
        if (_entries.TryGetValue(path, out var entry) && entry.ParserKey == Key(parserKey) && entry.Length == stamp.Length
            && entry.LastWriteTicks == stamp.LastWriteTicks && stamp.LastWriteTicks < entry.StoredTicks - RacyWindowTicks)
        {
            var hit = Decode(entry);
            if (hit is not null)
            {
                Interlocked.Increment(ref _hits);
                return hit;
            }
        }
        return null;
    }

    /// <summary>
    /// The content hash recorded for an unchanged stamp (same rule as <see cref="TryGetByStamp"/>), without reading
    /// the file or decoding the stored result; null when the file must be read.
    /// </summary>
    public string? TryGetShaByStamp(string path, FileStamp stamp, string parserKey)
    {
        _seen.TryAdd(path, 0);
        return _entries.TryGetValue(path, out var entry) && entry.ParserKey == Key(parserKey) && entry.Length == stamp.Length
            && entry.LastWriteTicks == stamp.LastWriteTicks && stamp.LastWriteTicks < entry.StoredTicks - RacyWindowTicks
            ? entry.Sha256
            : null;
    }

    /// <summary>
    /// What the last run that used this cache recorded about the output file at <paramref name="outputPath"/> (full
    /// path), or null; <see cref="OutputRecord.Modules"/> is filled only when <paramref name="withModules"/>.
    /// </summary>
    internal OutputRecord? GetOutput(string outputPath, bool withModules = false)
    {
        try
        {
            using var connection = OpenConnection(_databasePath);
            using var select = connection.CreateCommand();
            select.CommandText = withModules
                ? "SELECT fingerprint, global, length, last_write, header, modules FROM outputs WHERE path = $path"
                : "SELECT fingerprint, global, length, last_write, header FROM outputs WHERE path = $path";
            select.Parameters.AddWithValue("$path", outputPath);
            using var reader = select.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            return new OutputRecord
            {
                Fingerprint = reader.GetString(0),
                Global = reader.GetString(1),
                Length = reader.GetInt64(2),
                LastWriteTicks = reader.GetInt64(3),
                Header = ModelReader.Document((byte[])reader.GetValue(4)),
            }.WithModules(withModules ? (byte[])reader.GetValue(5) : null);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or EndOfStreamException)
        {
            _logger.LogWarning("Could not read the output record in {Path}: {Message}", _databasePath, ex.Message);
            return null;
        }
    }

    /// <summary>Records (in one transaction) what was just written to <paramref name="outputPath"/> (full path).</summary>
    internal void PutOutput(string outputPath, OutputRecord record)
    {
        try
        {
            using var connection = OpenConnection(_databasePath);
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO outputs(path, fingerprint, global, length, last_write, header, modules)
                VALUES ($path, $fingerprint, $global, $length, $write, $header, $modules)
                ON CONFLICT(path) DO UPDATE SET fingerprint = excluded.fingerprint, global = excluded.global, length = excluded.length,
                    last_write = excluded.last_write, header = excluded.header, modules = excluded.modules
                """;
            command.Parameters.AddWithValue("$path", outputPath);
            command.Parameters.AddWithValue("$fingerprint", record.Fingerprint);
            command.Parameters.AddWithValue("$global", record.Global);
            command.Parameters.AddWithValue("$length", record.Length);
            command.Parameters.AddWithValue("$write", record.LastWriteTicks);
            command.Parameters.AddWithValue("$header", StructJson.SerializeCompact(record.Header));
            command.Parameters.AddWithValue("$modules", OutputModule.Encode(record.Tools, record.Modules));
            command.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not save the output record in {Path}: {Message}", _databasePath, ex.Message);
        }
    }

    /// <summary>A cached result for this exact content; refreshes the stored stamp on a hit. Null on a miss.</summary>
    public CachedParse? TryGetByHash(string path, string sha256, FileStamp stamp, string parserKey)
    {
        _seen.TryAdd(path, 0);
        if (_entries.TryGetValue(path, out var entry) && entry.ParserKey == Key(parserKey) && entry.Sha256 == sha256)
        {
            var hit = Decode(entry);
            if (hit is not null)
            {
                Interlocked.Increment(ref _hits);
                _updates[path] = entry with
                {
                    Length = stamp.Length, LastWriteTicks = stamp.LastWriteTicks, StoredTicks = DateTime.UtcNow.Ticks,
                    Payload = entry.Payload ?? PayloadOf(path),
                };
                return hit;
            }
        }
        Interlocked.Increment(ref _misses);
        return null;
    }

    /// <summary>Records a fresh parse result, saved by <see cref="Save"/>.</summary>
    public void Put(string path, FileStamp stamp, string parserKey, CachedParse parse)
    {
        _seen.TryAdd(path, 0);
        var payload = StructJson.SerializeCompact(parse);
        _updates[path] = new Entry(path, parse.Module.Sha256, Key(parserKey), stamp.Length, stamp.LastWriteTicks, DateTime.UtcNow.Ticks, payload, Checksum(payload));
    }

    /// <summary>Writes new results and drops entries for files this run did not see, in one transaction.</summary>
    public void Save(CancellationToken cancellationToken = default)
    {
        try
        {
            if (_damaged)
            {
                // Payloads could not be read, so every file of this run was parsed and is in _updates: start afresh.
                DeleteDatabase(_databasePath);
                Load(_databasePath);
                _entries.Clear();
                _damaged = false;
            }
            using var connection = OpenConnection(_databasePath);
            using var transaction = connection.BeginTransaction();
            var stale = _entries.Keys.Where(p => !_seen.ContainsKey(p)).ToList();
            using (var delete = connection.CreateCommand())
            {
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM entries WHERE path = $path; DELETE FROM payloads WHERE path = $path";
                var p = delete.Parameters.Add("$path", SqliteType.Text);
                foreach (var path in stale)
                {
                    p.Value = path;
                    delete.ExecuteNonQuery();
                }
            }
            using (var upsert = connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                // Metadata and payloads live in separate tables: opening the cache reads only the small one.
                upsert.CommandText = """
                    INSERT INTO entries(path, sha256, parser_key, length, last_write, stored, checksum)
                    VALUES ($path, $sha, $parser, $length, $write, $stored, $checksum)
                    ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, parser_key = excluded.parser_key, length = excluded.length,
                        last_write = excluded.last_write, stored = excluded.stored, checksum = excluded.checksum;
                    INSERT INTO payloads(path, payload) VALUES ($path, $payload)
                    ON CONFLICT(path) DO UPDATE SET payload = excluded.payload;
                    """;
                var path = upsert.Parameters.Add("$path", SqliteType.Text);
                var sha = upsert.Parameters.Add("$sha", SqliteType.Text);
                var parser = upsert.Parameters.Add("$parser", SqliteType.Text);
                var length = upsert.Parameters.Add("$length", SqliteType.Integer);
                var write = upsert.Parameters.Add("$write", SqliteType.Integer);
                var stored = upsert.Parameters.Add("$stored", SqliteType.Integer);
                var payload = upsert.Parameters.Add("$payload", SqliteType.Blob);
                var checksum = upsert.Parameters.Add("$checksum", SqliteType.Text);
                foreach (var entry in _updates.Values.OrderBy(e => e.Path, StringComparer.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (path.Value, sha.Value, parser.Value, length.Value, write.Value) = (entry.Path, entry.Sha256, entry.ParserKey, entry.Length, entry.LastWriteTicks);
                    (stored.Value, payload.Value, checksum.Value) = (entry.StoredTicks, entry.Payload, entry.Checksum);
                    upsert.ExecuteNonQuery();
                }
            }
            transaction.Commit();
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            // The output is already right; a cache that cannot be saved only costs time on the next run.
            _logger.LogWarning("Could not save the parse cache at {Path}: {Message}", _databasePath, ex.Message);
        }
        finally
        {
            // The run has taken what it needs: the stored payloads (hundreds of megabytes for a large tree) and the
            // saved results need not stay in memory while it links and writes.
            lock (_singleGate)
            {
                _payloads = null;
            }
            _updates.Clear();
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        _lock.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private string Key(string parserKey) => _optionsKey.Length == 0 ? parserKey : parserKey + "|" + _optionsKey;

    private CachedParse? Decode(Entry entry)
    {
        try
        {
            var payload = entry.Payload ?? PayloadOf(entry.Path);
            if (payload is null || Checksum(payload) != entry.Checksum)
            {
                return null;
            }
            var parse = ModelReader.CachedParse(payload);
            return parse.Module.Sha256 == entry.Sha256 ? parse : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Checksum(byte[] payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    private static Dictionary<string, Entry> Load(string databasePath)
    {
        using var connection = OpenConnection(databasePath);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS entries(path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, parser_key TEXT NOT NULL,
                    length INTEGER NOT NULL, last_write INTEGER NOT NULL, stored INTEGER NOT NULL, checksum TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS payloads(path TEXT PRIMARY KEY, payload BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS outputs(path TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, global TEXT NOT NULL,
                    length INTEGER NOT NULL, last_write INTEGER NOT NULL, header BLOB NOT NULL, modules BLOB NOT NULL);
                INSERT OR IGNORE INTO meta(key, value) VALUES ('format', $format);
                """;
            create.Parameters.AddWithValue("$format", FormatVersion);
            create.ExecuteNonQuery();
        }
        using (var check = connection.CreateCommand())
        {
            // The small tables are checked here; payloads carry their own checksums and a damaged one is a miss.
            check.CommandText = "PRAGMA quick_check(entries)";
            var verdict = check.ExecuteScalar() as string;
            if (verdict != "ok")
            {
                throw new InvalidDataException($"integrity check failed: {verdict}");
            }
        }
        using (var version = connection.CreateCommand())
        {
            version.CommandText = "SELECT value FROM meta WHERE key = 'format'";
            var found = version.ExecuteScalar() as string;
            if (found != FormatVersion)
            {
                throw new InvalidDataException($"cache format {found}, expected {FormatVersion}");
            }
        }
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        using var select = connection.CreateCommand();
        // Payloads are read only when a result is first needed: a run whose output is up to date never decodes one.
        select.CommandText = "SELECT path, sha256, parser_key, length, last_write, stored, checksum FROM entries";
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var entry = new Entry(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), null, reader.GetString(6));
            entries[entry.Path] = entry;
        }
        return entries;
    }

    // A few payloads are read one by one (a run after a small change needs one or two); from the 65th on, all of
    // them in one scan, which is far cheaper per payload.
    private const int SingleReads = 64;
    private readonly Lock _singleGate = new();
    private int _singleReads;

    private byte[]? PayloadOf(string path)
    {
        lock (_singleGate)
        {
            if (_payloads is null && _singleReads < SingleReads)
            {
                _singleReads++;
                try
                {
                    using var connection = OpenConnection(_databasePath);
                    using var select = connection.CreateCommand();
                    select.CommandText = "SELECT payload FROM payloads WHERE path = $path";
                    select.Parameters.AddWithValue("$path", path);
                    return select.ExecuteScalar() as byte[];
                }
                catch (SqliteException ex)
                {
                    _logger.LogWarning("Could not read the parse cache at {Path}: {Message}; it is rebuilt at the end of the run", _databasePath, ex.Message);
                    _damaged = true;
                    return null;
                }
            }
            _payloads ??= LoadPayloads();
            return _payloads.GetValueOrDefault(path);
        }
    }

    // All stored payloads in one scan. A database that fails now (damaged after it was opened) gives no payloads:
    // every lookup is a miss and the run parses, so the output stays right.
    private Dictionary<string, byte[]> LoadPayloads()
    {
        var payloads = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var connection = OpenConnection(_databasePath);
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT path, payload FROM payloads";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                payloads[reader.GetString(0)] = (byte[])reader.GetValue(1);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not read the parse cache at {Path}: {Message}; it is rebuilt at the end of the run", _databasePath, ex.Message);
            payloads.Clear();
            _damaged = true;
        }
        return payloads;
    }

    private static SqliteConnection OpenConnection(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static void DeleteDatabase(string databasePath)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(databasePath + suffix);
        }
    }

    private sealed record Entry(string Path, string Sha256, string ParserKey, long Length, long LastWriteTicks, long StoredTicks, byte[]? Payload, string Checksum);
}

/// <summary>
/// What a run recorded about the struct.json it wrote: a fingerprint of every input (file contents, options, parser
/// and tool versions, README, package manifests) and the written file's stamp. A later run whose inputs have the same
/// fingerprint, with the file still as written, has nothing to do.
/// </summary>
internal sealed record OutputRecord
{
    /// <summary>SHA-256 over every input of the run, in a fixed order.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>SHA-256 over every input except file contents (paths and parsers included).</summary>
    public string Global { get; init; } = "";

    /// <summary>The written document without its modules.</summary>
    public StructDocument Header { get; init; } = new();

    /// <summary>Every module of the written document, in order.</summary>
    public ImmutableArray<OutputModule> Modules { get; init; } = [];

    /// <summary>Identity of the builds that wrote it (Core, parsers, linkers); module surfaces are valid only for these.</summary>
    public string Tools { get; init; } = "";

    /// <summary>This record with <see cref="Modules"/> and <see cref="Tools"/> read from their encoded form (none when null).</summary>
    public OutputRecord WithModules(byte[]? encoded)
    {
        if (encoded is null)
        {
            return this;
        }
        var (tools, modules) = OutputModule.Decode(encoded);
        return this with { Tools = tools, Modules = modules };
    }

    /// <summary>Byte length of the written file.</summary>
    public long Length { get; init; }

    /// <summary>Last-write time (UTC ticks) of the written file.</summary>
    public long LastWriteTicks { get; init; }

}

/// <summary>One module of a written struct.json, as an incremental run needs it.</summary>
internal sealed record OutputModule
{
    /// <summary>A compact binary form of a module list (tens of thousands of modules decode in milliseconds).</summary>
    public static byte[] Encode(string tools, ImmutableArray<OutputModule> modules)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(tools);
            writer.Write(modules.Length);
            foreach (var m in modules)
            {
                writer.Write(m.Path);
                writer.Write(m.Language);
                writer.Write(m.Sha256);
                writer.Write(m.Surface);
                writer.Write(m.Offset);
                writer.Write(m.Length);
                writer.Write(m.EdgeTargets.Length);
                for (int i = 0; i < m.EdgeTargets.Length; i++)
                {
                    writer.Write(m.EdgeTargets[i]);
                    writer.Write(m.EdgeWeights[i]);
                }
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads what <see cref="Encode"/> wrote.</summary>
    public static (string Tools, ImmutableArray<OutputModule> Modules) Decode(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        var tools = reader.ReadString();
        var modules = new OutputModule[reader.ReadInt32()];
        for (int m = 0; m < modules.Length; m++)
        {
            string path = reader.ReadString(), language = reader.ReadString(), sha = reader.ReadString(), surface = reader.ReadString();
            long offset = reader.ReadInt64();
            int length = reader.ReadInt32();
            var targets = new int[reader.ReadInt32()];
            var weights = new double[targets.Length];
            for (int i = 0; i < targets.Length; i++)
            {
                targets[i] = reader.ReadInt32();
                weights[i] = reader.ReadDouble();
            }
            modules[m] = new OutputModule
            {
                Path = path, Language = language, Sha256 = sha, Surface = surface, Offset = offset, Length = length,
                EdgeTargets = ImmutableArray.Create(targets), EdgeWeights = ImmutableArray.Create(weights),
            };
        }
        return (tools, ImmutableArray.Create(modules));
    }

    /// <summary>Relative path.</summary>
    public string Path { get; init; } = "";

    /// <summary>Language id.</summary>
    public string Language { get; init; } = "";

    /// <summary>Content hash of the source file.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>Hash of what other modules' links can see of this module (<see cref="Pipeline.ModuleSurface"/>).</summary>
    public string Surface { get; init; } = "";

    /// <summary>Byte offset of the module in the file.</summary>
    public long Offset { get; init; }

    /// <summary>Byte length of the module in the file.</summary>
    public int Length { get; init; }

    /// <summary>Ranking out-edges: target module indexes, ascending.</summary>
    public ImmutableArray<int> EdgeTargets { get; init; } = [];

    /// <summary>Ranking out-edges: weights, in the order of <see cref="EdgeTargets"/>.</summary>
    public ImmutableArray<double> EdgeWeights { get; init; } = [];
}
