use clap::Parser;
use services_server::db::Location;
use services_server::jwt::{ClaimNames, JwtSettings};
use services_server::rate_limit::LimitSettings;
use services_server::serve::ConnectionLimits;
use services_server::{cli, repo, start, Config, Outcome, RunSettings};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

// Requests allocate many small strings (rows, JSON); mimalloc serves them faster than glibc's
// malloc under several threads.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The Patchworks services-list server: JSON API on SQLite or PostgreSQL, and the built SPA.
/// Without a command it serves; the commands set up a deployment.
#[derive(Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Args {
    #[command(subcommand)]
    command: Option<cli::Command>,
    /// Address to listen on.
    #[arg(long, env = "SERVICES_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    db: cli::DbArg,
    /// The trunk-built SPA: its files are served under the public URL in its `build.json`
    /// (`/` without one), its index.html for every other path outside /api.
    #[arg(long, env = "SERVICES_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Demo mode: seed demo data into an empty database (random tokens, printed here) and let
    /// the standalone app list the demo users to sign in as (demos only).
    #[arg(long, env = "SERVICES_DEMO")]
    demo: bool,
    /// Start on a non-loopback address although the database holds demo users.
    #[arg(long, env = "SERVICES_ALLOW_DEMO_ON_NETWORK")]
    allow_demo_on_network: bool,
    /// Don't start services on their schedules.
    #[arg(long, env = "SERVICES_NO_SCHEDULER")]
    no_scheduler: bool,
    /// Pause between the steps of a run, in milliseconds.
    #[arg(long, env = "SERVICES_RUN_STEP_MS", default_value_t = 1500)]
    run_step_ms: u64,
    /// How runs end.
    #[arg(long, env = "SERVICES_RUN_OUTCOME", value_enum, default_value_t = Outcome::Mixed)]
    run_outcome: Outcome,
    /// Runs this instance executes at the same time.
    #[arg(long, env = "SERVICES_RUN_CONCURRENCY", default_value_t = 4)]
    run_concurrency: usize,
    /// Seconds a claimed run stays this instance's without renewal; then another instance
    /// recovers it.
    #[arg(long, env = "SERVICES_RUN_LEASE_SECS", default_value_t = 30)]
    run_lease_secs: u64,
    /// Seconds a shutdown (SIGTERM, SIGINT) waits for running runs before putting them back in
    /// the queue.
    #[arg(long, env = "SERVICES_SHUTDOWN_GRACE_SECS", default_value_t = 20)]
    shutdown_grace_secs: u64,
    /// Days finished runs and their logs are kept (0: forever).
    #[arg(long, env = "SERVICES_RETENTION_DAYS", default_value_t = 30)]
    retention_days: u32,
    /// Don't serve live updates (`GET /api/v1/events` answers 503; the app polls instead).
    #[arg(long, env = "SERVICES_NO_EVENT_STREAM")]
    no_event_stream: bool,
    /// Seconds between the comment lines that keep an idle event stream open through proxies.
    #[arg(long, env = "SERVICES_EVENT_HEARTBEAT_SECS", default_value_t = 15,
        value_parser = clap::value_parser!(u64).range(1..=3600))]
    event_heartbeat_secs: u64,
    /// Event streams one user may have open (one per tab).
    #[arg(long, env = "SERVICES_MAX_STREAMS_PER_USER", default_value_t = 6)]
    max_streams_per_user: usize,
    /// Event streams one company may have open on this instance.
    #[arg(long, env = "SERVICES_MAX_STREAMS_PER_COMPANY", default_value_t = 200)]
    max_streams_per_company: usize,
    /// Hours live-update events are kept for clients that reconnect (older: they reload).
    #[arg(long, env = "SERVICES_EVENT_RETENTION_HOURS", default_value_t = 24,
        value_parser = clap::value_parser!(u64).range(1..=720))]
    event_retention_hours: u64,
    /// Groups up to this many services are sent whole to the SPA; larger ones per query.
    #[arg(long, env = "SERVICES_LEAN_LIMIT", default_value_t = services_model::DEFAULT_LEAN_LIMIT)]
    lean_limit: u64,
    /// Serve /api/test/faults to inject failures (test builds only: the `fault-injection`
    /// feature, which release builds leave out).
    #[cfg(feature = "fault-injection")]
    #[arg(long, env = "SERVICES_FAULT_INJECTION")]
    fault_injection: bool,
    /// Who may frame the app (CSP `frame-ancestors` sources), e.g. "'self' https://dashboard.example".
    #[arg(long, env = "SERVICES_FRAME_ANCESTORS", default_value = "'self'")]
    frame_ancestors: String,
    /// Serve the example host page in this folder at /dashboard (demos only), e.g.
    /// examples/dashboard.
    #[arg(long, env = "SERVICES_EXAMPLE_HOST")]
    example_host: Option<PathBuf>,
    /// Accept JWTs signed by the dashboard's identity provider, with the public keys in this
    /// JSON Web Key Set file (RS256 and ES256 keys; re-read when it changes).
    #[arg(long, env = "SERVICES_JWKS_FILE", requires_all = ["jwt_issuer", "jwt_audience"])]
    jwks_file: Option<PathBuf>,
    /// The `iss` JWTs must carry.
    #[arg(long, env = "SERVICES_JWT_ISSUER")]
    jwt_issuer: Option<String>,
    /// A value JWTs' `aud` must contain.
    #[arg(long, env = "SERVICES_JWT_AUDIENCE")]
    jwt_audience: Option<String>,
    /// Clock skew allowed on `exp` and `nbf`, in seconds (at most 300).
    #[arg(long, env = "SERVICES_JWT_LEEWAY_SECS", default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(0..=300))]
    jwt_leeway_secs: u64,
    /// The claim holding the user's id at the identity provider.
    #[arg(long, env = "SERVICES_JWT_CLAIM_SUBJECT", default_value = "sub")]
    jwt_claim_subject: String,
    /// The claim holding the company id (a number or a string of digits).
    #[arg(long, env = "SERVICES_JWT_CLAIM_COMPANY", default_value = "company_id")]
    jwt_claim_company: String,
    /// The claim holding the role: admin, manager, user or read_only.
    #[arg(long, env = "SERVICES_JWT_CLAIM_ROLE", default_value = "role")]
    jwt_claim_role: String,
    /// The claim holding the user's display name (optional in tokens).
    #[arg(long, env = "SERVICES_JWT_CLAIM_NAME", default_value = "name")]
    jwt_claim_name: String,
    /// The claim holding the user's email (optional in tokens).
    #[arg(long, env = "SERVICES_JWT_CLAIM_EMAIL", default_value = "email")]
    jwt_claim_email: String,
    /// Requests with a bad token allowed per client address per minute before 429s (0: no limit).
    #[arg(long, env = "SERVICES_AUTH_FAILURES_PER_MINUTE", default_value_t = 30)]
    auth_failures_per_minute: u32,
    /// Changes (POST, PATCH, PUT, DELETE) allowed per user per minute (0: no limit).
    #[arg(
        long,
        env = "SERVICES_WRITES_PER_MINUTE_PER_USER",
        default_value_t = 120
    )]
    writes_per_minute_per_user: u32,
    /// Changes and CSP reports allowed per client address per minute (0: no limit).
    #[arg(
        long,
        env = "SERVICES_WRITES_PER_MINUTE_PER_CLIENT",
        default_value_t = 600
    )]
    writes_per_minute_per_client: u32,
    /// Behind a reverse proxy: take the client address from the last X-Forwarded-For entry.
    #[arg(long, env = "SERVICES_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// Seconds a client has to send a request's headers before the connection is closed.
    #[arg(long, env = "SERVICES_HEADER_READ_TIMEOUT_SECS", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout_secs: u64,
    /// Seconds a request may take before it is answered 504.
    #[arg(long, env = "SERVICES_REQUEST_TIMEOUT_SECS", default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout_secs: u64,
    /// Connections open at once; more wait.
    #[arg(long, env = "SERVICES_MAX_CONNECTIONS", default_value_t = 1024,
        value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: u64,
    /// Serve GET /metrics on the main address to requests with `Authorization: Bearer <this>`.
    #[arg(long, env = "SERVICES_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Serve /metrics (no token), /healthz and /readyz on this second address, e.g.
    /// 127.0.0.1:9090; keep it private to your network.
    #[arg(long, env = "SERVICES_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// How the log is written: `text` for people, `json` (one object a line) for collectors.
    #[arg(long, env = "SERVICES_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    // Logs go to stderr: stdout is what commands print (a token, a URL).
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    match args.log_format {
        LogFormat::Text => tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(filter)
            .init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stderr)
            .with_env_filter(filter)
            .init(),
    }
    if let Some(command) = &args.command {
        return match cli::run(command).await {
            Ok(output) => {
                println!("{output}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("services-server: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let mut signals = ShutdownSignals::listen();
    let location = Location::parse(&args.db.db);
    let jwt = args.jwks_file.clone().map(|jwks_file| JwtSettings {
        jwks_file,
        issuer: args.jwt_issuer.clone().unwrap_or_default(),
        audience: args.jwt_audience.clone().unwrap_or_default(),
        leeway_secs: args.jwt_leeway_secs,
        claims: ClaimNames {
            subject: args.jwt_claim_subject.clone(),
            company: args.jwt_claim_company.clone(),
            role: args.jwt_claim_role.clone(),
            name: args.jwt_claim_name.clone(),
            email: args.jwt_claim_email.clone(),
        },
    });
    let config = Config {
        addr: args.addr,
        db: location.clone(),
        dist_dir: args.dist,
        demo: args.demo,
        allow_demo_on_network: args.allow_demo_on_network,
        scheduler: !args.no_scheduler,
        runs: RunSettings {
            step: Duration::from_millis(args.run_step_ms),
            outcome: args.run_outcome,
            concurrency: args.run_concurrency,
            lease: Duration::from_secs(args.run_lease_secs.max(1)),
            ..RunSettings::default()
        },
        #[cfg(feature = "fault-injection")]
        fault_injection: args.fault_injection,
        frame_ancestors: args.frame_ancestors,
        example_host: args.example_host.clone(),
        lean_limit: args.lean_limit,
        shutdown_grace: Duration::from_secs(args.shutdown_grace_secs),
        retention_days: args.retention_days,
        events: services_server::events::StreamSettings {
            enabled: !args.no_event_stream,
            heartbeat: Duration::from_secs(args.event_heartbeat_secs),
            max_per_user: args.max_streams_per_user,
            max_per_company: args.max_streams_per_company,
            retention: Duration::from_secs(args.event_retention_hours * 3600),
            ..Default::default()
        },
        jwt,
        limits: LimitSettings {
            auth_failures_per_minute: args.auth_failures_per_minute,
            writes_per_minute_per_user: args.writes_per_minute_per_user,
            writes_per_minute_per_client: args.writes_per_minute_per_client,
        },
        trust_forwarded_for: args.trust_forwarded_for,
        connections: ConnectionLimits {
            header_read_timeout: Duration::from_secs(args.header_read_timeout_secs),
            max_connections: args.max_connections as usize,
        },
        request_timeout: Duration::from_secs(args.request_timeout_secs),
        metrics_token: args.metrics_token.filter(|t| !t.is_empty()),
        metrics_addr: args.metrics_addr,
    };
    let server = match start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("services-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if server.seeded {
        println!("Seeded {location} with demo data.");
    }
    if args.demo {
        match repo::users::demo_users(&server.db).await {
            Ok(users) if !users.is_empty() => {
                println!("Demo users (random tokens of this database; send one as `Authorization: Bearer <token>`):");
                for (user, token) in users {
                    println!(
                        "  {:<20} {:<10} {:<32} {token}",
                        user.company.name,
                        user.role.as_str(),
                        user.email
                    );
                }
            }
            Ok(_) => {}
            Err(e) => eprintln!("services-server: could not list demo users: {e}"),
        }
    }
    #[cfg(feature = "fault-injection")]
    if args.fault_injection {
        println!("Fault injection is ON: /api/test/faults changes how the API answers.");
    }
    if let Some(addr) = server.metrics_addr {
        println!("Metrics, health and readiness: http://{addr}/metrics");
    }
    println!("Patchworks services list: {}/", server.url());
    println!("  data: {location}");
    if server.public_url != "/" {
        println!("  its files are served under {}", server.public_url);
    }
    if args.example_host.is_some() {
        println!(
            "Example host page (the list embedded): {}/dashboard/services",
            server.url()
        );
        println!(
            "  and in an iframe: http://localhost:{}/dashboard/iframe",
            server.addr.port()
        );
    }
    println!("Press Ctrl+C to stop.");
    let signal = signals.recv().await;
    println!(
        "{signal}: stopping; running runs get up to {}s to finish.",
        args.shutdown_grace_secs
    );
    match server.stop().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("services-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// SIGTERM (what systemd, Docker and Kubernetes send) and SIGINT (Ctrl+C), listened to from
/// before the server starts, so a signal that comes early still stops it gracefully.
struct ShutdownSignals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl ShutdownSignals {
    fn listen() -> ShutdownSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            ShutdownSignals {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        ShutdownSignals {}
    }

    /// Waits for one; its name.
    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        if let (Some(term), Some(int)) = (self.term.as_mut(), self.int.as_mut()) {
            return tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
        }
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl+C"
    }
}
