use crate::db::sql::Sql;
use crate::db::{Db, DbError, Dialect, RowExt, Tx};
use crate::{built_query, with_reader, with_tx, with_writer};
use services_model::{LogLevel, LogLine, Run, RunStatus, RunSummary, RunTrigger};

const COLUMNS: &str = "id, service_id, status, trigger, record_ids, page_size, created_at,
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
    let inserted = with_writer!(db, |pool| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(new.service_id as i64)
            .bind(new.requested_by as i64)
            .bind(&record_ids)
            .bind(new.page_size.map(i64::from))
            .bind(key)
            .bind(hash.clone())
            .bind(new.now)
            .fetch_optional(pool)
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
    let existing = with_writer!(db, |pool| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(new.requested_by as i64)
            .bind(key)
            .fetch_optional(pool)
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
    let found = with_reader!(db, |pool| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id as i64)
            .bind(company_id as i64)
            .fetch_optional(pool)
            .await?
            .map(|row| run_from_row(&row))
    });
    Ok(found.transpose()?)
}

pub async fn find_any(db: &Db, id: u64) -> Result<Option<Run>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM runs WHERE id = $1");
    let found = with_reader!(db, |pool| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id as i64)
            .fetch_optional(pool)
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
    Ok(with_reader!(db, |pool| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(service_id as i64)
            .bind(since)
            .fetch_all(pool)
            .await?
            .iter()
            .map(run_from_row)
            .collect::<Result<Vec<_>, _>>()?
    }))
}

