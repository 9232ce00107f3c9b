//! The services-list backend: the JSON API over SQLite or PostgreSQL, the trunk-built SPA with
//! a fallback to `index.html` for client-side routes, and optionally an example host page that
//! embeds it.

pub mod api;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod db;
pub mod error;
pub mod events;
pub mod example_host;
#[cfg(feature = "fault-injection")]
pub mod faults;
pub mod generate;
pub mod health;
pub mod jwt;
pub mod jwt_users;
pub mod metrics;
pub mod rate_limit;
pub mod repo;
pub mod requests;
pub mod retention;
pub mod scheduler;
pub mod security;
pub mod seed;
pub mod serve;
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
    /// Serve `/api/test/faults` and apply its rules (for resilience tests only; the
    /// `fault-injection` build feature, which release builds leave out).
    #[cfg(feature = "fault-injection")]
    pub fault_injection: bool,
    /// Who may frame the app: the CSP `frame-ancestors` sources. Its full origins are also the
    /// parents allowed to hand the framed app a token (`GET /api/v1/embed-config`).
    pub frame_ancestors: String,
    /// Serve the example host page in this folder at `/dashboard` (demos and e2e tests).
    pub example_host: Option<PathBuf>,
    /// Accept JWTs from the dashboard's identity provider; off when `None`.
    pub jwt: Option<jwt::JwtSettings>,
    /// Failed sign-ins and writes allowed per minute.
    pub limits: rate_limit::LimitSettings,
    /// Take the client address from the last `X-Forwarded-For` entry (behind a proxy).
    pub trust_forwarded_for: bool,
    /// Header-read deadline and the cap on open connections.
    pub connections: serve::ConnectionLimits,
    /// How long a request may take before it is answered 504.
    pub request_timeout: Duration,
    /// Serve `/metrics` on the main address to requests with this bearer token.
    pub metrics_token: Option<String>,
    /// Serve `/metrics`, `/healthz` and `/readyz` without a token on this second address.
    pub metrics_addr: Option<SocketAddr>,
    /// Groups up to this many services are sent whole by the lean view; larger ones are asked
    /// per query.
    pub lean_limit: u64,
    /// How long a shutdown waits for running runs before putting them back in the queue.
    pub shutdown_grace: Duration,
    /// Finished runs and their logs are purged after this many days (0: never).
    pub retention_days: u32,
    /// Live updates (`GET /api/v1/events`): on or off, heartbeat, limits, replay.
    pub events: events::StreamSettings,
}

impl Config {
    /// A server for tests: a free port, the given SQLite file, demo data, quick runs that
    /// succeed, no scheduler, no rate limits (the tests of the limits set their own).
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
            #[cfg(feature = "fault-injection")]
            fault_injection: false,
            frame_ancestors: "'self'".into(),
            example_host: None,
            lean_limit: services_model::DEFAULT_LEAN_LIMIT,
            shutdown_grace: Duration::ZERO,
            retention_days: 30,
            events: events::StreamSettings::default(),
            jwt: None,
            limits: rate_limit::LimitSettings {
                auth_failures_per_minute: 0,
                writes_per_minute_per_user: 0,
                writes_per_minute_per_client: 0,
            },
            trust_forwarded_for: false,
            connections: serve::ConnectionLimits::default(),
            request_timeout: Duration::from_secs(30),
            metrics_token: None,
            metrics_addr: None,
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
    #[cfg(feature = "fault-injection")]
    pub faults: Option<faults::Faults>,
    pub demo_sign_in: bool,
    /// Content-Security-Policy violations browsers reported (the latest few).
    pub csp_reports: security::CspReports,
    /// The origins that may frame the app and hand it a token (from `frame-ancestors`).
    pub parent_origins: Arc<[String]>,
    pub limits: rate_limit::Limits,
    pub jwt: Option<Arc<jwt::JwtVerifier>>,
    pub jwt_users: jwt_users::JwtUsers,
    pub health: health::Health,
    /// The live-update streams of this instance.
    pub events: events::EventHub,
}

