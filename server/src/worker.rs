//! Executes queued runs: queued → running → ok or failed, writing counts and log lines as it
//! goes. Step length and outcomes are configurable so tests are quick and deterministic.

use crate::db::Db;
use crate::{clock, repo};
use services_model::{LogLevel, Run, RunStatus, RunTrigger, Service};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};

/// How runs end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Outcome {
    Ok,
    Failed,
    /// Every fourth run fails, the rest succeed.
    Mixed,
}

#[derive(Clone, Debug)]
pub struct RunSettings {
    /// The pause between a run's steps (pull, push, finish).
    pub step: Duration,
    pub outcome: Outcome,
    /// Runs executed at the same time.
    pub concurrency: usize,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            step: Duration::from_millis(1500),
            outcome: Outcome::Mixed,
            concurrency: 4,
        }
    }
}

/// Starts the worker; `wake` tells it a run was queued; it beats `heartbeat` on every turn.
pub fn spawn(
    db: Db,
    settings: RunSettings,
    wake: Arc<Notify>,
    heartbeat: crate::health::Heartbeat,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let now = clock::now();
        match db
            .call(move |conn| repo::runs::fail_interrupted(conn, &now))
            .await
        {
            Ok(ids) if !ids.is_empty() => {
                tracing::warn!(?ids, "runs interrupted by a restart marked failed")
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "could not check for interrupted runs"),
        }
        let slots = Arc::new(Semaphore::new(settings.concurrency.max(1)));
        loop {
            heartbeat.beat();
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let now = clock::now();
            let claimed = db
                .call(move |conn| {
                    let Some(run) = repo::runs::claim_next(conn, &now)? else {
                        return Ok(None);
                    };
                    let service = repo::services::find_any(conn, run.service_id)?;
                    Ok(service.map(|s| (run, s)))
                })
                .await;
            match claimed {
                Ok(Some((run, service))) => {
                    let db = db.clone();
                    let settings = settings.clone();
                    tokio::spawn(async move {
                        let id = run.id;
                        if let Err(error) = execute(&db, &settings, run, service).await {
                            tracing::error!(%error, run = id, "run failed to record");
                        }
                        drop(permit);
                    });
                }
                Ok(None) => {
                    drop(permit);
                    let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
                }
                Err(error) => {
                    drop(permit);
                    tracing::error!(%error, "could not claim a run");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    })
}

async fn log(
    db: &Db,
    run: u64,
    level: LogLevel,
    message: String,
) -> Result<(), crate::db::DbError> {
    let now = clock::now();
    db.call(move |conn| repo::runs::append_log(conn, run, level, &message, &now))
        .await?;
    Ok(())
}

async fn execute(
    db: &Db,
    settings: &RunSettings,
    run: Run,
    service: Service,
) -> Result<(), crate::db::DbError> {
    let id = run.id;
    let (src, dst) = (&service.source, &service.destination);
    let how = match run.trigger {
        RunTrigger::Manual => "Manual run",
        RunTrigger::Schedule => "Scheduled run",
    };
    log(
        db,
        id,
        LogLevel::Info,
        format!(
            "{how} started: {} {} → {} {}.",
            src.system, src.entity, dst.system, dst.entity
        ),
    )
    .await?;
    if !run.record_ids.is_empty() {
        log(
            db,
            id,
            LogLevel::Info,
            format!(
                "Limited to {} record id(s): {}.",
                run.record_ids.len(),
                run.record_ids.join(", ")
            ),
        )
        .await?;
    }
    tokio::time::sleep(settings.step).await;

    let available = 5 + (id * 37) % 180;
    let mut pulled = if run.record_ids.is_empty() {
        available
    } else {
        run.record_ids.len() as u64
    };
    if let Some(page) = run.page_size {
        pulled = pulled.min(u64::from(page));
    }
    db.call(move |conn| repo::runs::set_counts(conn, id, pulled, 0))
        .await?;
    log(
        db,
        id,
        LogLevel::Info,
        format!("Pulled {pulled} {} from {}.", src.entity, src.system),
    )
    .await?;
    tokio::time::sleep(settings.step).await;

    log(
        db,
        id,
        LogLevel::Info,
        format!(
            "Pushing {pulled} record(s) to {} {}.",
            dst.system, dst.entity
        ),
    )
    .await?;
    tokio::time::sleep(settings.step).await;

    let fails = match settings.outcome {
        Outcome::Ok => false,
        Outcome::Failed => true,
        Outcome::Mixed => id.is_multiple_of(4),
    };
    let (status, pushed) = if fails {
        let pushed = pulled * 2 / 3;
        log(db, id, LogLevel::Error, format!(
            "{} rejected {} record(s): HTTP 422 \"Required field missing: sku\". Pushed {pushed} of {pulled}.",
            dst.system,
            pulled - pushed
        ))
        .await?;
        (RunStatus::Failed, pushed)
    } else {
        log(
            db,
            id,
            LogLevel::Info,
            format!(
                "Pushed {pulled} record(s) to {}. Sync complete.",
                dst.system
            ),
        )
        .await?;
        (RunStatus::Ok, pulled)
    };
    let now = clock::now();
    db.call(move |conn| {
        repo::runs::set_counts(conn, id, pulled, pushed)?;
        repo::runs::finish(conn, id, status, &now)
    })
    .await
}