/// The service's latest run, as the list shows it.
pub async fn last_of(db: &Db, service_id: u64) -> Result<Option<RunSummary>, DbError> {
    let found = with_reader!(db, |pool| {
        sqlx::query(
            "SELECT run_id, status, started_at, finished_at, pulled, pushed
             FROM service_last_runs WHERE service_id = $1",
        )
        .bind(service_id as i64)
        .fetch_optional(pool)
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

/// Takes the oldest queued run for `owner` with a lease until `lease_until` (Unix ms). On
/// PostgreSQL, `SKIP LOCKED` lets instances claim different runs at the same time; SQLite's
/// single writer claims one at a time.
pub async fn claim_next(
    db: &Db,
    owner: &str,
    lease_until: i64,
    now: &str,
) -> Result<Option<(Run, u64)>, DbError> {
    let pick = match db.dialect() {
        Dialect::Sqlite => "SELECT id FROM runs WHERE status = 'queued' ORDER BY id LIMIT 1",
        Dialect::Postgres => {
            "SELECT id FROM runs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
        }
    };
    let sql = format!(
        "UPDATE runs SET status = 'running', started_at = $1, lease_owner = $2,
             lease_expires_at = $3, attempts = attempts + 1
         WHERE id = ({pick}) RETURNING {COLUMNS}, attempts"
    );
    let claimed = with_writer!(db, |pool| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(owner)
            .bind(lease_until)
            .fetch_optional(pool)
            .await?
            .map(|row| -> Result<_, sqlx::Error> { Ok((run_from_row(&row)?, row.id("attempts")?)) })
    });
    Ok(claimed.transpose()?)
}

/// Extends the lease of a run `owner` still holds; false when it no longer does.
pub async fn renew(db: &Db, id: u64, owner: &str, lease_until: i64) -> Result<bool, DbError> {
    let done = with_writer!(db, |pool| {
        sqlx::query(
            "UPDATE runs SET lease_expires_at = $3
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id as i64)
        .bind(owner)
        .bind(lease_until)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// Records progress of a run `owner` holds; false when it no longer does.
pub async fn set_counts(
    db: &Db,
    id: u64,
    owner: &str,
    pulled: u64,
    pushed: u64,
) -> Result<bool, DbError> {
    let done = with_writer!(db, |pool| {
        sqlx::query(
            "UPDATE runs SET pulled = $3, pushed = $4
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id as i64)
        .bind(owner)
        .bind(pulled as i64)
        .bind(pushed as i64)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// Ends a run `owner` holds; false when it no longer does.
pub async fn finish(
    db: &Db,
    id: u64,
    owner: &str,
    status: RunStatus,
    pulled: u64,
    pushed: u64,
    now: &str,
) -> Result<bool, DbError> {
    let done = with_writer!(db, |pool| {
        sqlx::query(
            "UPDATE runs SET status = $3, pulled = $4, pushed = $5, finished_at = $6,
                 lease_owner = NULL, lease_expires_at = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id as i64)
        .bind(owner)
        .bind(status.as_str())
        .bind(pulled as i64)
        .bind(pushed as i64)
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// Puts a run `owner` holds back in the queue (shutting down), with a log line saying why.
pub async fn release(
    db: &Db,
    id: u64,
    owner: &str,
    message: &str,
    now: &str,
) -> Result<bool, DbError> {
    let done = with_writer!(db, |pool| {
        sqlx::query(
            "UPDATE runs SET status = 'queued', started_at = NULL, lease_owner = NULL,
                 lease_expires_at = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id as i64)
        .bind(owner)
        .execute(pool)
        .await?
        .rows_affected()
    });
    if done == 1 {
        append_log(db, id, LogLevel::Warning, message, now).await?;
    }
    Ok(done == 1)
}

/// What recovery did with a run whose lease expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovered {
    Requeued(u64),
    Failed(u64),
}

/// Runs whose lease expired before `now_ms` (their instance stopped renewing: killed, or its
/// final write failed) go back in the queue, or fail after `max_attempts`. A live lease is never
/// touched. Each run is taken by exactly one statement, so two instances can't both recover it.
pub async fn recover_expired(
    db: &Db,
    now_ms: i64,
    max_attempts: u64,
    now: &str,
) -> Result<Vec<Recovered>, DbError> {
    let (requeued, failed) = with_writer!(db, |pool| {
        let failed: Vec<i64> = sqlx::query_scalar(
            "UPDATE runs SET status = 'failed', finished_at = $2, lease_owner = NULL,
                 lease_expires_at = NULL
             WHERE status = 'running' AND COALESCE(lease_expires_at, 0) < $1 AND attempts >= $3
             RETURNING id",
        )
        .bind(now_ms)
        .bind(now)
        .bind(max_attempts as i64)
        .fetch_all(pool)
        .await?;
        let requeued: Vec<i64> = sqlx::query_scalar(
            "UPDATE runs SET status = 'queued', started_at = NULL, lease_owner = NULL,
                 lease_expires_at = NULL
             WHERE status = 'running' AND COALESCE(lease_expires_at, 0) < $1
             RETURNING id",
        )
        .bind(now_ms)
        .fetch_all(pool)
        .await?;
        (requeued, failed)
    });
    let mut out = Vec::new();
    for id in failed {
        append_log(
            db,
            id as u64,
            LogLevel::Error,
            &format!("The run was interrupted {max_attempts} times (its server stopped or could not record it); it failed."),
            now,
        )
        .await?;
        out.push(Recovered::Failed(id as u64));
    }
    for id in requeued {
        append_log(
            db,
            id as u64,
            LogLevel::Warning,
            "The server running this run stopped answering; the run was put back in the queue.",
            now,
        )
        .await?;
        out.push(Recovered::Requeued(id as u64));
    }
    Ok(out)
}

/// Runs waiting to be claimed.
pub async fn queue_depth(db: &Db) -> Result<u64, DbError> {
    let n: i64 = with_reader!(db, |pool| {
        sqlx::query_scalar("SELECT COUNT(*) FROM runs WHERE status = 'queued'")
            .fetch_one(pool)
            .await?
    });
    Ok(n as u64)
}

/// Queues a scheduled run for `minute` (RFC 3339) of every active service on one of `crons`
/// that has no run queued or running. The unique `(service_id, scheduled_for)` makes a second
/// call for the same minute, from any instance, add nothing. Returns the services started.
pub async fn enqueue_scheduled(
    db: &Db,
    crons: &[String],
    minute: &str,
) -> Result<Vec<u64>, DbError> {
    if crons.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Sql::new(
        "INSERT INTO runs (service_id, status, trigger, scheduled_for, created_at)
         SELECT s.id, 'queued', 'schedule', ",
    );
    let n = sql.bind(crate::db::sql::Arg::Text(minute.to_string()));
    sql.push(&format!(
        ", ${n} FROM services s
         WHERE s.status = 'active' AND s.trigger_kind = 'schedule' AND s.trigger_cron IN "
    ));
    sql.bind_list(crons.iter().map(String::as_str));
    sql.push(
        " AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.service_id = s.id
                           AND r.status IN ('queued', 'running'))
         ON CONFLICT (service_id, scheduled_for) WHERE scheduled_for IS NOT NULL DO NOTHING
         RETURNING service_id",
    );
    let mut started: Vec<u64> = with_writer!(db, |pool| {
        built_query!(sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| row.id("service_id"))
            .collect::<Result<Vec<_>, _>>()?
    });
    started.sort_unstable();
    Ok(started)
}

/// The scheduler's progress: the last minute (Unix minutes) it queued runs for, starting at
/// `initial` on a new database.
pub async fn scheduler_last_minute(db: &Db, initial: i64) -> Result<i64, DbError> {
    Ok(with_writer!(db, |pool| {
        sqlx::query(
            "INSERT INTO scheduler_state (id, last_minute) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(initial)
        .execute(pool)
        .await?;
        sqlx::query_scalar::<_, i64>("SELECT last_minute FROM scheduler_state WHERE id = 1")
            .fetch_one(pool)
            .await?
    }))
}

pub async fn set_scheduler_last_minute(db: &Db, minute: i64) -> Result<(), DbError> {
    with_writer!(db, |pool| {
        sqlx::query("UPDATE scheduler_state SET last_minute = $1 WHERE id = 1 AND last_minute < $1")
            .bind(minute)
            .execute(pool)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Deletes up to `batch` finished runs created before `cutoff` (RFC 3339), with their log
/// lines, keeping each service's latest run (the list shows it). Returns how many went.
pub async fn purge_before(db: &Db, cutoff: &str, batch: u32) -> Result<u64, DbError> {
    Ok(with_writer!(db, |pool| {
        sqlx::query(
            "DELETE FROM runs WHERE id IN (
                 SELECT r.id FROM runs r
                 WHERE r.created_at < $1 AND r.status IN ('ok', 'failed')
                   AND NOT EXISTS (SELECT 1 FROM service_last_runs l
                                   WHERE l.service_id = r.service_id AND l.run_id = r.id)
                 ORDER BY r.id LIMIT $2)",
        )
        .bind(cutoff)
        .bind(i64::from(batch))
        .execute(pool)
        .await?
        .rows_affected()
    }))
}

pub async fn append_log(
    db: &Db,
    run_id: u64,
    level: LogLevel,
    message: &str,
    now: &str,
) -> Result<u64, DbError> {
    let seq: i64 = with_writer!(db, |pool| {
        sqlx::query_scalar(APPEND_LOG)
            .bind(run_id as i64)
            .bind(now)
            .bind(level.as_str())
            .bind(message)
            .fetch_one(pool)
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
    Ok(with_reader!(db, |pool| {
        sqlx::query(
            "SELECT seq, at, level, message FROM run_log_lines
             WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(run_id as i64)
        .bind(after.min(i64::MAX as u64) as i64)
        .bind(i64::from(limit))
        .fetch_all(pool)
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

fn status(text: &str) -> Result<RunStatus, sqlx::Error> {
    RunStatus::parse(text).ok_or_else(|| super::bad_value("status", "run status"))
}

fn run_from_row(row: &impl RowExt) -> Result<Run, sqlx::Error> {
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
