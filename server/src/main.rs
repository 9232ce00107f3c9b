use clap::Parser;
use services_server::{seed, start, Config};
use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// The trunk-built SPA to serve at `/`.
    #[arg(long, env = "SERVICES_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Don't seed demo data into an empty database.
    #[arg(long)]
    no_seed: bool,
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
    };
    let server = match start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("services-server: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if server.seeded {
        let count: usize = seed::GROUPS.iter().map(|(_, n)| n).sum();
        println!(
            "Seeded {} with {} company groups and {count} services.",
            args.db.display(),
            seed::GROUPS.len()
        );
    }
    println!("Patchworks services list: {}/", server.url());
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
