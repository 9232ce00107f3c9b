//! The `events` table (written by triggers, see `migrations/*/0002_events.sql`): what the streams
//! read, replay and purge.

use crate::db::{Db, DbError, RowExt};
use crate::{with_reader, with_writer};

/// One change, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: u64,
    pub company_id: u64,
    pub kind: String,
    pub group_id: u64,
    pub service_id: u64,
    pub run_id: Option<u64>,
}

const COLUMNS: &str = "id, company_id, kind, group_id, service_id, run_id";

fn from_row(row: &impl RowExt) -> Result<StoredEvent, sqlx::Error> {
    Ok(StoredEvent {
        id: row.id("id")?,
        company_id: row.id("company_id")?,
        kind: row.text("kind")?,
        group_id: row.id("group_id")?,
        service_id: row.id("service_id")?,
        run_id: row.opt_id("run_id")?,
    })
}

/// Events of every company after `after`, oldest first (the reader that feeds the streams).
pub async fn after(db: &Db, after: u64, limit: u32) -> Result<Vec<StoredEvent>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2");
    let rows = with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after as i64)
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>, _>>()
    });
    Ok(rows?)
}

/// One company's events after `after`, oldest first (a reconnecting stream's replay).
pub async fn replay(
    db: &Db,
    company_id: u64,
    after: u64,
    limit: u32,
) -> Result<Vec<StoredEvent>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events WHERE company_id = $1 AND id > $2 ORDER BY id LIMIT $3"
    );
    let rows = with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(company_id as i64)
            .bind(after as i64)
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>, _>>()
    });
    Ok(rows?)
}

/// The newest event id (kept or purged) and the last purged one (0 when none).
pub async fn bounds(db: &Db) -> Result<(u64, u64), DbError> {
    let (head, purged): (i64, Option<String>) = with_reader!(db, |conn| {
        sqlx::query_as(
            "SELECT CAST(COALESCE((SELECT MAX(id) FROM events), 0) AS BIGINT),
                    (SELECT value FROM meta WHERE key = 'events_purged_through')",
        )
        .fetch_one(&mut *conn)
        .await?
    });
    let purged = purged.and_then(|p| p.parse::<u64>().ok()).unwrap_or(0);
    // Ids are never given twice, so the newest is at least the last purged.
    Ok(((head.max(0) as u64).max(purged), purged))
}

/// Deletes the events recorded before `cutoff` (Unix seconds), up to `batch`, and records the
/// last id deleted; returns how many went.
pub async fn purge_before(db: &Db, cutoff: i64, batch: u32) -> Result<u64, DbError> {
    let last: Option<i64> = with_reader!(db, |conn| {
        sqlx::query_scalar(
            "SELECT MAX(id) FROM (SELECT id FROM events WHERE at < $1 ORDER BY id LIMIT $2) AS old",
        )
        .bind(cutoff)
        .bind(i64::from(batch))
        .fetch_one(&mut *conn)
        .await?
    });
    let Some(last) = last else {
        return Ok(0);
    };
    Ok(with_writer!(db, |conn| {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('events_purged_through', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(last.to_string())
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM events WHERE id <= $1")
            .bind(last)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    }))
}
