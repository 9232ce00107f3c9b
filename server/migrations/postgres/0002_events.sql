-- Live updates: the same `events` table as on SQLite (see ../sqlite/0002_events.sql), written by
-- triggers in the transaction of the change. Identity values are taken in insertion order, not
-- commit order, so a reader may see id 11 before 10 commits: the streams' reader
-- (server/src/events.rs) waits a little for such gaps. A statement that adds events NOTIFYs
-- `services_events`, which wakes the reader of every instance at once.
CREATE TABLE events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    group_id   BIGINT NOT NULL,
    service_id BIGINT NOT NULL,
    run_id     BIGINT,
    at         BIGINT NOT NULL DEFAULT (extract(epoch FROM now())::BIGINT)
);

CREATE INDEX events_by_company ON events (company_id, id);
CREATE INDEX events_by_time ON events (at);

CREATE FUNCTION events_services_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id)
        SELECT g.company_id, 'service.created', i.group_id, i.id
        FROM inserted i JOIN company_groups g ON g.id = i.group_id ORDER BY i.id;
    RETURN NULL;
END $$;

CREATE TRIGGER events_services_inserted AFTER INSERT ON services
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION events_services_inserted();

CREATE FUNCTION events_service_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO events (company_id, kind, group_id, service_id)
            SELECT company_id, 'service.removed', OLD.group_id, OLD.id
            FROM company_groups WHERE id = OLD.group_id;
    ELSE
        INSERT INTO events (company_id, kind, group_id, service_id)
            SELECT company_id, 'service.changed', NEW.group_id, NEW.id
            FROM company_groups WHERE id = NEW.group_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_service_changed AFTER UPDATE ON services
    FOR EACH ROW EXECUTE FUNCTION events_service_row();
CREATE TRIGGER events_service_removed AFTER DELETE ON services
    FOR EACH ROW EXECUTE FUNCTION events_service_row();

-- Runs inserted already finished (demo history, imports) are not news.
CREATE FUNCTION events_runs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id, run_id)
        SELECT g.company_id, CASE i.status WHEN 'queued' THEN 'run.queued' ELSE 'run.started' END,
            s.group_id, s.id, i.id
        FROM inserted i JOIN services s ON s.id = i.service_id
            JOIN company_groups g ON g.id = s.group_id
        WHERE i.status IN ('queued', 'running') ORDER BY i.id;
    RETURN NULL;
END $$;

CREATE TRIGGER events_runs_inserted AFTER INSERT ON runs
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION events_runs_inserted();

CREATE FUNCTION events_run_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id, run_id)
        SELECT g.company_id, CASE NEW.status WHEN 'queued' THEN 'run.queued'
                WHEN 'running' THEN 'run.started' ELSE 'run.finished' END,
            s.group_id, s.id, NEW.id
        FROM services s JOIN company_groups g ON g.id = s.group_id WHERE s.id = NEW.service_id;
    RETURN NULL;
END $$;

CREATE TRIGGER events_run_status AFTER UPDATE OF status ON runs
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION events_run_status();

-- New log lines of a live run (a run's page follows its log).
CREATE FUNCTION events_run_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (company_id, kind, group_id, service_id, run_id)
        SELECT DISTINCT g.company_id, 'run.log', s.group_id, s.id, r.id
        FROM inserted i JOIN runs r ON r.id = i.run_id JOIN services s ON s.id = r.service_id
            JOIN company_groups g ON g.id = s.group_id
        WHERE r.status IN ('queued', 'running');
    RETURN NULL;
END $$;

CREATE TRIGGER events_run_log AFTER INSERT ON run_log_lines
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION events_run_log();

CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('services_events', '');
    RETURN NULL;
END $$;

CREATE TRIGGER events_notify AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_notify();
