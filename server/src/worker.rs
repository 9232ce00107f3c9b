//! Executes queued runs: queued → running → ok or failed, writing counts and log lines as it
//! goes. Step length and outcomes are configurable so tests are quick and deterministic.
//!
//! Claims are leases: a run is claimed by this instance until `lease` from now and renewed while
//! it executes; every write checks the lease is still ours. A run whose instance died, or whose
//! final write failed, keeps its lease only until it expires; then any instance's worker puts it
//! back in the queue (or fails it after `max_attempts`). On shutdown the worker stops claiming,
//! lets running runs finish within the grace period and puts the rest back in the queue.

use crate::db::{Db, DbError};
use crate::repo::queue::{self, Recovered};
use crate::repo::runs;
use crate::{clock, repo};
use services_model::{LogLevel, Run, RunStatus, RunTrigger, Service};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify, Semaphore};
use tokio::task::JoinSet;

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
    /// Runs executed at the same time by this instance.
    pub concurrency: usize,
    /// How long a claim holds without renewal.
    pub lease: Duration,
    /// Executions a run may start before recovery fails it instead of queueing it again.
    pub max_attempts: u64,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            step: Duration::from_millis(1500),
            outcome: Outcome::Mixed,
            concurrency: 4,
            lease: Duration::from_secs(30),
            max_attempts: 3,
        }
    }
}

/// The running worker.
pub struct Worker {
    /// `Some(grace)` once shutting down.
    stop: watch::Sender<Option<Duration>>,
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Stops claiming runs, waits up to `grace` for those running, and puts the rest back in
    /// the queue.
    pub async fn shutdown(self, grace: Duration) {
        let _ = self.stop.send(Some(grace));
        let _ = self.task.await;
    }
}

/// Runs this worker is executing, by id.
type InFlight = Arc<Mutex<HashSet<u64>>>;

