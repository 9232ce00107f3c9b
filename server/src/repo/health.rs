//! Health in every row: the latest run's outcome and time (from `service_last_runs`) and the
//! runs that failed in the last 24 hours (from the partial index `runs_failed_by_service`),
//! for one page's services or, in one grouped query, for a whole group (the lean view).

use crate::clock;
use crate::db::{Db, DbError, RowExt};
use crate::with_reader;
use services_model::{Health, RunStatus, RunSummary};
use std::collections::HashMap;

/// How far back failed runs are counted.
pub const FAILED_WINDOW_SECONDS: i64 = 24 * 60 * 60;

/// The start of the failed-runs window ending at `now` (Unix seconds), as stored (RFC 3339).
pub fn window_start(now: i64) -> String {
    clock::format(now - FAILED_WINDOW_SECONDS)
}

/// A row's health from its latest run and its failed-run count: the time is when the run
/// finished, else when it started (a queued run has none yet).
pub fn from_last_run(last_run: Option<&RunSummary>, failed_24h: u32) -> Health {
    Health {
        last_run_status: last_run.map(|r| r.status),
        last_run_at: last_run.and_then(|r| r.finished_at.clone().or_else(|| r.started_at.clone())),
        failed_24h,
    }
}

/// Failed runs since `since` per service, for these services only (a page: O(page)).
pub async fn failed_since(
    db: &Db,
    service_ids: &[u64],
    since: &str,
) -> Result<HashMap<u64, u32>, DbError> {
    if service_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<String> = service_ids.iter().map(u64::to_string).collect();
    // The ids are numbers from the store, written into the text; the time is bound.
    let sql = format!(
        "SELECT service_id, COUNT(*) AS n FROM runs
         WHERE service_id IN ({}) AND status = 'failed' AND finished_at >= $1
         GROUP BY service_id",
        ids.join(", ")
    );
    count_rows(db, sql, None, since).await
}

/// Failed runs since `since` per service of the group, in one grouped query.
pub async fn group_failed_since(
    db: &Db,
    group_id: u64,
    since: &str,
) -> Result<HashMap<u64, u32>, DbError> {
    let sql =
        "SELECT r.service_id, COUNT(*) AS n FROM runs r JOIN services s ON s.id = r.service_id
         WHERE s.group_id = $1 AND r.status = 'failed' AND r.finished_at >= $2
         GROUP BY r.service_id"
            .to_string();
    count_rows(db, sql, Some(group_id), since).await
}

async fn count_rows(
    db: &Db,
    sql: String,
    group_id: Option<u64>,
    since: &str,
) -> Result<HashMap<u64, u32>, DbError> {
    let counts = with_reader!(db, |conn| {
        // The group (if any) is $1, the window's start the last parameter.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
        if let Some(group_id) = group_id {
            query = query.bind(group_id as i64);
        }
        query
            .bind(since.to_string())
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| -> Result<(u64, u32), sqlx::Error> {
                Ok((
                    row.id("service_id")?,
                    u32::try_from(row.int("n")?).unwrap_or(u32::MAX),
                ))
            })
            .collect::<Result<HashMap<_, _>, _>>()?
    });
    Ok(counts)
}

/// The health of every service of the group that ever ran (the others have the default), with
/// failed runs counted since `since`: two queries, whatever the group's size.
pub async fn of_group(
    db: &Db,
    group_id: u64,
    since: &str,
) -> Result<HashMap<u64, Health>, DbError> {
    let failed = group_failed_since(db, group_id, since).await?;
    let latest = with_reader!(db, |conn| {
        sqlx::query(
            "SELECT l.service_id, l.status, COALESCE(l.finished_at, l.started_at) AS at
             FROM service_last_runs l JOIN services s ON s.id = l.service_id
             WHERE s.group_id = $1",
        )
        .bind(group_id as i64)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(
            |row| -> Result<(u64, Option<RunStatus>, Option<String>), sqlx::Error> {
                Ok((
                    row.id("service_id")?,
                    RunStatus::parse(&row.text("status")?),
                    row.opt_text("at")?,
                ))
            },
        )
        .collect::<Result<Vec<_>, _>>()?
    });
    let mut health: HashMap<u64, Health> = HashMap::new();
    for (id, status, at) in latest {
        health.insert(
            id,
            Health {
                last_run_status: status,
                last_run_at: at,
                failed_24h: failed.get(&id).copied().unwrap_or(0),
            },
        );
    }
    for (id, n) in failed {
        health.entry(id).or_default().failed_24h = n;
    }
    Ok(health)
}
