use clap::Parser;
use services_server::{seed, start, Config, Outcome, RunSettings};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The Patchworks services-list server: JSON API on SQLite, and the built SPA.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SERVICES_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// SQLite database file; created and seeded with demo data if missing.
    #[arg(long, env = "SERVICES_DB", default_value = "data/services.sqlite3")]
    db: PathBuf,
    /// The trunk-built SPA: its files are served under the public URL in its `build.json`
    /// (`/` without one), its index.html for every other path outside /api.
    #[arg(long, env = "SERVICES_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Don't seed demo data into an empty database.
    #[arg(long)]
    no_seed: bool,
    /// Don't start services on their schedules.
    #[arg(long, env = "SERVICES_NO_SCHEDULER")]
    no_scheduler: bool,
    /// Pause between the steps of a run, in milliseconds.
    #[arg(long, env = "SERVICES_RUN_STEP_MS", default_value_t = 1500)]
    run_step_ms: u64,
    /// How runs end.
    #[arg(long, env = "SERVICES_RUN_OUTCOME", value_enum, default_value_t = Outcome::Mixed)]
    run_outcome: Outcome,
    /// Serve /api/test/faults to inject failures (tests only; never in production).
    #[arg(long, env = "SERVICES_FAULT_INJECTION")]
    fault_injection: bool,
    /// Let the standalone app list the demo users and sign in as any of them (demos only).
    #[arg(long, env = "SERVICES_DEMO_SIGN_IN")]
    demo_sign_in: bool,
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let config = Config {
        addr: args.addr,
        db_path: args.db.clone(),
        dist_dir: args.dist,
        seed: !args.no_seed,
        scheduler: !args.no_scheduler,
        runs: RunSettings {
            step: Duration::from_millis(args.run_step_ms),
            outcome: args.run_outcome,
            ..RunSettings::default()
        },
        fault_injection: args.fault_injection,
        demo_sign_in: args.demo_sign_in,
        frame_ancestors: args.frame_ancestors,
        example_host: args.example_host.clone(),
    };
    let server = match start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("services-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if server.seeded {
        println!("Seeded {} with demo data.", args.db.display());
    }
    match server.db.call(|conn| seed::demo_users(conn)).await {
        Ok(users) if !users.is_empty() => {
            println!("Demo users (send the token as `Authorization: Bearer <token>`):");
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
    if args.fault_injection {
        println!("Fault injection is ON: /api/test/faults changes how the API answers.");
    }
    println!("Patchworks services list: {}/", server.url());
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
    let _ = tokio::signal::ctrl_c().await;
    match server.stop().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("services-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