/// Starts the worker of instance `owner`; `wake` tells it a run was queued; it beats
/// `heartbeat` on every turn of its loop (`/readyz`).
pub fn spawn(
    db: Db,
    settings: RunSettings,
    wake: Arc<Notify>,
    owner: Arc<str>,
    heartbeat: crate::health::Heartbeat,
) -> Worker {
    let (stop, mut stopping) = watch::channel(None::<Duration>);
    let task = heartbeat.clone().watch(tokio::spawn(async move {
        let slots = Arc::new(Semaphore::new(settings.concurrency.max(1)));
        let in_flight: InFlight = Arc::default();
        let mut running = JoinSet::new();
        let mut recovery = tokio::time::interval((settings.lease / 2).max(Duration::from_secs(1)));
        loop {
            heartbeat.beat();
            while running.try_join_next().is_some() {}
            tokio::select! {
                _ = stopping.changed() => break,
                _ = recovery.tick() => recover(&db, &settings).await,
                permit = slots.clone().acquire_owned() => {
                    let Ok(permit) = permit else { break };
                    match claim(&db, &settings, &owner).await {
                        Ok(Some((run, service))) => {
                            let (db, settings, owner) = (db.clone(), settings.clone(), owner.clone());
                            let in_flight = in_flight.clone();
                            running.spawn(async move {
                                execute_leased(&db, &settings, &owner, run, service, &in_flight).await;
                                drop(permit);
                            });
                        }
                        Ok(None) => {
                            drop(permit);
                            tokio::select! {
                                _ = wake.notified() => {}
                                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                                _ = stopping.changed() => break,
                            }
                        }
                        Err(error) => {
                            drop(permit);
                            tracing::error!(%error, "could not claim a run");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                }
            }
        }
        let grace = stopping.borrow().unwrap_or_default();
        let finished = tokio::time::timeout(grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if finished.is_err() {
            running.abort_all();
            while running.join_next().await.is_some() {}
        }
        let left: Vec<u64> = in_flight
            .lock()
            .map(|set| set.iter().copied().collect())
            .unwrap_or_default();
        for id in left {
            let message =
                "The server stopped before this run finished; it was put back in the queue.";
            match queue::release(&db, id, &owner, message, &clock::now()).await {
                Ok(true) => tracing::info!(run = id, "run put back in the queue at shutdown"),
                Ok(false) => {}
                Err(error) => {
                    tracing::error!(%error, run = id, "could not put a run back in the queue; it is recovered when its lease expires")
                }
            }
        }
    }));
    Worker { stop, task }
}

async fn recover(db: &Db, settings: &RunSettings) {
    match queue::recover_expired(
        db,
        clock::now_millis(),
        settings.max_attempts,
        &clock::now(),
    )
    .await
    {
        Ok(recovered) => {
            for r in recovered {
                match r {
                    Recovered::Requeued(id) => {
                        tracing::warn!(run = id, "run with an expired lease put back in the queue")
                    }
                    Recovered::Failed(id) => {
                        tracing::warn!(
                            run = id,
                            "run with an expired lease failed after its last attempt"
                        )
                    }
                }
            }
        }
        Err(error) => tracing::error!(%error, "could not recover runs with expired leases"),
    }
}

async fn claim(
    db: &Db,
    settings: &RunSettings,
    owner: &str,
) -> Result<Option<(Run, Service)>, DbError> {
    let until = clock::now_millis() + settings.lease.as_millis() as i64;
    let Some((run, _attempt)) = queue::claim_next(db, owner, until, &clock::now()).await? else {
        return Ok(None);
    };
    match repo::services::find_any(db, run.service_id).await? {
        Some(service) => Ok(Some((run, service))),
        // Removed in between: its runs went with it.
        None => Ok(None),
    }
}

/// Why an execution stopped early.
#[derive(Debug)]
enum Stopped {
    /// Another instance holds the run now (our lease expired).
    LeaseLost,
    Db(DbError),
}

impl From<DbError> for Stopped {
    fn from(e: DbError) -> Self {
        Stopped::Db(e)
    }
}

/// Executes a run while renewing its lease every third of it.
async fn execute_leased(
    db: &Db,
    settings: &RunSettings,
    owner: &str,
    run: Run,
    service: Service,
    in_flight: &InFlight,
) {
    let id = run.id;
    if let Ok(mut set) = in_flight.lock() {
        set.insert(id);
    }
    let renewals = async {
        let every = (settings.lease / 3).max(Duration::from_millis(100));
        loop {
            tokio::time::sleep(every).await;
            let until = clock::now_millis() + settings.lease.as_millis() as i64;
            match queue::renew(db, id, owner, until).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(error) => tracing::warn!(%error, run = id, "could not renew a run's lease"),
            }
        }
    };
    let outcome = tokio::select! {
        result = execute(db, settings, owner, run, service) => result,
        () = renewals => Err(Stopped::LeaseLost),
    };
    match outcome {
        Ok(()) => {}
        Err(Stopped::LeaseLost) => {
            tracing::warn!(
                run = id,
                "another instance took over this run; stopped executing it"
            )
        }
        Err(Stopped::Db(error)) => tracing::error!(
            %error,
            run = id,
            "a run could not be recorded; it is recovered when its lease expires"
        ),
    }
    if let Ok(mut set) = in_flight.lock() {
        set.remove(&id);
    }
}

async fn log(db: &Db, run: u64, level: LogLevel, message: String) -> Result<(), DbError> {
    runs::append_log(db, run, level, &message, &clock::now()).await?;
    Ok(())
}

async fn execute(
    db: &Db,
    settings: &RunSettings,
    owner: &str,
    run: Run,
    service: Service,
) -> Result<(), Stopped> {
    let id = run.id;
    let (src, dst) = (&service.source, &service.destination);
    let how = match run.trigger {
        RunTrigger::Manual => "Manual run",
        RunTrigger::Schedule => "Scheduled run",
    };
    tracing::info!(
        run = id,
        service = service.id,
        instance = owner,
        "run started"
    );
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
    if !queue::set_counts(db, id, owner, pulled, 0).await? {
        return Err(Stopped::LeaseLost);
    }
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
    // The final write is retried briefly; if it still fails, the lease runs out and the run is
    // recovered instead of staying "running" forever.
    let mut attempt = 0;
    loop {
        match queue::finish(db, id, owner, status, pulled, pushed, &clock::now()).await {
            Ok(true) => {
                tracing::info!(run = id, status = status.as_str(), "run finished");
                return Ok(());
            }
            Ok(false) => return Err(Stopped::LeaseLost),
            Err(error) if attempt < 3 => {
                attempt += 1;
                tracing::warn!(%error, run = id, attempt, "could not record a finished run; retrying");
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
            Err(error) => return Err(Stopped::Db(error)),
        }
    }
}
