//! Starts active services when their cron schedule says so (in UTC). Each minute it queues a run
//! for every service due in the minutes since the last one it handled (kept in the store), so a
//! late tick or a stopped server catches up: one run per service, for its latest due minute.
//! Instances share that progress and the unique `(service_id, scheduled_for)`, so a due service
//! gets one run however many instances tick.

use crate::db::{Db, DbError};
use crate::repo::{schedule, services};
use services_model::{Cron, OffsetDateTime};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// After a longer outage, only the last week's minutes are considered.
pub const MAX_CATCH_UP_MINUTES: i64 = 7 * 24 * 60;

/// The active schedules, parsed; invalid ones are skipped with a warning.
async fn schedules(db: &Db) -> Result<Vec<(String, Cron)>, DbError> {
    Ok(services::active_schedules(db)
        .await?
        .into_iter()
        .filter_map(|text| match Cron::parse(&text) {
            Ok(cron) => Some((text, cron)),
            Err(_) => {
                tracing::warn!(cron = text, "skipping services with an invalid schedule");
                None
            }
        })
        .collect())
}

/// Queues a run for every active scheduled service due in the minute of `at`, unless it already
/// has one queued or running, or one for that minute. Returns the services started.
pub async fn enqueue_due(db: &Db, at: OffsetDateTime) -> Result<Vec<u64>, DbError> {
    let due: Vec<String> = schedules(db)
        .await?
        .into_iter()
        .filter(|(_, cron)| cron.matches(at))
        .map(|(text, _)| text)
        .collect();
    let minute = crate::clock::format(at.unix_timestamp().div_euclid(60) * 60);
    schedule::enqueue_scheduled(db, &due, &minute).await
}

/// The start of Unix minute `minute`.
fn minute_start(minute: i64) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(minute * 60).ok()
}

/// Handles every minute up to `now` (Unix seconds) not handled yet. Returns the services
/// started.
pub async fn catch_up(db: &Db, now: i64) -> Result<Vec<u64>, DbError> {
    let current = now.div_euclid(60);
    let last = schedule::scheduler_last_minute(db, current - 1).await?;
    if last >= current {
        return Ok(Vec::new());
    }
    let first = (last + 1).max(current - MAX_CATCH_UP_MINUTES + 1);
    // Each schedule's latest due minute in [first, current].
    let mut by_minute: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (text, cron) in schedules(db).await? {
        if let Some(minute) = (first..=current)
            .rev()
            .find(|m| minute_start(*m).is_some_and(|at| cron.matches(at)))
        {
            by_minute.entry(minute).or_default().push(text);
        }
    }
    let mut started = Vec::new();
    for (minute, crons) in by_minute {
        let at = crate::clock::format(minute * 60);
        started.extend(schedule::enqueue_scheduled(db, &crons, &at).await?);
    }
    schedule::set_scheduler_last_minute(db, current).await?;
    Ok(started)
}

/// Wakes just after the start of every minute and queues what is due; beats `heartbeat` on
/// every turn (`/readyz`).
pub fn spawn(
    db: Db,
    wake_worker: Arc<Notify>,
    heartbeat: crate::health::Heartbeat,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            heartbeat.beat();
            let now = crate::clock::now_millis();
            let next_minute = (now / 60_000 + 1) * 60_000 + 50;
            tokio::time::sleep(Duration::from_millis((next_minute - now) as u64)).await;
            match catch_up(&db, crate::clock::now_unix()).await {
                Ok(started) if !started.is_empty() => {
                    tracing::info!(count = started.len(), "scheduled runs queued");
                    wake_worker.notify_one();
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "scheduler could not queue runs"),
            }
        }
    })
}
