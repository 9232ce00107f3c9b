//! Purges old runs and their log lines: finished runs created more than `days` ago, in batches,
//! every hour. Each service's latest run stays (the list shows it).

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

/// Purges a minute after start, then hourly. `days == 0` keeps everything.
pub fn spawn(db: Db, days: u32) -> Option<tokio::task::JoinHandle<()>> {
    if days == 0 {
        return None;
    }
    Some(tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        loop {
            match purge(&db, clock::now_unix(), days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(runs = n, days, "purged old runs and their logs"),
                Err(error) => tracing::error!(%error, "could not purge old runs"),
            }
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }))
}
