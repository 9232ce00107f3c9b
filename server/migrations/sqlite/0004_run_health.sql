-- Issue 14 item 2: health in every row. The failed runs of the last 24 hours per service come
-- from this index (a page's services only, or one grouped query for the lean view), and
-- `health_version` moves whenever a run of the group is queued, starts, finishes or goes, so the
-- lean view (cached per group version) is fresh after a run.

ALTER TABLE company_groups ADD COLUMN health_version INTEGER NOT NULL DEFAULT 0;

CREATE INDEX runs_failed_by_service ON runs (service_id, finished_at) WHERE status = 'failed';

CREATE TRIGGER runs_health_inserted AFTER INSERT ON runs BEGIN
    UPDATE company_groups SET health_version = health_version + 1
        WHERE id = (SELECT group_id FROM services WHERE id = new.service_id);
END;

CREATE TRIGGER runs_health_progressed AFTER UPDATE OF status, started_at, finished_at ON runs
BEGIN
    UPDATE company_groups SET health_version = health_version + 1
        WHERE id = (SELECT group_id FROM services WHERE id = new.service_id);
END;

CREATE TRIGGER runs_health_deleted AFTER DELETE ON runs BEGIN
    UPDATE company_groups SET health_version = health_version + 1
        WHERE id = (SELECT group_id FROM services WHERE id = old.service_id);
END;

-- The "Last run failed" filter and its count start from the failed last runs.
CREATE INDEX service_last_runs_failed ON service_last_runs (service_id) WHERE status = 'failed';
