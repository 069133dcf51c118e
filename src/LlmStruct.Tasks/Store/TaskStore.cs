using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmStruct.Tasks.Store;

/// <summary>
/// The SQLite tasks store (<c>.llmstruct/llmstruct.db</c>): the tasks as last read from llmstruct.toml or written by a
/// command, an append-only event history and the per-tracker sync state. Every write is one transaction; several
/// processes may use one file (SQLite's locking, with a busy timeout).
/// </summary>
public sealed class TaskStore : IAsyncDisposable, IDisposable
{
    /// <summary>The schema version this build writes (<c>PRAGMA user_version</c>; see <c>Store/Sql/schema.sql</c>).</summary>
    public const int SchemaVersion = 1;

    private const string Columns =
        "id, title, description, status, priority, milestone, assignees, labels, depends_on, files, symbols, github_number, github_url, gitlab_iid, gitlab_url";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private TaskStore(string path, SqliteConnection connection, TimeProvider time, ILogger logger)
    {
        Path = path;
        _connection = connection;
        _time = time;
        _logger = logger;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens (creating or migrating) the store at <paramref name="path"/>. Throws <see cref="TaskStoreException"/>
    /// when the file is damaged (<see cref="TaskStoreException.Damaged"/>), locked past <paramref name="busyTimeoutMs"/>,
    /// or written by a newer schema.
    /// </summary>
    public static async Task<TaskStore> OpenAsync(
        string path, ILogger? logger = null, TimeProvider? time = null, int busyTimeoutMs = 10_000, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecAsync(connection, $"PRAGMA busy_timeout = {busyTimeoutMs.ToString(CultureInfo.InvariantCulture)};", cancellationToken).ConfigureAwait(false);
            var check = (string?)await ScalarAsync(connection, "PRAGMA quick_check;", cancellationToken).ConfigureAwait(false);
            if (check != "ok")
            {
                throw new TaskStoreException($"{full}: the tasks database is damaged ({check})", damaged: true);
            }
            await MigrateAsync(connection, full, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            connection.Dispose();
            throw new TaskStoreException($"{full}: the tasks database is damaged: {ex.Message}", damaged: true, ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            connection.Dispose();
            throw new TaskStoreException($"{full}: the tasks database is locked by another process: {ex.Message}", damaged: false, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new TaskStore(full, connection, time ?? TimeProvider.System, logger ?? NullLogger.Instance);
    }

    private static async Task MigrateAsync(SqliteConnection connection, string full, CancellationToken cancellationToken)
    {
        using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE through a write: two processes creating the file at once migrate it once.
        await ExecAsync(connection, "CREATE TABLE IF NOT EXISTS _migrating (x INTEGER); DROP TABLE _migrating;", cancellationToken, transaction).ConfigureAwait(false);
        var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken, transaction).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new TaskStoreException(
                $"{full}: the tasks database has schema version {version}, newer than this llmstruct's {SchemaVersion}; use a newer llmstruct or delete the file (it is rebuilt from llmstruct.toml)",
                damaged: false);
        }
        if (version == 0)
        {
            await ExecAsync(connection, Resource("schema.sql"), cancellationToken, transaction).ConfigureAwait(false);
        }
        else
        {
            for (int next = version + 1; next <= SchemaVersion; next++)
            {
                await ExecAsync(connection, Resource($"migrate-{next}.sql"), cancellationToken, transaction).ConfigureAwait(false);
                await ExecAsync(connection, $"PRAGMA user_version = {next};", cancellationToken, transaction).ConfigureAwait(false);
            }
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The text of a shipped SQL file (<c>schema.sql</c>, <c>migrate-N.sql</c>).</summary>
    internal static string Resource(string name)
    {
        using var stream = typeof(TaskStore).Assembly.GetManifestResourceStream("LlmStruct.Tasks.Store." + name)
            ?? throw new InvalidOperationException($"the SQL resource {name} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>All tasks, ordered by id (ordinal).</summary>
    public async Task<IReadOnlyList<ProjectTask>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM tasks;";
        var tasks = new List<ProjectTask>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tasks.Add(ReadTask(reader));
            }
        }
        tasks.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return tasks;
    }

    /// <summary>The task with <paramref name="id"/>, or null.</summary>
    public async Task<ProjectTask?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM tasks WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTask(reader) : null;
    }

    /// <summary>
    /// Writes <paramref name="tasks"/> in one transaction, recording one event per changed field (and <c>created</c>
    /// for a new task) with <paramref name="source"/>; tasks whose content is unchanged write nothing. With
    /// <paramref name="removeMissing"/>, stored tasks not in <paramref name="tasks"/> are deleted (a <c>deleted</c>
    /// event each) and their sync state goes too. Returns the events recorded.
    /// </summary>
    public async Task<IReadOnlyList<TaskEvent>> ApplyAsync(
        IReadOnlyList<ProjectTask> tasks, TaskEventSource source, bool removeMissing = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return await WriteAsync(async transaction =>
        {
            var events = new List<TaskEvent>();
            var now = Now();
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var task in tasks)
            {
                wanted.Add(task.Id);
                var old = await GetInAsync(task.Id, transaction, cancellationToken).ConfigureAwait(false);
                if (old is not null && old.ContentEquals(task))
                {
                    continue;
                }
                await SaveTaskAsync(task, old is null, now, transaction, cancellationToken).ConfigureAwait(false);
                if (old is null)
                {
                    events.Add(await InsertEventAsync(task.Id, "created", null, task.Title, source, now, transaction, cancellationToken).ConfigureAwait(false));
                }
                foreach (var (field, before, after) in TaskFields.Differences(old, task))
                {
                    events.Add(await InsertEventAsync(task.Id, field, before, after, source, now, transaction, cancellationToken).ConfigureAwait(false));
                }
            }
            if (removeMissing)
            {
                foreach (var id in await IdsAsync(transaction, cancellationToken).ConfigureAwait(false))
                {
                    if (!wanted.Contains(id))
                    {
                        events.Add(await DeleteInAsync(id, source, now, transaction, cancellationToken).ConfigureAwait(false));
                    }
                }
            }
            return (IReadOnlyList<TaskEvent>)events;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts or updates one task (see <see cref="ApplyAsync"/>); returns the events recorded.</summary>
    public Task<IReadOnlyList<TaskEvent>> UpsertAsync(ProjectTask task, TaskEventSource source, CancellationToken cancellationToken = default) =>
        ApplyAsync([task], source, removeMissing: false, cancellationToken);

    /// <summary>Deletes a task (and its sync state), recording a <c>deleted</c> event; false when there is no such task.</summary>
    public Task<bool> DeleteAsync(string id, TaskEventSource source, CancellationToken cancellationToken = default) =>
        WriteAsync(async transaction =>
        {
            if (await GetInAsync(id, transaction, cancellationToken).ConfigureAwait(false) is null)
            {
                return false;
            }
            await DeleteInAsync(id, source, Now(), transaction, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Appends one event to the history (for changes the store does not make itself, e.g. a comment pulled from a
    /// tracker). The history is append-only: the database refuses updates and deletes of events.
    /// </summary>
    public Task<TaskEvent> AppendEventAsync(
        string taskId, string field, string? oldValue, string? newValue, TaskEventSource source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentException.ThrowIfNullOrEmpty(field);
        return WriteAsync(transaction => InsertEventAsync(taskId, field, oldValue, newValue, source, Now(), transaction, cancellationToken), cancellationToken);
    }

    /// <summary>The history, oldest first: of one task, or of all when <paramref name="taskId"/> is null.</summary>
    public async Task<IReadOnlyList<TaskEvent>> GetEventsAsync(string? taskId = null, CancellationToken cancellationToken = default)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = taskId is null
            ? "SELECT seq, task_id, field, old_value, new_value, source, at FROM task_events ORDER BY seq;"
            : "SELECT seq, task_id, field, old_value, new_value, source, at FROM task_events WHERE task_id = $id ORDER BY seq;";
        if (taskId is not null)
        {
            command.Parameters.AddWithValue("$id", taskId);
        }
        var events = new List<TaskEvent>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new TaskEvent
            {
                Sequence = reader.GetInt64(0),
                TaskId = reader.GetString(1),
                Field = reader.GetString(2),
                OldValue = reader.IsDBNull(3) ? null : reader.GetString(3),
                NewValue = reader.IsDBNull(4) ? null : reader.GetString(4),
                Source = TaskNames.ParseSource(reader.GetString(5)),
                At = DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            });
        }
        return events;
    }

    /// <summary>The sync state of one task on one tracker, or null.</summary>
    public async Task<TaskSyncState?> GetSyncStateAsync(string taskId, TaskTracker tracker, CancellationToken cancellationToken = default)
    {
        var states = await SyncStatesAsync("WHERE task_id = $id AND tracker = $tracker", taskId, tracker, cancellationToken).ConfigureAwait(false);
        return states.Count == 0 ? null : states[0];
    }

    /// <summary>Every task's sync state on <paramref name="tracker"/>, ordered by task id.</summary>
    public Task<IReadOnlyList<TaskSyncState>> GetSyncStatesAsync(TaskTracker tracker, CancellationToken cancellationToken = default) =>
        SyncStatesAsync("WHERE tracker = $tracker", null, tracker, cancellationToken);

    /// <summary>Inserts or replaces the sync state of <paramref name="state"/>'s task and tracker (its <see cref="TaskSyncState.SyncedAt"/> is set to now).</summary>
    public Task SetSyncStateAsync(TaskSyncState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrEmpty(state.TaskId);
        return WriteAsync(async transaction =>
        {
            using var command = Command(transaction,
                "INSERT INTO sync_state (task_id, tracker, remote, remote_id, remote_url, last_synced_hash, remote_updated_at, synced_at) " +
                "VALUES ($id, $tracker, $remote, $remote_id, $url, $hash, $updated, $at) " +
                "ON CONFLICT (task_id, tracker) DO UPDATE SET remote = excluded.remote, remote_id = excluded.remote_id, remote_url = excluded.remote_url, " +
                "last_synced_hash = excluded.last_synced_hash, remote_updated_at = excluded.remote_updated_at, synced_at = excluded.synced_at;");
            command.Parameters.AddWithValue("$id", state.TaskId);
            command.Parameters.AddWithValue("$tracker", TaskNames.Name(state.Tracker));
            command.Parameters.AddWithValue("$remote", state.Remote);
            command.Parameters.AddWithValue("$remote_id", state.RemoteId);
            command.Parameters.AddWithValue("$url", (object?)state.RemoteUrl ?? DBNull.Value);
            command.Parameters.AddWithValue("$hash", (object?)state.LastSyncedHash ?? DBNull.Value);
            command.Parameters.AddWithValue("$updated", (object?)state.RemoteUpdatedAt ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", Now());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Forgets a task's sync state on a tracker; false when there was none.</summary>
    public Task<bool> RemoveSyncStateAsync(string taskId, TaskTracker tracker, CancellationToken cancellationToken = default) =>
        WriteAsync(async transaction =>
        {
            using var command = Command(transaction, "DELETE FROM sync_state WHERE task_id = $id AND tracker = $tracker;");
            command.Parameters.AddWithValue("$id", taskId);
            command.Parameters.AddWithValue("$tracker", TaskNames.Name(tracker));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            // Deferred=false: BEGIN IMMEDIATE, so two writers queue on the busy timeout instead of failing on upgrade.
            using var transaction = _connection.BeginTransaction(deferred: false);
            var result = await work(transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6)
        {
            throw new TaskStoreException($"{Path}: the tasks database is locked by another process: {ex.Message}", damaged: false, ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            _logger.LogWarning("the tasks database {Path} is damaged: {Message}", Path, ex.Message);
            throw new TaskStoreException($"{Path}: the tasks database is damaged: {ex.Message}", damaged: true, ex);
        }
    }

    private async Task<TaskEvent> DeleteInAsync(string id, TaskEventSource source, string now, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var old = await GetInAsync(id, transaction, cancellationToken).ConfigureAwait(false);
        using (var command = Command(transaction, "DELETE FROM tasks WHERE id = $id; DELETE FROM sync_state WHERE task_id = $id;"))
        {
            command.Parameters.AddWithValue("$id", id);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return await InsertEventAsync(id, "deleted", old?.Title, null, source, now, transaction, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<string>> IdsAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = Command(transaction, "SELECT id FROM tasks;");
        var ids = new List<string>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private async Task<ProjectTask?> GetInAsync(string id, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = Command(transaction, $"SELECT {Columns} FROM tasks WHERE id = $id;");
        command.Parameters.AddWithValue("$id", id);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTask(reader) : null;
    }

    private async Task SaveTaskAsync(ProjectTask task, bool isNew, string now, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = Command(transaction, isNew
            ? $"INSERT INTO tasks ({Columns}, content_hash, created_at, updated_at) VALUES ($id, $title, $description, $status, $priority, $milestone, $assignees, $labels, $depends_on, $files, $symbols, $gh, $gh_url, $gl, $gl_url, $hash, $now, $now);"
            : "UPDATE tasks SET title = $title, description = $description, status = $status, priority = $priority, milestone = $milestone, assignees = $assignees, " +
              "labels = $labels, depends_on = $depends_on, files = $files, symbols = $symbols, github_number = $gh, github_url = $gh_url, gitlab_iid = $gl, " +
              "gitlab_url = $gl_url, content_hash = $hash, updated_at = $now WHERE id = $id;");
        command.Parameters.AddWithValue("$id", task.Id);
        command.Parameters.AddWithValue("$title", task.Title);
        command.Parameters.AddWithValue("$description", (object?)task.Description ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", TaskStatuses.Name(task.Status));
        command.Parameters.AddWithValue("$priority", (object?)task.Priority ?? DBNull.Value);
        command.Parameters.AddWithValue("$milestone", (object?)task.Milestone ?? DBNull.Value);
        command.Parameters.AddWithValue("$assignees", TaskFields.JsonList(task.Assignees));
        command.Parameters.AddWithValue("$labels", TaskFields.JsonList(task.Labels));
        command.Parameters.AddWithValue("$depends_on", TaskFields.JsonList(task.DependsOn));
        command.Parameters.AddWithValue("$files", TaskFields.JsonList(task.Files));
        command.Parameters.AddWithValue("$symbols", TaskFields.JsonList(task.Symbols));
        command.Parameters.AddWithValue("$gh", (object?)task.GitHub?.Number ?? DBNull.Value);
        command.Parameters.AddWithValue("$gh_url", (object?)task.GitHub?.Url ?? DBNull.Value);
        command.Parameters.AddWithValue("$gl", (object?)task.GitLab?.Iid ?? DBNull.Value);
        command.Parameters.AddWithValue("$gl_url", (object?)task.GitLab?.Url ?? DBNull.Value);
        command.Parameters.AddWithValue("$hash", TaskContentHash.Compute(task));
        command.Parameters.AddWithValue("$now", now);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<TaskEvent> InsertEventAsync(
        string taskId, string field, string? oldValue, string? newValue, TaskEventSource source, string now, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = Command(transaction,
            "INSERT INTO task_events (task_id, field, old_value, new_value, source, at) VALUES ($id, $field, $old, $new, $source, $at) RETURNING seq;");
        command.Parameters.AddWithValue("$id", taskId);
        command.Parameters.AddWithValue("$field", field);
        command.Parameters.AddWithValue("$old", (object?)oldValue ?? DBNull.Value);
        command.Parameters.AddWithValue("$new", (object?)newValue ?? DBNull.Value);
        command.Parameters.AddWithValue("$source", TaskNames.Name(source));
        command.Parameters.AddWithValue("$at", now);
        var seq = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return new TaskEvent
        {
            Sequence = seq, TaskId = taskId, Field = field, OldValue = oldValue, NewValue = newValue, Source = source,
            At = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        };
    }

    private async Task<IReadOnlyList<TaskSyncState>> SyncStatesAsync(string where, string? taskId, TaskTracker tracker, CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText =
            $"SELECT task_id, tracker, remote, remote_id, remote_url, last_synced_hash, remote_updated_at, synced_at FROM sync_state {where} ORDER BY task_id;";
        if (taskId is not null)
        {
            command.Parameters.AddWithValue("$id", taskId);
        }
        command.Parameters.AddWithValue("$tracker", TaskNames.Name(tracker));
        var states = new List<TaskSyncState>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states.Add(new TaskSyncState
            {
                TaskId = reader.GetString(0),
                Tracker = TaskNames.ParseTracker(reader.GetString(1)),
                Remote = reader.GetString(2),
                RemoteId = reader.GetInt64(3),
                RemoteUrl = reader.IsDBNull(4) ? null : reader.GetString(4),
                LastSyncedHash = reader.IsDBNull(5) ? null : reader.GetString(5),
                RemoteUpdatedAt = reader.IsDBNull(6) ? null : reader.GetString(6),
                SyncedAt = DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            });
        }
        // Ordinal, whatever the database's collation.
        states.Sort((a, b) => string.CompareOrdinal(a.TaskId, b.TaskId));
        return states;
    }

    private static ProjectTask ReadTask(SqliteDataReader r)
    {
        TaskStatuses.TryParse(r.GetString(3), out var status);
        return new ProjectTask
        {
            Id = r.GetString(0),
            Title = r.GetString(1),
            Description = r.IsDBNull(2) ? null : r.GetString(2),
            Status = status,
            Priority = r.IsDBNull(4) ? null : r.GetString(4),
            Milestone = r.IsDBNull(5) ? null : r.GetString(5),
            Assignees = TaskFields.ParseJsonList(r.GetString(6)),
            Labels = TaskFields.ParseJsonList(r.GetString(7)),
            DependsOn = TaskFields.ParseJsonList(r.GetString(8)),
            Files = TaskFields.ParseJsonList(r.GetString(9)),
            Symbols = TaskFields.ParseJsonList(r.GetString(10)),
            GitHub = r.IsDBNull(11) ? null : new GitHubIssueRef { Number = r.GetInt64(11), Url = r.IsDBNull(12) ? null : r.GetString(12) },
            GitLab = r.IsDBNull(13) ? null : new GitLabIssueRef { Iid = r.GetInt64(13), Url = r.IsDBNull(14) ? null : r.GetString(14) },
        };
    }

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
