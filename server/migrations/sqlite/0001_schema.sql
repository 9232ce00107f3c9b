-- The services-list schema on SQLite. PostgreSQL's is in ../postgres/0001_schema.sql: the same
-- tables and columns, so the repository's queries run unchanged on both.
-- Ids are AUTOINCREMENT, like PostgreSQL's identity columns: an id once given is never given
-- again, so a removed service's or run's URL can never show a different one.

-- Facts about this database: `database_id` (random, set when the schema is made) tells one
-- database from another in ETags.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE companies (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'user', 'read_only')),
    -- person: signs in through the dashboard; service_account: an operator issued it a token;
    -- demo: made by `--demo`, its token readable in demo_credentials.
    kind       TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'service_account', 'demo')),
    -- SHA-256 of the bearer token; the token itself is never stored. NULL: no token issued.
    token_hash BLOB
);

-- Demo users' tokens in clear, so the demo sign-in can list them. Only `--demo` writes here.
CREATE TABLE demo_credentials (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token   TEXT NOT NULL
);

-- Users who sign in with the dashboard's identity provider (JWT): one users row per issuer and
-- subject, created on their first request. They have no database token (token_hash NULL).
CREATE TABLE user_identities (
    issuer  TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (issuer, subject)
) WITHOUT ROWID;

CREATE TABLE company_groups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    -- Goes up whenever anything the list shows changes in the group (triggers below): the key
    -- of cached facet counts and of the lean view's ETag.
    list_version INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX company_groups_by_company ON company_groups (company_id, id);

CREATE TABLE notification_groups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL
);

CREATE TABLE notification_recipients (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    notification_group_id INTEGER NOT NULL REFERENCES notification_groups (id) ON DELETE CASCADE,
    user_id               INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email                 TEXT,
    CHECK ((user_id IS NULL) <> (email IS NULL))
);

CREATE TABLE services (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id            INTEGER NOT NULL REFERENCES company_groups (id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    -- Rust's str::to_lowercase of name and source_system (the services-model rule), written by
    -- the repository: search and sort use them.
    name_lower          TEXT NOT NULL,
    service_type        TEXT NOT NULL CHECK (service_type IN ('standard', 'sweeper')),
    status              TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    source_system       TEXT NOT NULL,
    source_system_lower TEXT NOT NULL,
    source_entity       TEXT NOT NULL,
    destination_system  TEXT NOT NULL,
    destination_entity  TEXT NOT NULL,
    trigger_kind        TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'webhook')),
    trigger_cron        TEXT,
    alerts_enabled      INTEGER NOT NULL DEFAULT 0 CHECK (alerts_enabled IN (0, 1)),
    alert_group_id      INTEGER REFERENCES notification_groups (id) ON DELETE SET NULL,
    notes               TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((trigger_kind = 'schedule') = (trigger_cron IS NOT NULL))
);

-- One index per sort order of the list, each within a group, ending in the id (the tie-break).
CREATE INDEX services_by_group ON services (group_id, id);
CREATE INDEX services_by_group_name ON services (group_id, name_lower, name, id);
CREATE INDEX services_by_group_status ON services (group_id, status, id);
CREATE INDEX services_by_group_system ON services (group_id, source_system_lower, source_system, id);
CREATE INDEX services_on_schedule ON services (trigger_cron)
    WHERE status = 'active' AND trigger_kind = 'schedule';

-- How many services of a group have each (status, source system, source entity): the facets,
-- the totals and the group sizes without reading the services. Kept by the triggers below.
CREATE TABLE service_counts (
    group_id      INTEGER NOT NULL REFERENCES company_groups (id) ON DELETE CASCADE,
    status        TEXT NOT NULL,
    source_system TEXT NOT NULL,
    source_entity TEXT NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (group_id, status, source_system, source_entity)
) WITHOUT ROWID;

-- The search: a trigram index over "id \n type \n lowercased name", case-sensitive because the
-- text is already lowercased by the model's rule. It narrows; instr() decides exactly.
CREATE VIRTUAL TABLE services_search USING fts5 (
    doc, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
);

CREATE TRIGGER services_inserted AFTER INSERT ON services BEGIN
    INSERT INTO services_search (rowid, doc)
        VALUES (new.id, new.id || char(10) || new.service_type || char(10) || new.name_lower);
    INSERT OR IGNORE INTO service_counts (group_id, status, source_system, source_entity, n)
        VALUES (new.group_id, new.status, new.source_system, new.source_entity, 0);
    UPDATE service_counts SET n = n + 1
        WHERE group_id = new.group_id AND status = new.status
          AND source_system = new.source_system AND source_entity = new.source_entity;
    UPDATE company_groups SET list_version = list_version + 1 WHERE id = new.group_id;
END;

