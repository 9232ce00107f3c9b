//! The services-list backend: the JSON API over SQLite, the trunk-built SPA with a fallback
//! to `index.html` for client-side routes, and optionally an example host page that embeds it.

pub mod api;
pub mod auth;
pub mod clock;
pub mod db;
pub mod error;
pub mod example_host;
pub mod faults;
pub mod repo;
pub mod scheduler;
pub mod security;
pub mod seed;
pub mod spa;
pub mod systems;
pub mod worker;

use db::{Db, DbError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
pub use worker::{Outcome, RunSettings};

#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The SQLite file; created with its folder if missing.
    pub db_path: PathBuf,
    /// The trunk output folder: its files are served under the public URL its `build.json`
    /// names (`/` without one), and its `index.html` for every other path outside `/api`.
    pub dist_dir: PathBuf,
    /// Seed demo data into an empty database.
    pub seed: bool,
    /// Start active services when their schedule says so.
    pub scheduler: bool,
    /// How the worker executes runs.
    pub runs: RunSettings,
    /// Serve `/api/test/faults` and apply its rules (for resilience tests only).
    pub fault_injection: bool,
    /// Serve `/api/demo/users`: the demo users and their tokens, for the standalone sign-in.
    pub demo_sign_in: bool,
    /// Who may frame the app: the CSP `frame-ancestors` sources. Its full origins are also the
    /// parents allowed to hand the framed app a token (`GET /api/v1/embed-config`).
    pub frame_ancestors: String,
    /// Serve the example host page in this folder at `/dashboard` (demos and e2e tests).
    pub example_host: Option<PathBuf>,
}

impl Config {
    /// A server for tests: a free port, the given database, quick runs that succeed, no scheduler.
    pub fn for_tests(db_path: PathBuf, dist_dir: PathBuf) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db_path,
            dist_dir,
            seed: true,
            scheduler: false,
            runs: RunSettings {
                step: std::time::Duration::from_millis(50),
                outcome: Outcome::Ok,
                concurrency: 4,
            },
            fault_injection: false,
            demo_sign_in: false,
            frame_ancestors: "'self'".into(),
            example_host: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Tells the worker a run was queued.
    pub wake_worker: Arc<Notify>,
    /// Set when fault injection is on.
    pub faults: Option<faults::Faults>,
    pub demo_sign_in: bool,
    /// Content-Security-Policy violations browsers reported.
    pub csp_reports: security::CspReports,
    /// The origins that may frame the app and hand it a token (from `frame-ancestors`).
    pub parent_origins: Arc<[String]>,
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

/// The whole application: `/api`, the example host when configured, and the SPA, whose files are
/// served under `public_url` (see [`spa::public_url`]).
pub fn app(state: AppState, config: &Config, public_url: &str) -> axum::Router {
    let csp = security::content_security_policy(&config.dist_dir, &config.frame_ancestors);
    let headers = Arc::new(security::SecurityHeaders {
        csp: axum::http::HeaderValue::from_str(&csp)
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'self'")),
    });
    let mut router = axum::Router::new()
        .merge(security::routes(&state))
        .merge(api::routes(&state));
    if let Some(dir) = &config.example_host {
        router = router.merge(example_host::routes(
            dir.clone(),
            public_url,
            &config.frame_ancestors,
        ));
    }
    spa::mount(router, &config.dist_dir, public_url)
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            headers,
            security::add_headers,
        ))
}

/// A server running in the background of the current tokio runtime.
pub struct Running {
    pub addr: SocketAddr,
    /// Where the SPA's files are served: `/static/services-list/`, or `/` (see
    /// [`spa::public_url`]).
    pub public_url: String,
    pub seeded: bool,
    pub db: Db,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    background: Vec<tokio::task::JoinHandle<()>>,
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
        for task in &self.background {
            task.abort();
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
        db.call(|conn| seed::seed_if_empty(conn, clock::now_unix()))
            .await
            .map_err(StartError::Db)?
    } else {
        false
    };
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| StartError::Bind(config.addr, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Bind(config.addr, e))?;
    let wake_worker = Arc::new(Notify::new());
    let mut background = vec![worker::spawn(
        db.clone(),
        config.runs.clone(),
        wake_worker.clone(),
    )];
    if config.scheduler {
        background.push(scheduler::spawn(db.clone(), wake_worker.clone()));
    }
    let state = AppState {
        db: db.clone(),
        wake_worker,
        faults: config.fault_injection.then(faults::Faults::default),
        demo_sign_in: config.demo_sign_in,
        csp_reports: security::CspReports::default(),
        parent_origins: api::embed::parent_origins(&config.frame_ancestors).into(),
    };
    let public_url = spa::public_url(&config.dist_dir);
    let app = app(state, &config, &public_url);
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
        public_url,
        seeded,
        db,
        shutdown: Some(tx),
        task,
        background,
    })
}
