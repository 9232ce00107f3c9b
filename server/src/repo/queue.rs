//! The run queue across instances: claims with a lease, renewal, writes that check the lease,
//! release at shutdown, recovery of expired leases, and the retention purge.

use super::runs::{append_log, run_from_row, COLUMNS};
use crate::db::{Db, DbError, Dialect, RowExt};
use crate::{with_reader, with_writer};
use services_model::{LogLevel, Run, RunStatus};

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
    let claimed = with_writer!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(owner)
            .bind(lease_until)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| -> Result<_, sqlx::Error> { Ok((run_from_row(&row)?, row.id("attempts")?)) })
    });
    Ok(claimed.transpose()?)
}

/// Extends the lease of a run `owner` still holds; false when it no longer does.
pub async fn renew(db: &Db, id: u64, owner: &str, lease_until: i64) -> Result<bool, DbError> {
    let done = with_writer!(db, |conn| {
        sqlx::query(
            "UPDATE runs SET lease_expires_at = $3
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id as i64)
        .bind(owner)
        .bind(lease_until)
        .execute(&mut *conn)
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
    let done = with_writer!(db, |conn| {
        sqlx::query(
            "UPDATE runs SET pulled = $3, pushed = $4
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id as i64)
        .bind(owner)
        .bind(pulled as i64)
        .bind(pushed as i64)
        .execute(&mut *conn)
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
    let done = with_writer!(db, |conn| {
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
        .execute(&mut *conn)
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
    let done = with_writer!(db, |conn| {
        sqlx::query(
            "UPDATE runs SET status = 'queued', started_at = NULL, lease_owner = NULL,
                 lease_expires_at = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
        )
        .bind(id as i64)
        .bind(owner)
        .execute(&mut *conn)
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
    let (requeued, failed) = with_writer!(db, |conn| {
        let failed: Vec<i64> = sqlx::query_scalar(
            "UPDATE runs SET status = 'failed', finished_at = $2, lease_owner = NULL,
                 lease_expires_at = NULL
             WHERE status = 'running' AND COALESCE(lease_expires_at, 0) < $1 AND attempts >= $3
             RETURNING id",
        )
        .bind(now_ms)
        .bind(now)
        .bind(max_attempts as i64)
        .fetch_all(&mut *conn)
        .await?;
        let requeued: Vec<i64> = sqlx::query_scalar(
            "UPDATE runs SET status = 'queued', started_at = NULL, lease_owner = NULL,
                 lease_expires_at = NULL
             WHERE status = 'running' AND COALESCE(lease_expires_at, 0) < $1
             RETURNING id",
        )
        .bind(now_ms)
        .fetch_all(&mut *conn)
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

/// How many runs have each status (metrics).
pub async fn counts_by_status(db: &Db) -> Result<Vec<(String, i64)>, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query_as("SELECT status, COUNT(*) FROM runs GROUP BY status")
            .fetch_all(&mut *conn)
            .await?
    }))
}

/// Runs waiting to be claimed.
pub async fn queue_depth(db: &Db) -> Result<u64, DbError> {
    let n: i64 = with_reader!(db, |conn| {
        sqlx::query_scalar("SELECT COUNT(*) FROM runs WHERE status = 'queued'")
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(n as u64)
}

/// Deletes up to `batch` finished runs created before `cutoff` (RFC 3339), with their log
/// lines, keeping each service's latest run (the list shows it). Returns how many went.
pub async fn purge_before(db: &Db, cutoff: &str, batch: u32) -> Result<u64, DbError> {
    Ok(with_writer!(db, |conn| {
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
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }))
}
