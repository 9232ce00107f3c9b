//! Starts active services when their cron schedule says so (in UTC), once a minute.

use crate::db::Db;
use crate::{clock, repo};
use rusqlite::Connection;
use services_model::{Cron, OffsetDateTime, RunTrigger};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Queues a run for every active scheduled service due in the minute of `at`, unless it
/// already has one queued or running. Returns the services started.
pub fn enqueue_due(conn: &mut Connection, at: OffsetDateTime) -> rusqlite::Result<Vec<u64>> {
    let tx = conn.transaction()?;
    let now = clock::format(at.unix_timestamp());
    let mut started = Vec::new();
    for (service_id, cron) in repo::services::active_schedules(&tx)? {
        let Ok(cron) = Cron::parse(&cron) else {
            tracing::warn!(
                service_id,
                cron,
                "skipping a service with an invalid schedule"
            );
            continue;
        };
        if !cron.matches(at) || repo::runs::has_live_run(&tx, service_id)? {
            continue;
        }
        repo::runs::insert(
            &tx,
            &repo::runs::NewRun {
                service_id,
                trigger: RunTrigger::Schedule,
                requested_by: None,
                record_ids: &[],
                page_size: None,
                idempotency_key: None,
                now: &now,
            },
        )?;
        started.push(service_id);
    }
    tx.commit()?;
    Ok(started)
}

/// Wakes at the start of every minute and queues what is due.
pub fn spawn(
    db: Db,
    wake_worker: Arc<Notify>,
    heartbeat: crate::health::Heartbeat,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            heartbeat.beat();
            let now = clock::now_unix();
            let next_minute = (now / 60 + 1) * 60;
            tokio::time::sleep(Duration::from_secs((next_minute - now) as u64)).await;
            let Ok(at) = OffsetDateTime::from_unix_timestamp(next_minute) else {
                continue;
            };
            match db.call(move |conn| enqueue_due(conn, at)).await {
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
