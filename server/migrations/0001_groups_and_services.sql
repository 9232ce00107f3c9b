CREATE TABLE company_groups (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL
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
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK ((trigger_kind = 'schedule') = (trigger_cron IS NOT NULL))
);

CREATE INDEX services_by_group ON services (group_id, id);
