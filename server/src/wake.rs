//! Waking workers: in the process through a `Notify`, and across instances on PostgreSQL
//! through `LISTEN services_runs_queued` (a trigger on `runs` sends the NOTIFY), so a run
//! queued on one instance starts at once on whichever instance is idle.

use crate::db::Db;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub const CHANNEL: &str = "services_runs_queued";

/// Forwards PostgreSQL notifications to `wake`, reconnecting after errors; nothing on SQLite.
pub fn spawn_listener(db: &Db, wake: Arc<Notify>) -> Option<tokio::task::JoinHandle<()>> {
    let Db::Postgres(store) = db else {
        return None;
    };
    let pool = store.pool.clone();
    Some(tokio::spawn(async move {
        loop {
            let listening = async {
                let mut listener = sqlx::postgres::PgListener::connect_with(&pool).await?;
                listener.listen(CHANNEL).await?;
                loop {
                    listener.recv().await?;
                    wake.notify_one();
                }
                #[allow(unreachable_code)]
                Ok::<(), sqlx::Error>(())
            };
            if let Err(error) = listening.await {
                tracing::warn!(%error, "lost the run notifications; listening again in a second");
            }
            // Anything queued meanwhile is found by the worker's regular look.
            wake.notify_one();
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }))
}