CREATE TRIGGER services_deleted AFTER DELETE ON services BEGIN
    DELETE FROM services_search WHERE rowid = old.id;
    UPDATE service_counts SET n = n - 1
        WHERE group_id = old.group_id AND status = old.status
          AND source_system = old.source_system AND source_entity = old.source_entity;
    DELETE FROM service_counts
        WHERE group_id = old.group_id AND status = old.status
          AND source_system = old.source_system AND source_entity = old.source_entity AND n <= 0;
    UPDATE company_groups SET list_version = list_version + 1 WHERE id = old.group_id;
END;

CREATE TRIGGER services_renamed AFTER UPDATE OF name_lower, service_type ON services BEGIN
    DELETE FROM services_search WHERE rowid = old.id;
    INSERT INTO services_search (rowid, doc)
        VALUES (new.id, new.id || char(10) || new.service_type || char(10) || new.name_lower);
END;

CREATE TRIGGER services_recounted AFTER UPDATE OF group_id, status, source_system, source_entity ON services BEGIN
    UPDATE service_counts SET n = n - 1
        WHERE group_id = old.group_id AND status = old.status
          AND source_system = old.source_system AND source_entity = old.source_entity;
    DELETE FROM service_counts
        WHERE group_id = old.group_id AND status = old.status
          AND source_system = old.source_system AND source_entity = old.source_entity AND n <= 0;
    INSERT OR IGNORE INTO service_counts (group_id, status, source_system, source_entity, n)
        VALUES (new.group_id, new.status, new.source_system, new.source_entity, 0);
    UPDATE service_counts SET n = n + 1
        WHERE group_id = new.group_id AND status = new.status
          AND source_system = new.source_system AND source_entity = new.source_entity;
END;

CREATE TRIGGER services_changed AFTER UPDATE OF group_id, name, service_type, status,
    source_system, source_entity, destination_system, destination_entity, trigger_kind,
    trigger_cron, alerts_enabled ON services BEGIN
    UPDATE company_groups SET list_version = list_version + 1
        WHERE id IN (old.group_id, new.group_id);
END;

CREATE TABLE runs (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id       INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'ok', 'failed')),
    trigger          TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    requested_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    record_ids       TEXT NOT NULL DEFAULT '[]', -- a JSON array of strings
    page_size        INTEGER,
    -- A manual run's Idempotency-Key, unique per user, and a hash of what was asked (the
    -- service and the body): the same key with another request is refused.
    idempotency_key  TEXT,
    request_hash     BLOB,
    -- A scheduled run's minute (RFC 3339): one run per service and minute, across instances.
    scheduled_for    TEXT,
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT,
    pulled           INTEGER NOT NULL DEFAULT 0,
    pushed           INTEGER NOT NULL DEFAULT 0,
    -- The instance executing a running run, and until when (Unix milliseconds) its claim holds
    -- unless renewed. Runs whose lease expired are recovered by any instance.
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX runs_by_service ON runs (service_id, id);
CREATE INDEX runs_queued ON runs (id) WHERE status = 'queued';
CREATE INDEX runs_running ON runs (lease_expires_at) WHERE status = 'running';
CREATE INDEX runs_by_creation ON runs (created_at);
CREATE UNIQUE INDEX runs_by_idempotency_key ON runs (requested_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX runs_by_schedule ON runs (service_id, scheduled_for)
    WHERE scheduled_for IS NOT NULL;

-- The latest run of each service, as the list shows it: kept by triggers on runs, so a page of
-- the list reads 50 rows here instead of scanning runs.
CREATE TABLE service_last_runs (
    service_id  INTEGER PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
    run_id      INTEGER NOT NULL,
    status      TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    pulled      INTEGER NOT NULL,
    pushed      INTEGER NOT NULL
);

CREATE TRIGGER runs_inserted AFTER INSERT ON runs BEGIN
    INSERT INTO service_last_runs (service_id, run_id, status, started_at, finished_at, pulled, pushed)
        VALUES (new.service_id, new.id, new.status, new.started_at, new.finished_at, new.pulled, new.pushed)
        ON CONFLICT (service_id) DO UPDATE SET run_id = excluded.run_id, status = excluded.status,
            started_at = excluded.started_at, finished_at = excluded.finished_at,
            pulled = excluded.pulled, pushed = excluded.pushed
        WHERE excluded.run_id > service_last_runs.run_id;
END;

CREATE TRIGGER runs_progressed AFTER UPDATE OF status, started_at, finished_at, pulled, pushed ON runs BEGIN
    UPDATE service_last_runs SET status = new.status, started_at = new.started_at,
        finished_at = new.finished_at, pulled = new.pulled, pushed = new.pushed
        WHERE service_id = new.service_id AND run_id = new.id;
END;

CREATE TRIGGER runs_deleted AFTER DELETE ON runs BEGIN
    DELETE FROM service_last_runs WHERE service_id = old.service_id AND run_id = old.id;
END;

CREATE TABLE run_log_lines (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL,
    level   TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
    message TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

-- The last minute the scheduler has queued runs for (Unix seconds / 60), shared by instances.
CREATE TABLE scheduler_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    last_minute INTEGER NOT NULL
);
