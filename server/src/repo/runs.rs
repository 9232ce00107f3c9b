use rusqlite::{params, Connection, OptionalExtension, Row};
use services_model::{LogLevel, LogLine, Run, RunStatus, RunSummary, RunTrigger};
use std::collections::HashMap;

const COLUMNS: &str = "r.id, r.service_id, r.status, r.trigger, r.record_ids, r.page_size,
     r.created_at, r.started_at, r.finished_at, r.pulled, r.pushed";

pub struct NewRun<'a> {
    pub service_id: u64,
    pub trigger: RunTrigger,
    pub requested_by: Option<u64>,
    pub record_ids: &'a [String],
    pub page_size: Option<u32>,
    pub idempotency_key: Option<&'a str>,
    pub now: &'a str,
}

pub fn insert(conn: &Connection, new: &NewRun<'_>) -> rusqlite::Result<Run> {
    let record_ids = serde_json::to_string(new.record_ids).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO runs (service_id, status, trigger, requested_by, record_ids, page_size,
             idempotency_key, created_at)
         VALUES (?1, 'queued', ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            new.service_id,
            new.trigger.as_str(),
            new.requested_by,
            record_ids,
            new.page_size,
            new.idempotency_key,
            new.now
        ],
    )?;
    let id = conn.last_insert_rowid() as u64;
    find_any(conn, id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)
}

/// Inserts a historical run as it finished (for demo data).
#[allow(clippy::too_many_arguments)]
pub fn insert_finished(
    conn: &Connection,
    service_id: u64,
    trigger: RunTrigger,
    status: RunStatus,
    created_at: &str,
    finished_at: &str,
    pulled: u64,
    pushed: u64,
) -> rusqlite::Result<u64> {
    conn.execute(
        "INSERT INTO runs (service_id, status, trigger, created_at, started_at, finished_at,
             pulled, pushed)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)",
        params![
            service_id,
            status.as_str(),
            trigger.as_str(),
            created_at,
            finished_at,
            pulled,
            pushed
        ],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}

pub fn find_by_key(conn: &Connection, service_id: u64, key: &str) -> rusqlite::Result<Option<Run>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM runs r WHERE r.service_id = ?1 AND r.idempotency_key = ?2"),
        params![service_id, key],
        run_from_row,
    )
    .optional()
}

/// A run, if its service belongs to the company.
pub fn find(conn: &Connection, company_id: u64, id: u64) -> rusqlite::Result<Option<Run>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM runs r
             JOIN services s ON s.id = r.service_id
             JOIN company_groups g ON g.id = s.group_id
             WHERE r.id = ?1 AND g.company_id = ?2"
        ),
        [id, company_id],
        run_from_row,
    )
    .optional()
}

pub fn find_any(conn: &Connection, id: u64) -> rusqlite::Result<Option<Run>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM runs r WHERE r.id = ?1"),
        [id],
        run_from_row,
    )
    .optional()
}

/// A service's runs created at or after `since`, newest first.
pub fn since(conn: &Connection, service_id: u64, since: &str) -> rusqlite::Result<Vec<Run>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM runs r WHERE r.service_id = ?1 AND r.created_at >= ?2
         ORDER BY r.id DESC"
    ))?;
    let rows = stmt.query_map(params![service_id, since], run_from_row)?;
    rows.collect()
}

/// The latest run of every service in a group that has one.
pub fn latest_in_group(
    conn: &Connection,
    group_id: u64,
) -> rusqlite::Result<HashMap<u64, RunSummary>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM runs r
         WHERE r.id IN (SELECT MAX(x.id) FROM runs x JOIN services s ON s.id = x.service_id
                        WHERE s.group_id = ?1 GROUP BY x.service_id)"
    ))?;
    let rows = stmt.query_map([group_id], run_from_row)?;
    rows.map(|run| run.map(|run| (run.service_id, RunSummary::from(&run))))
        .collect()
}

