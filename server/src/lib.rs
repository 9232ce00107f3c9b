//! The services-list backend: the JSON API over SQLite or PostgreSQL, the trunk-built SPA with
//! a fallback to `index.html` for client-side routes, and optionally an example host page that
//! embeds it.

pub mod api;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod db;
pub mod error;
pub mod example_host;
pub mod faults;
pub mod generate;
pub mod repo;
pub mod retention;
pub mod scheduler;
pub mod security;
pub mod seed;
pub mod spa;
pub mod systems;
pub mod tokens;
pub mod wake;
pub mod worker;

use db::{Db, DbError, Location};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
pub use worker::{Outcome, RunSettings};

#[derive(Clone, Debug)]
pub struct Config {
    /// Where to listen; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The store: a SQLite file (created with its folder if missing) or a PostgreSQL URL.
    pub db: Location,
    /// The trunk output folder: its files are served under the public URL its `build.json`
    /// names (`/` without one), and its `index.html` for every other path outside `/api`.
    pub dist_dir: PathBuf,
    /// Demo mode: seed demo data into an empty database, and serve `/api/demo/users` (the demo
    /// users and their tokens, for the standalone sign-in).
    pub demo: bool,
    /// Start even on a non-loopback address while the database holds demo users.
    pub allow_demo_on_network: bool,
    /// Start active services when their schedule says so.
    pub scheduler: bool,
    /// How the worker executes runs.
    pub runs: RunSettings,
    /// Serve `/api/test/faults` and apply its rules (for resilience tests only).
    pub fault_injection: bool,
    /// Who may frame the app: the CSP `frame-ancestors` sources. Its full origins are also the
    /// parents allowed to hand the framed app a token (`GET /api/v1/embed-config`).
    pub frame_ancestors: String,
    /// Serve the example host page in this folder at `/dashboard` (demos and e2e tests).
    pub example_host: Option<PathBuf>,
    /// Groups up to this many services are sent whole by the lean view; larger ones are asked
    /// per query.
    pub lean_limit: u64,
    /// How long a shutdown waits for running runs before putting them back in the queue.
    pub shutdown_grace: Duration,
    /// Finished runs and their logs are purged after this many days (0: never).
    pub retention_days: u32,
}

impl Config {
    /// A server for tests: a free port, the given SQLite file, demo data, quick runs that
    /// succeed, no scheduler.
    pub fn for_tests(db_path: PathBuf, dist_dir: PathBuf) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db: Location::Sqlite(db_path),
            dist_dir,
            demo: true,
            allow_demo_on_network: false,
            scheduler: false,
            runs: RunSettings {
                step: Duration::from_millis(50),
                outcome: Outcome::Ok,
                concurrency: 4,
                lease: Duration::from_secs(10),
                max_attempts: 3,
            },
            fault_injection: false,
            frame_ancestors: "'self'".into(),
            example_host: None,
            lean_limit: services_model::DEFAULT_LEAN_LIMIT,
            shutdown_grace: Duration::ZERO,
            retention_days: 30,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Facet counts per group, version and search.
    pub counts: repo::list::CountsCache,
    /// The lean views, compressed, per group and version.
    pub lean: api::lean::LeanCache,
    pub lean_limit: u64,
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
    Db(Location, DbError),
    Bind(SocketAddr, std::io::Error),
    /// Demo users (with readable tokens) on an address others can reach.
    DemoOnNetwork(SocketAddr),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Db(location, e) => write!(f, "{location}: {e}"),
            StartError::Bind(addr, e) => write!(f, "cannot listen on {addr}: {e}"),
            StartError::DemoOnNetwork(addr) => write!(
                f,
                "refusing to listen on {addr}: the database holds demo users, whose tokens the \
                 demo sign-in hands to anyone. Listen on a loopback address (127.0.0.1), use a \
                 database without demo data, or pass --allow-demo-on-network"
            ),
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
    /// This instance's name in run leases.
    pub instance: Arc<str>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    worker: worker::Worker,
    background: Vec<tokio::task::JoinHandle<()>>,
    grace: Duration,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops with the configured grace period (see [`Running::shutdown`]).
    pub async fn stop(self) -> std::io::Result<()> {
        let grace = self.grace;
        self.shutdown(grace).await
    }

    /// Graceful shutdown: stops accepting connections and taking runs (the scheduler and the
    /// retention job stop too), lets in-flight requests finish, gives running runs `grace` to
    /// finish and puts the rest back in the queue, then closes the store.
    pub async fn shutdown(mut self, grace: Duration) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for task in &self.background {
            task.abort();
        }
        self.worker.shutdown(grace).await;
        let served = self
            .task
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        self.db.close().await;
        served
    }
}

/// A name for this instance in run leases: the host and a random suffix.
fn instance_name() -> Arc<str> {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "services".into());
    format!("{host}-{}", tokens::random_hex(4)).into()
}

/// Opens the store (migrating it, and seeding demo data in demo mode) and starts serving.
pub async fn start(config: Config) -> Result<Running, StartError> {
    let on_network = !config.addr.ip().is_loopback() && !config.allow_demo_on_network;
    if config.demo && on_network {
        return Err(StartError::DemoOnNetwork(config.addr));
    }
    let db_error = |e| StartError::Db(config.db.clone(), e);
    let db = Db::open(&config.db).await.map_err(db_error)?;
    let seeded = if config.demo {
        seed::seed_if_empty(&db, clock::now_unix())
            .await
            .map_err(db_error)?
    } else {
        false
    };
    if on_network && repo::users::has_demo_users(&db).await.map_err(db_error)? {
        db.close().await;
        return Err(StartError::DemoOnNetwork(config.addr));
    }
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| StartError::Bind(config.addr, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartError::Bind(config.addr, e))?;
    let wake_worker = Arc::new(Notify::new());
    let instance = instance_name();
    let worker = worker::spawn(
        db.clone(),
        config.runs.clone(),
        wake_worker.clone(),
        instance.clone(),
    );
    let mut background = Vec::new();
    if config.scheduler {
        background.push(scheduler::spawn(db.clone(), wake_worker.clone()));
    }
    background.extend(retention::spawn(db.clone(), config.retention_days));
    background.extend(wake::spawn_listener(&db, wake_worker.clone()));
    let state = AppState {
        db: db.clone(),
        counts: repo::list::CountsCache::default(),
        lean: api::lean::LeanCache::default(),
        lean_limit: config.lean_limit,
        wake_worker,
        faults: config.fault_injection.then(faults::Faults::default),
        demo_sign_in: config.demo,
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
        instance,
        shutdown: Some(tx),
        task,
        worker,
        background,
        grace: config.shutdown_grace,
    })
}