impl AppState {
    /// Whether `/api/test/…` is served (fault-injection builds started with it on).
    pub fn test_routes(&self) -> bool {
        #[cfg(feature = "fault-injection")]
        {
            self.faults.is_some()
        }
        #[cfg(not(feature = "fault-injection"))]
        {
            false
        }
    }
}

#[derive(Debug)]
pub enum StartError {
    Db(Location, DbError),
    Bind(SocketAddr, std::io::Error),
    /// Demo users (with readable tokens) on an address others can reach.
    DemoOnNetwork(SocketAddr),
    /// A setting that can't work, e.g. an unreadable JWKS file.
    Config(String),
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
            StartError::Config(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// The whole application: `/api`, health, metrics (with a token), the example host when
/// configured, and the SPA, whose files are served under `public_url` (see
/// [`spa::public_url`]); wrapped in the request layers of [`requests`].
pub fn app(
    state: AppState,
    config: &Config,
    public_url: &str,
    metrics: Arc<metrics::Metrics>,
) -> axum::Router {
    let csp = security::content_security_policy(&config.dist_dir, &config.frame_ancestors);
    let headers = Arc::new(security::SecurityHeaders {
        csp: axum::http::HeaderValue::from_str(&csp)
            .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'self'")),
    });
    let mut router = axum::Router::new()
        .merge(health::routes())
        .merge(security::routes(&state))
        .merge(api::routes(&state));
    router = match &config.metrics_token {
        Some(token) => router.route(
            "/metrics",
            axum::routing::get(metrics::serve_metrics).with_state(metrics::MetricsAccess {
                metrics: metrics.clone(),
                db: state.db.clone(),
                token: Some(token.as_str().into()),
            }),
        ),
        None => router.route("/metrics", axum::routing::any(metrics::not_here)),
    };
    if let Some(dir) = &config.example_host {
        router = router.merge(example_host::routes(
            dir.clone(),
            public_url,
            &config.frame_ancestors,
        ));
    }
    let router = spa::mount(router, &config.dist_dir, public_url)
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            headers,
            security::add_headers,
        ));
    requests::layers(router, config, metrics)
}

/// The second listener (`--metrics-addr`): metrics without a token, and the health checks.
fn internal_app(state: AppState, metrics: Arc<metrics::Metrics>) -> axum::Router {
    let access = metrics::MetricsAccess {
        metrics,
        db: state.db.clone(),
        token: None,
    };
    axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(metrics::serve_metrics).with_state(access),
        )
        .merge(health::routes().with_state(state))
}

/// A server running in the background of the current tokio runtime.
pub struct Running {
    pub addr: SocketAddr,
    /// Where `--metrics-addr` listens, when set.
    pub metrics_addr: Option<SocketAddr>,
    /// Where the SPA's files are served: `/static/services-list/`, or `/` (see
    /// [`spa::public_url`]).
    pub public_url: String,
    pub seeded: bool,
    pub db: Db,
    /// This instance's name in run leases.
    pub instance: Arc<str>,
    shutdown: Vec<oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<std::io::Result<()>>>,
    worker: worker::Worker,
    background: Vec<tokio::task::JoinHandle<()>>,
    events: events::EventHub,
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
        // Open event streams never finish by themselves: end them, or the HTTP server would
        // wait for them.
        self.events.close();
        for tx in self.shutdown.drain(..) {
            let _ = tx.send(());
        }
        for task in &self.background {
            task.abort();
        }
        self.worker.shutdown(grace).await;
        let mut served = Ok(());
        for task in self.tasks.drain(..) {
            let result = task
                .await
                .map_err(|e| std::io::Error::other(e.to_string()))
                .and_then(|r| r);
            served = served.and(result);
        }
        self.db.close().await;
        served
    }
}

