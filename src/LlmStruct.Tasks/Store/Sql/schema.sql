-- LlmStruct tasks store (.llmstruct/llmstruct.db), schema version 1 (kept in PRAGMA user_version).
-- A fresh database is made from this file; an older one is brought up by migrate-<N>.sql (version N-1 -> N), in order.
-- llmstruct.toml is the source of truth for tasks: the store mirrors it, adds the history and the tracker sync state,
-- and is rebuilt from the file when it is damaged. Times (UTC, ISO 8601) live here only, never in struct.json.

CREATE TABLE tasks (
    id                TEXT PRIMARY KEY NOT NULL,
    title             TEXT NOT NULL,
    description       TEXT,
    status            TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'blocked', 'done', 'cancelled')),
    priority          TEXT,
    milestone         TEXT,
    -- Lists as JSON arrays of strings, in the user's order.
    assignees         TEXT NOT NULL DEFAULT '[]',
    labels            TEXT NOT NULL DEFAULT '[]',
    depends_on        TEXT NOT NULL DEFAULT '[]',
    files             TEXT NOT NULL DEFAULT '[]',
    symbols           TEXT NOT NULL DEFAULT '[]',
    github_number     INTEGER,
    github_url        TEXT,
    gitlab_iid        INTEGER,
    gitlab_url        TEXT,
    content_hash      TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- Append-only: what changed (a field as named in TOML, or 'created' / 'deleted'), old -> new, from where, when.
CREATE TABLE task_events (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id           TEXT NOT NULL,
    field             TEXT NOT NULL,
    old_value         TEXT,
    new_value         TEXT,
    source            TEXT NOT NULL CHECK (source IN ('toml', 'cli', 'ui', 'github', 'gitlab', 'chat')),
    at                TEXT NOT NULL
);
CREATE INDEX task_events_by_task ON task_events (task_id, seq);
CREATE TRIGGER task_events_no_update BEFORE UPDATE ON task_events
BEGIN
    SELECT RAISE(ABORT, 'task_events is append-only');
END;
CREATE TRIGGER task_events_no_delete BEFORE DELETE ON task_events
BEGIN
    SELECT RAISE(ABORT, 'task_events is append-only');
END;

-- One row per task and tracker: the remote issue and the task's content hash at the last sync.
CREATE TABLE sync_state (
    task_id           TEXT NOT NULL,
    tracker           TEXT NOT NULL CHECK (tracker IN ('github', 'gitlab')),
    remote            TEXT NOT NULL,
    remote_id         INTEGER NOT NULL,
    remote_url        TEXT,
    last_synced_hash  TEXT,
    remote_updated_at TEXT,
    synced_at         TEXT NOT NULL,
    PRIMARY KEY (task_id, tracker)
);

PRAGMA user_version = 1;
