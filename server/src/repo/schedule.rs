//! Scheduled runs: one per service and minute, and the scheduler's shared progress.

use crate::db::sql::{Arg, Sql};
use crate::db::{Db, DbError, RowExt};
use crate::{built_query, with_writer};

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
    let n = sql.bind(Arg::Text(minute.to_string()));
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
    let mut started: Vec<u64> = with_writer!(db, |conn| {
        built_query!(sql)
            .fetch_all(&mut *conn)
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
    Ok(with_writer!(db, |conn| {
        sqlx::query(
            "INSERT INTO scheduler_state (id, last_minute) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(initial)
        .execute(&mut *conn)
        .await?;
        sqlx::query_scalar::<_, i64>("SELECT last_minute FROM scheduler_state WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?
    }))
}

pub async fn set_scheduler_last_minute(db: &Db, minute: i64) -> Result<(), DbError> {
    with_writer!(db, |conn| {
        sqlx::query("UPDATE scheduler_state SET last_minute = $1 WHERE id = 1 AND last_minute < $1")
            .bind(minute)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(())
}
