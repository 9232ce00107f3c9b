use crate::db::sql::Sql;
use crate::db::{Db, DbError, RowExt, Tx};
use crate::{built_query, with_reader, with_tx, with_writer};
use services_model::{LogLevel, LogLine, Run, RunStatus, RunSummary, RunTrigger};

pub(super) const COLUMNS: &str =
    "id, service_id, status, trigger, record_ids, page_size, created_at,
     started_at, finished_at, pulled, pushed";

/// A manual run to start.
pub struct NewRun<'a> {
    pub service_id: u64,
    pub requested_by: u64,
    pub record_ids: &'a [String],
    pub page_size: Option<u32>,
    /// The `Idempotency-Key`, with a hash of the request it came with.
    pub idempotency: Option<(&'a str, &'a [u8])>,
    pub now: &'a str,
}

pub enum Started {
    Started(Run),
    /// The caller already started this run with the same key and request.
    Existing(Run),
    /// The caller used the key before for another request.
    KeyReused,
    /// The service is missing or not active.
    NotStarted,
}

/// Starts a manual run of an active service in one statement; with a key, a second start by the
/// same user finds the first run instead (the unique index decides, also between instances).
pub async fn start_manual(db: &Db, new: &NewRun<'_>) -> Result<Started, DbError> {
    let record_ids = serde_json::to_string(new.record_ids).unwrap_or_else(|_| "[]".into());
    let (key, hash) = match new.idempotency {
        Some((key, hash)) => (Some(key), Some(hash.to_vec())),
        None => (None, None),
    };
    let sql = format!(
        "INSERT INTO runs (service_id, status, trigger, requested_by, record_ids, page_size,
             idempotency_key, request_hash, created_at)
         SELECT s.id, 'queued', 'manual', $2, $3, $4, $5, $6, $7 FROM services s
         WHERE s.id = $1 AND s.status = 'active'
         ON CONFLICT (requested_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
         RETURNING {COLUMNS}"
    );
    let inserted = with_writer!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(new.service_id as i64)
            .bind(new.requested_by as i64)
            .bind(&record_ids)
            .bind(new.page_size.map(i64::from))
            .bind(key)
            .bind(hash.clone())
            .bind(new.now)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| run_from_row(&row))
    });
    if let Some(run) = inserted.transpose()? {
        return Ok(Started::Started(run));
    }
    let Some(key) = key else {
        return Ok(Started::NotStarted);
    };
    let sql = format!(
        "SELECT {COLUMNS}, request_hash FROM runs WHERE requested_by = $1 AND idempotency_key = $2"
    );
    // The writer: it sees what the insert just conflicted with.
    let existing = with_writer!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(new.requested_by as i64)
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| -> Result<_, sqlx::Error> {
                Ok((run_from_row(&row)?, row.opt_bytes("request_hash")?))
            })
    });
    Ok(match existing.transpose()? {
        Some((run, stored)) if stored == hash => Started::Existing(run),
        Some(_) => Started::KeyReused,
        None => Started::NotStarted,
    })
}

/// Inserts a historical run as it finished (demo data, load generator).
#[allow(clippy::too_many_arguments)]
pub async fn insert_finished(
    tx: &mut Tx,
    service_id: u64,
    trigger: RunTrigger,
    status: RunStatus,
    created_at: &str,
    finished_at: &str,
    pulled: u64,
    pushed: u64,
) -> Result<u64, DbError> {
    let id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO runs (service_id, status, trigger, created_at, started_at, finished_at,
                 pulled, pushed)
             VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id",
        )
        .bind(service_id as i64)
        .bind(status.as_str())
        .bind(trigger.as_str())
        .bind(created_at)
        .bind(finished_at)
        .bind(pulled as i64)
        .bind(pushed as i64)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(id as u64)
}

/// A finished run for each of `runs` (service, status, finished at, pulled, pushed) in
/// multi-row statements (the load generator).
pub async fn insert_finished_many(
    tx: &mut Tx,
    runs: &[(u64, RunStatus, String, u64, u64)],
) -> Result<(), DbError> {
    for chunk in runs.chunks(2000) {
        let mut sql = Sql::new(
            "INSERT INTO runs (service_id, status, trigger, created_at, started_at, finished_at, pulled, pushed) VALUES ",
        );
        for (i, (service, status, at, pulled, pushed)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind_int(*service as i64).push(", ");
            sql.bind_text(status.as_str()).push(", 'schedule', ");
            let n = sql.bind(crate::db::sql::Arg::Text(at.clone()));
            sql.push(&format!(", ${n}, ${n}, "));
            sql.bind_int(*pulled as i64).push(", ");
            sql.bind_int(*pushed as i64).push(")");
        }
        with_tx!(tx, |conn| built_query!(sql)
            .execute(&mut *conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// A run, if its service belongs to the company.
pub async fn find(db: &Db, company_id: u64, id: u64) -> Result<Option<Run>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM runs WHERE id = $1 AND service_id IN
             (SELECT s.id FROM services s JOIN company_groups g ON g.id = s.group_id
              WHERE g.company_id = $2)"
    );
    let found = with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id as i64)
            .bind(company_id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| run_from_row(&row))
    });
    Ok(found.transpose()?)
}

