-- Companies (tenants), their users, groups, services, runs and alerting.

CREATE TABLE companies (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'user', 'read_only')),
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash BLOB NOT NULL
);

CREATE TABLE company_groups (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL
);

CREATE INDEX company_groups_by_company ON company_groups (company_id, id);

CREATE TABLE notification_groups (
    id         INTEGER PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT NOT NULL
);

CREATE TABLE notification_recipients (
    id                    INTEGER PRIMARY KEY,
    notification_group_id INTEGER NOT NULL REFERENCES notification_groups (id) ON DELETE CASCADE,
    user_id               INTEGER REFERENCES users (id) ON DELETE CASCADE,
    email                 TEXT,
    CHECK ((user_id IS NULL) <> (email IS NULL))
);

CREATE TABLE services (
    id                 INTEGER PRIMARY KEY,
    group_id           INTEGER NOT NULL REFERENCES company_groups (id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    service_type       TEXT NOT NULL CHECK (service_type IN ('standard', 'sweeper')),
    status             TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    source_system      TEXT NOT NULL,
    source_entity      TEXT NOT NULL,
    destination_system TEXT NOT NULL,
    destination_entity TEXT NOT NULL,
    trigger_kind       TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'webhook')),
    trigger_cron       TEXT,
    alerts_enabled     INTEGER NOT NULL DEFAULT 0 CHECK (alerts_enabled IN (0, 1)),
    alert_group_id     INTEGER REFERENCES notification_groups (id) ON DELETE SET NULL,
    notes              TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK ((trigger_kind = 'schedule') = (trigger_cron IS NOT NULL))
);

CREATE INDEX services_by_group ON services (group_id, id);

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    service_id      INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'ok', 'failed')),
    trigger         TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule')),
    requested_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    record_ids      TEXT NOT NULL DEFAULT '[]', -- a JSON array of strings
    page_size       INTEGER,
    idempotency_key TEXT,
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    pulled          INTEGER NOT NULL DEFAULT 0,
    pushed          INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX runs_by_service ON runs (service_id, id);
CREATE INDEX runs_by_status ON runs (status, id);
CREATE UNIQUE INDEX runs_by_idempotency_key ON runs (service_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE run_log_lines (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL,
    level   TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),
    message TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
