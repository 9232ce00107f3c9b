use clap::Parser;
use services_server::db::Location;
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
    /// Groups up to this many services are sent whole to the SPA; larger ones per query.
    #[arg(long, env = "SERVICES_LEAN_LIMIT", default_value_t = services_model::DEFAULT_LEAN_LIMIT)]
    lean_limit: u64,
    /// Serve /api/test/faults to inject failures (tests only; never in production).
    #[arg(long, env = "SERVICES_FAULT_INJECTION")]
    fault_injection: bool,
    /// Who may frame the app (CSP `frame-ancestors` sources), e.g. "'self' https://dashboard.example".
    #[arg(long, env = "SERVICES_FRAME_ANCESTORS", default_value = "'self'")]
    frame_ancestors: String,
    /// Serve the example host page in this folder at /dashboard (demos only), e.g.
    /// examples/dashboard.
    #[arg(long, env = "SERVICES_EXAMPLE_HOST")]
    example_host: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Logs go to stderr: stdout is what commands print (a token, a URL).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
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
        fault_injection: args.fault_injection,
        frame_ancestors: args.frame_ancestors,
        example_host: args.example_host.clone(),
        lean_limit: args.lean_limit,
        shutdown_grace: Duration::from_secs(args.shutdown_grace_secs),
        retention_days: args.retention_days,
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
    if args.fault_injection {
        println!("Fault injection is ON: /api/test/faults changes how the API answers.");
    }
    println!(
        "Patchworks services list: {}/ (data: {location})",
        server.url()
    );
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