pub fn latest_of(conn: &Connection, service_id: u64) -> rusqlite::Result<Option<RunSummary>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM runs r WHERE r.service_id = ?1 ORDER BY r.id DESC LIMIT 1"),
        [service_id],
        run_from_row,
    )
    .optional()
    .map(|run| run.as_ref().map(RunSummary::from))
}

pub fn has_live_run(conn: &Connection, service_id: u64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM runs WHERE service_id = ?1 AND status IN ('queued', 'running'))",
        [service_id],
        |row| row.get(0),
    )
}

/// Takes the oldest queued run and marks it running.
pub fn claim_next(conn: &Connection, now: &str) -> rusqlite::Result<Option<Run>> {
    let id: Option<u64> = conn
        .query_row(
            "UPDATE runs SET status = 'running', started_at = ?1
             WHERE id = (SELECT id FROM runs WHERE status = 'queued' ORDER BY id LIMIT 1)
             RETURNING id",
            [now],
            |row| row.get(0),
        )
        .optional()?;
    match id {
        Some(id) => find_any(conn, id),
        None => Ok(None),
    }
}

pub fn set_counts(conn: &Connection, id: u64, pulled: u64, pushed: u64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE runs SET pulled = ?2, pushed = ?3 WHERE id = ?1",
        params![id, pulled, pushed],
    )?;
    Ok(())
}

pub fn finish(conn: &Connection, id: u64, status: RunStatus, now: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE runs SET status = ?2, finished_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), now],
    )?;
    Ok(())
}

/// Runs a previous process left running can't finish: they failed. Returns their ids.
pub fn fail_interrupted(conn: &Connection, now: &str) -> rusqlite::Result<Vec<u64>> {
    let mut stmt = conn.prepare(
        "UPDATE runs SET status = 'failed', finished_at = ?1 WHERE status = 'running' RETURNING id",
    )?;
    let ids = stmt
        .query_map([now], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<u64>>>()?;
    for id in &ids {
        append_log(
            conn,
            *id,
            LogLevel::Error,
            "The run was interrupted by a server restart.",
            now,
        )?;
    }
    Ok(ids)
}

pub fn append_log(
    conn: &Connection,
    run_id: u64,
    level: LogLevel,
    message: &str,
    now: &str,
) -> rusqlite::Result<u64> {
    conn.query_row(
        "INSERT INTO run_log_lines (run_id, seq, at, level, message)
         VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_log_lines WHERE run_id = ?1), ?2, ?3, ?4)
         RETURNING seq",
        params![run_id, now, level.as_str(), message],
        |row| row.get(0),
    )
}

/// Log lines with `seq` greater than `after`, oldest first, at most `limit`.
pub fn log_after(
    conn: &Connection,
    run_id: u64,
    after: u64,
    limit: u32,
) -> rusqlite::Result<Vec<LogLine>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, level, message FROM run_log_lines
         WHERE run_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![run_id, after, limit], |row| {
        let level: String = row.get(2)?;
        Ok(LogLine {
            seq: row.get(0)?,
            at: row.get(1)?,
            level: LogLevel::parse(&level).ok_or_else(|| super::bad_value(2, "log level"))?,
            message: row.get(3)?,
        })
    })?;
    rows.collect()
}

fn run_from_row(row: &Row<'_>) -> rusqlite::Result<Run> {
    let status: String = row.get(2)?;
    let trigger: String = row.get(3)?;
    let record_ids: String = row.get(4)?;
    Ok(Run {
        id: row.get(0)?,
        service_id: row.get(1)?,
        status: RunStatus::parse(&status).ok_or_else(|| super::bad_value(2, "run status"))?,
        trigger: RunTrigger::parse(&trigger).ok_or_else(|| super::bad_value(3, "run trigger"))?,
        record_ids: serde_json::from_str(&record_ids)
            .map_err(|_| super::bad_value(4, "record id list"))?,
        page_size: row.get(5)?,
        created_at: row.get(6)?,
        started_at: row.get(7)?,
        finished_at: row.get(8)?,
        pulled: row.get(9)?,
        pushed: row.get(10)?,
    })
}
