using LlmStruct.Model;
using Microsoft.Data.Sqlite;

namespace LlmStruct.Llm.Usage;

/// <summary>
/// A usage store in a local SQLite file (by default <c>.llmstruct/usage.db</c>). Every write is one transaction;
/// connections are not pooled, so the file is closed between calls and several processes may share it.
/// </summary>
public sealed class SqliteUsageStore : IUsageStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS llm_calls (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            day TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            succeeded INTEGER NOT NULL,
            error_kind TEXT,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            latency_ms INTEGER NOT NULL,
            first_token_ms INTEGER,
            cpu_ms INTEGER NOT NULL,
            peak_ram_bytes INTEGER NOT NULL,
            vram_bytes INTEGER
        );
        CREATE INDEX IF NOT EXISTS llm_calls_provider_day ON llm_calls (provider, day);
        """;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private bool _initialized;

    /// <summary>Opens (creating when needed) the store at <paramref name="path"/>.</summary>
    public SqliteUsageStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Full path of the SQLite file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async Task RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO llm_calls (day, provider, model, succeeded, error_kind, prompt_tokens, completion_tokens,
                                   latency_ms, first_token_ms, cpu_ms, peak_ram_bytes, vram_bytes)
            VALUES ($day, $provider, $model, $succeeded, $error, $prompt, $completion, $latency, $ttft, $cpu, $ram, $vram)
            """;
        command.Parameters.AddWithValue("$day", record.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$provider", record.Provider);
        command.Parameters.AddWithValue("$model", record.Model);
        command.Parameters.AddWithValue("$succeeded", record.Succeeded ? 1 : 0);
        command.Parameters.AddWithValue("$error", (object?)record.ErrorKind ?? DBNull.Value);
        command.Parameters.AddWithValue("$prompt", record.PromptTokens);
        command.Parameters.AddWithValue("$completion", record.CompletionTokens);
        command.Parameters.AddWithValue("$latency", record.LatencyMs);
        command.Parameters.AddWithValue("$ttft", (object?)record.FirstTokenMs ?? DBNull.Value);
        command.Parameters.AddWithValue("$cpu", record.CpuMs);
        command.Parameters.AddWithValue("$ram", record.PeakRamBytes);
        command.Parameters.AddWithValue("$vram", (object?)record.VramBytes ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> CountCallsAsync(string provider, DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM llm_calls WHERE provider = $provider AND day = $day";
        command.Parameters.AddWithValue("$provider", provider);
        command.Parameters.AddWithValue("$day", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LlmUsageSummary>> SummarizeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT provider, model, COUNT(*), SUM(1 - succeeded), SUM(prompt_tokens), SUM(completion_tokens),
                   SUM(latency_ms), MAX(latency_ms), COUNT(first_token_ms), TOTAL(first_token_ms), SUM(cpu_ms),
                   MAX(peak_ram_bytes), MAX(vram_bytes)
            FROM llm_calls GROUP BY provider, model
            """;
        var summaries = new List<LlmUsageSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            summaries.Add(new LlmUsageSummary
            {
                Provider = reader.GetString(0),
                Model = reader.GetString(1),
                Calls = reader.GetInt64(2),
                Failures = reader.GetInt64(3),
                PromptTokens = reader.GetInt64(4),
                CompletionTokens = reader.GetInt64(5),
                LatencyMs = reader.GetInt64(6),
                MaxLatencyMs = reader.GetInt64(7),
                StreamedCalls = reader.GetInt64(8),
                FirstTokenMs = (long)reader.GetDouble(9),
                CpuMs = reader.GetInt64(10),
                PeakRamBytes = reader.GetInt64(11),
                PeakVramBytes = reader.IsDBNull(12) ? null : reader.GetInt64(12),
            });
        }
        return [.. summaries.OrderBy(s => s.Provider, StringComparer.Ordinal).ThenBy(s => s.Model, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The store by UTC day, provider and model, ordered by day, provider and model (ordinal): what
    /// <c>llmstruct metrics</c> prints and MLflow runs are made of.
    /// </summary>
    public async Task<IReadOnlyList<UsageDay>> ByDayAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT day, provider, model, COUNT(*), SUM(1 - succeeded), SUM(prompt_tokens), SUM(completion_tokens),
                   SUM(latency_ms), MAX(latency_ms), SUM(cpu_ms), MAX(peak_ram_bytes), MAX(vram_bytes)
            FROM llm_calls GROUP BY day, provider, model
            """;
        var days = new List<UsageDay>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            days.Add(new UsageDay
            {
                Day = DateOnly.ParseExact(reader.GetString(0), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                Provider = reader.GetString(1),
                Model = reader.GetString(2),
                Calls = reader.GetInt64(3),
                Failures = reader.GetInt64(4),
                PromptTokens = reader.GetInt64(5),
                CompletionTokens = reader.GetInt64(6),
                LatencyMs = reader.GetInt64(7),
                MaxLatencyMs = reader.GetInt64(8),
                CpuMs = reader.GetInt64(9),
                PeakRamBytes = reader.GetInt64(10),
                PeakVramBytes = reader.IsDBNull(11) ? null : reader.GetInt64(11),
            });
        }
        return [.. days.OrderBy(d => d.Day).ThenBy(d => d.Provider, StringComparer.Ordinal).ThenBy(d => d.Model, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Usage per UTC day and provider (calls, failures, tokens, latency, CPU, peak memory), ordered by day then provider
    /// (ordinal): the history the serve usage page charts; <see cref="ByDayAsync"/> with the models of a provider summed
    /// (<see cref="UsageDay.Model"/> is then empty).
    /// </summary>
    public async Task<IReadOnlyList<UsageDay>> SummarizeByDayAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ByDayAsync(cancellationToken).ConfigureAwait(false);
        return
        [
            .. rows.GroupBy(r => (r.Day, r.Provider)).Select(g => new UsageDay
            {
                Day = g.Key.Day,
                Provider = g.Key.Provider,
                Model = "",
                Calls = g.Sum(r => r.Calls),
                Failures = g.Sum(r => r.Failures),
                PromptTokens = g.Sum(r => r.PromptTokens),
                CompletionTokens = g.Sum(r => r.CompletionTokens),
                LatencyMs = g.Sum(r => r.LatencyMs),
                MaxLatencyMs = g.Max(r => r.MaxLatencyMs),
                CpuMs = g.Sum(r => r.CpuMs),
                PeakRamBytes = g.Max(r => r.PeakRamBytes),
                PeakVramBytes = g.Max(r => r.PeakVramBytes),
            }).OrderBy(d => d.Day).ThenBy(d => d.Provider, StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// Failed calls per provider and kind of failure (an exception type name), ordered by provider then kind: each
    /// sent the request on down the fallback chain (or ended it, at the last provider).
    /// </summary>
    public async Task<IReadOnlyList<FailureCount>> CountFailuresAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT provider, COALESCE(error_kind, 'unknown'), COUNT(*) FROM llm_calls WHERE succeeded = 0 GROUP BY provider, COALESCE(error_kind, 'unknown')";
        var counts = new List<FailureCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new FailureCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return [.. counts.OrderBy(c => c.Provider, StringComparer.Ordinal).ThenBy(c => c.Kind, StringComparer.Ordinal)];
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            if (!_initialized)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            }
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Schema;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initLock.Release();
        }
    }
}
