//! The services-list backend: the JSON API over SQLite, and the trunk-built SPA with a fallback
//! to `index.html` for client-side routes.

pub mod api;
pub mod db;
pub mod error;
pub mod repo;
pub mod seed;
mod spa;

use db::{Db, DbError};
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The SQLite file; created with its folder if missing.
    pub db_path: PathBuf,
    /// The trunk output folder served at `/`.
    pub dist_dir: PathBuf,
    /// Seed demo data into an empty database.
    pub seed: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
}

#[derive(Debug)]
pub enum StartError {
    Db(DbError),
    Bind(SocketAddr, std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Db(e) => write!(f, "{e}"),
            StartError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// The whole application: `/api` and the SPA.
pub fn app(state: AppState, dist_dir: PathBuf) -> axum::Router {
    axum::Router::new()
        .nest("/api", api::routes())
        .fallback_service(spa::service(dist_dir))
        .with_state(state)
}

/// A server running in the background of the current tokio runtime.
pub struct Running {
    pub addr: SocketAddr,
    pub seeded: bool,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?
    }
}

/// Opens the database (migrating and seeding it) and starts serving.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let db = Db::open(&config.db_path).map_err(StartError::Db)?;
    let seeded = if config.seed {
        db.call(seed::seed_if_empty).await.map_err(StartError::Db)?
    } else {
        false
    };
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| StartError::Bind(config.addr, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Bind(config.addr, e))?;
    let app = app(AppState { db }, config.dist_dir);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    Ok(Running {
        addr,
        seeded,
        shutdown: Some(tx),
        task,
    })
}