pub async fn find_any(db: &Db, id: u64) -> Result<Option<Run>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM runs WHERE id = $1");
    let found = with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| run_from_row(&row))
    });
    Ok(found.transpose()?)
}

/// A service's runs created at or after `since`, newest first.
pub async fn since(db: &Db, service_id: u64, since: &str) -> Result<Vec<Run>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM runs WHERE service_id = $1 AND created_at >= $2 ORDER BY id DESC"
    );
    Ok(with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(service_id as i64)
            .bind(since)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(run_from_row)
            .collect::<Result<Vec<_>, _>>()?
    }))
}

/// The service's latest run, as the list shows it.
pub async fn last_of(db: &Db, service_id: u64) -> Result<Option<RunSummary>, DbError> {
    let found = with_reader!(db, |conn| {
        sqlx::query(
            "SELECT run_id, status, started_at, finished_at, pulled, pushed
             FROM service_last_runs WHERE service_id = $1",
        )
        .bind(service_id as i64)
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| last_run_from_row(&row))
    });
    Ok(found.transpose()?.flatten())
}

/// A last run from `service_last_runs` columns (`run_id` NULL: the service never ran).
pub fn last_run_from_row(row: &impl RowExt) -> Result<Option<RunSummary>, sqlx::Error> {
    let Some(id) = row.opt_id("run_id")? else {
        return Ok(None);
    };
    Ok(Some(RunSummary {
        id,
        status: status(&row.text("status")?)?,
        started_at: row.opt_text("started_at")?,
        finished_at: row.opt_text("finished_at")?,
        pulled: row.id("pulled")?,
        pushed: row.id("pushed")?,
    }))
}

pub async fn append_log(
    db: &Db,
    run_id: u64,
    level: LogLevel,
    message: &str,
    now: &str,
) -> Result<u64, DbError> {
    let seq: i64 = with_writer!(db, |conn| {
        sqlx::query_scalar(APPEND_LOG)
            .bind(run_id as i64)
            .bind(now)
            .bind(level.as_str())
            .bind(message)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(seq as u64)
}

/// As [`append_log`], inside a transaction (demo data).
pub async fn append_log_in(
    tx: &mut Tx,
    run_id: u64,
    level: LogLevel,
    message: &str,
    now: &str,
) -> Result<u64, DbError> {
    let seq: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(APPEND_LOG)
            .bind(run_id as i64)
            .bind(now)
            .bind(level.as_str())
            .bind(message)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(seq as u64)
}

const APPEND_LOG: &str = "INSERT INTO run_log_lines (run_id, seq, at, level, message)
     VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_log_lines WHERE run_id = $1), $2, $3, $4)
     RETURNING seq";

/// Log lines with `seq` greater than `after`, oldest first, at most `limit`.
pub async fn log_after(
    db: &Db,
    run_id: u64,
    after: u64,
    limit: u32,
) -> Result<Vec<LogLine>, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query(
            "SELECT seq, at, level, message FROM run_log_lines
             WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(run_id as i64)
        .bind(after.min(i64::MAX as u64) as i64)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| -> Result<LogLine, sqlx::Error> {
            Ok(LogLine {
                seq: row.id("seq")?,
                at: row.text("at")?,
                level: LogLevel::parse(&row.text("level")?)
                    .ok_or_else(|| super::bad_value("level", "log level"))?,
                message: row.text("message")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?
    }))
}

pub(super) fn status(text: &str) -> Result<RunStatus, sqlx::Error> {
    RunStatus::parse(text).ok_or_else(|| super::bad_value("status", "run status"))
}

pub(super) fn run_from_row(row: &impl RowExt) -> Result<Run, sqlx::Error> {
    Ok(Run {
        id: row.id("id")?,
        service_id: row.id("service_id")?,
        status: status(&row.text("status")?)?,
        trigger: RunTrigger::parse(&row.text("trigger")?)
            .ok_or_else(|| super::bad_value("trigger", "run trigger"))?,
        record_ids: serde_json::from_str(&row.text("record_ids")?)
            .map_err(|_| super::bad_value("record_ids", "record id list"))?,
        page_size: row
            .opt_int("page_size")?
            .map(|v| v.clamp(0, u32::MAX as i64) as u32),
        created_at: row.text("created_at")?,
        started_at: row.opt_text("started_at")?,
        finished_at: row.opt_text("finished_at")?,
        pulled: row.id("pulled")?,
        pushed: row.id("pushed")?,
    })
}
