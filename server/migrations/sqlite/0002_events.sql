-- Live updates: every change a client of the company may want to see, in commit order, written
-- by triggers in the same transaction as the change. Streams (`GET /api/v1/events`) read it
-- after an id, so a client that reconnects with `Last-Event-ID` gets what it missed; the
-- retention job purges old rows and records the last purged id in `meta`
-- (`events_purged_through`): a client behind that is told to reload.
-- No foreign keys: a removed service's event outlives it.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    group_id   INTEGER NOT NULL,
    service_id INTEGER NOT NULL,
    run_id     INTEGER,
    at         INTEGER NOT NULL DEFAULT (unixepoch())
);

CREATE INDEX events_by_company ON events (company_id, id);
CREATE INDEX events_by_time ON events (at);

CREATE TRIGGER events_service_created AFTER INSERT ON services BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id)
        SELECT company_id, 'service.created', new.group_id, new.id
        FROM company_groups WHERE id = new.group_id;
END;

CREATE TRIGGER events_service_changed AFTER UPDATE ON services BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id)
        SELECT company_id, 'service.changed', new.group_id, new.id
        FROM company_groups WHERE id = new.group_id;
END;

CREATE TRIGGER events_service_removed AFTER DELETE ON services BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id)
        SELECT company_id, 'service.removed', old.group_id, old.id
        FROM company_groups WHERE id = old.group_id;
END;

-- Runs inserted already finished (demo history, imports) are not news.
CREATE TRIGGER events_run_inserted AFTER INSERT ON runs
    WHEN new.status IN ('queued', 'running') BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id, run_id)
        SELECT g.company_id, CASE new.status WHEN 'queued' THEN 'run.queued' ELSE 'run.started' END,
            s.group_id, s.id, new.id
        FROM services s JOIN company_groups g ON g.id = s.group_id WHERE s.id = new.service_id;
END;

CREATE TRIGGER events_run_status AFTER UPDATE OF status ON runs
    WHEN old.status <> new.status BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id, run_id)
        SELECT g.company_id, CASE new.status WHEN 'queued' THEN 'run.queued'
                WHEN 'running' THEN 'run.started' ELSE 'run.finished' END,
            s.group_id, s.id, new.id
        FROM services s JOIN company_groups g ON g.id = s.group_id WHERE s.id = new.service_id;
END;

-- New log lines of a live run (a run's page follows its log).
CREATE TRIGGER events_run_log AFTER INSERT ON run_log_lines
    WHEN (SELECT status FROM runs WHERE id = new.run_id) IN ('queued', 'running') BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id, run_id)
        SELECT g.company_id, 'run.log', s.group_id, s.id, r.id
        FROM runs r JOIN services s ON s.id = r.service_id JOIN company_groups g ON g.id = s.group_id
        WHERE r.id = new.run_id;
END;