/// How long the worker may go without a turn of its loop and still count as alive (a long run
/// holds every slot).
pub const WORKER_MAX_SILENCE: Duration = Duration::from_secs(300);
/// The scheduler wakes once a minute.
pub const SCHEDULER_MAX_SILENCE: Duration = Duration::from_secs(150);

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
    let jwt = match &config.jwt {
        Some(settings) => Some(Arc::new(
            jwt::JwtVerifier::new(settings.clone()).map_err(StartError::Config)?,
        )),
        None => None,
    };
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
    let internal_listener = match config.metrics_addr {
        Some(at) => Some(
            TcpListener::bind(at)
                .await
                .map_err(|e| StartError::Bind(at, e))?,
        ),
        None => None,
    };
    let wake_worker = Arc::new(Notify::new());
    let instance = instance_name();
    let worker_beat = health::Heartbeat::new("worker", WORKER_MAX_SILENCE);
    let mut loops = vec![worker_beat.clone()];
    let worker = worker::spawn(
        db.clone(),
        config.runs.clone(),
        wake_worker.clone(),
        instance.clone(),
        worker_beat,
    );
    let mut background = Vec::new();
    if config.scheduler {
        let beat = health::Heartbeat::new("scheduler", SCHEDULER_MAX_SILENCE);
        loops.push(beat.clone());
        background.push(beat.watch(scheduler::spawn(
            db.clone(),
            wake_worker.clone(),
            beat.clone(),
        )));
    }
    let limits = rate_limit::Limits::new(config.limits);
    background.push(limits.spawn_cleanup());
    if let Some(verifier) = &jwt {
        background.push(verifier.spawn_reload(Duration::from_secs(30)));
    }
    background.extend(retention::spawn(
        db.clone(),
        config.retention_days,
        config.events.retention,
    ));
    let events = events::EventHub::new(config.events);
    background.extend(events.spawn(db.clone()));
    background.extend(wake::spawn_listener(&db, wake_worker.clone()));
    let state = AppState {
        db: db.clone(),
        counts: repo::list::CountsCache::default(),
        lean: api::lean::LeanCache::default(),
        lean_limit: config.lean_limit,
        wake_worker,
        #[cfg(feature = "fault-injection")]
        faults: config.fault_injection.then(faults::Faults::default),
        demo_sign_in: config.demo,
        csp_reports: security::CspReports::default(),
        parent_origins: api::embed::parent_origins(&config.frame_ancestors).into(),
        limits,
        jwt,
        jwt_users: jwt_users::JwtUsers::default(),
        health: health::Health {
            loops: loops.into(),
        },
        events: events.clone(),
    };
    let public_url = spa::public_url(&config.dist_dir);
    let metrics = metrics::Metrics::new(api::route_templates(), &public_url);
    metrics.register(Box::new(events.gauge()));
    metrics.register(Box::new(events.replayed()));
    let mut shutdown = Vec::new();
    let mut tasks = Vec::new();
    let mut metrics_addr = None;
    if let Some(listener) = internal_listener {
        metrics_addr = listener.local_addr().ok();
        let internal = internal_app(state.clone(), metrics.clone());
        let (tx, rx) = oneshot::channel::<()>();
        shutdown.push(tx);
        tasks.push(tokio::spawn(serve::serve(
            listener,
            internal,
            config.connections,
            async {
                let _ = rx.await;
            },
        )));
    }
    let app = app(state, &config, &public_url, metrics);
    let (tx, rx) = oneshot::channel::<()>();
    shutdown.push(tx);
    tasks.push(tokio::spawn(serve::serve(
        listener,
        app,
        config.connections,
        async {
            let _ = rx.await;
        },
    )));
    Ok(Running {
        addr,
        metrics_addr,
        public_url,
        seeded,
        db,
        instance,
        shutdown,
        tasks,
        worker,
        background,
        events,
        grace: config.shutdown_grace,
    })
}
