//! Purges old runs and their log lines: finished runs created more than `days` ago, in batches,
//! every hour. Each service's latest run stays (the list shows it). Also purges the live-update
//! events older than their retention (a client that reconnects after that is told to reload).

use crate::db::{Db, DbError};
use crate::{clock, repo};
use std::time::Duration;

const BATCH: u32 = 1000;

/// Deletes what is older than `days` before `now` (Unix seconds); returns how many runs went.
pub async fn purge(db: &Db, now: i64, days: u32) -> Result<u64, DbError> {
    let cutoff = clock::format(now - i64::from(days) * 86_400);
    let mut total = 0;
    loop {
        let n = repo::queue::purge_before(db, &cutoff, BATCH).await?;
        total += n;
        if n < u64::from(BATCH) {
            return Ok(total);
        }
        // Let other writers in between batches.
        tokio::task::yield_now().await;
    }
}

/// Deletes the live-update events recorded more than `keep` before `now` (Unix seconds).
pub async fn purge_events(db: &Db, now: i64, keep: Duration) -> Result<u64, DbError> {
    let cutoff = now - keep.as_secs() as i64;
    let mut total = 0;
    loop {
        let n = repo::events::purge_before(db, cutoff, BATCH).await?;
        total += n;
        if n < u64::from(BATCH) {
            return Ok(total);
        }
        tokio::task::yield_now().await;
    }
}

/// Purges a minute after start, then hourly (events every time; runs unless `days == 0`).
pub fn spawn(db: Db, days: u32, events: Duration) -> Option<tokio::task::JoinHandle<()>> {
    Some(tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            if days > 0 {
                match purge(&db, clock::now_unix(), days).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(runs = n, days, "purged old runs and their logs"),
                    Err(error) => tracing::error!(%error, "could not purge old runs"),
                }
            }
            match purge_events(&db, clock::now_unix(), events).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(events = n, "purged old live-update events"),
                Err(error) => tracing::error!(%error, "could not purge old events"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }))
}
