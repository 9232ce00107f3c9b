-- Issue 14 item 2: health in every row. The failed runs of the last 24 hours per service come
-- from this index (a page's services only, or one grouped query for the lean view), and
-- `health_version` moves whenever a run of the group is queued, starts, finishes or goes, so the
-- lean view (cached per group version) is fresh after a run.

ALTER TABLE company_groups ADD COLUMN health_version BIGINT NOT NULL DEFAULT 0;

CREATE INDEX runs_failed_by_service ON runs (service_id, finished_at) WHERE status = 'failed';

CREATE FUNCTION runs_health_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE company_groups SET health_version = health_version + 1
        WHERE id IN (SELECT DISTINCT s.group_id FROM inserted i JOIN services s ON s.id = i.service_id);
    RETURN NULL;
END $$;

CREATE TRIGGER runs_health_inserted AFTER INSERT ON runs
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION runs_health_inserted();

CREATE FUNCTION runs_health_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE company_groups SET health_version = health_version + 1
        WHERE id = (SELECT group_id FROM services
                    WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.service_id ELSE NEW.service_id END);
    RETURN NULL;
END $$;

CREATE TRIGGER runs_health_progressed AFTER UPDATE OF status, started_at, finished_at ON runs
    FOR EACH ROW EXECUTE FUNCTION runs_health_changed();

CREATE TRIGGER runs_health_deleted AFTER DELETE ON runs
    FOR EACH ROW EXECUTE FUNCTION runs_health_changed();

-- The "Last run failed" filter and its count start from the failed last runs.
CREATE INDEX service_last_runs_failed ON service_last_runs (service_id) WHERE status = 'failed';
