//! The store: SQLite (the embedded default) or PostgreSQL (several instances), behind one type.
//!
//! SQLite runs in WAL mode with a pool of read-only connections, so reads never wait for each
//! other, and a single writer connection, so writes are serialised in the process and never
//! meet a busy database. PostgreSQL has one pool for both. The repository (`crate::repo`) writes
//! each query once: [`with_reader!`](crate::with_reader) and [`with_writer!`](crate::with_writer) run the same code on
//! whichever pool applies, compiled once per dialect.

mod migrate;
pub mod row;
pub mod sql;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::ConnectOptions;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

pub use row::RowExt;

/// Where the data lives: a PostgreSQL URL (`postgres://…`) or a SQLite file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is a SQLite file path.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_string())
        } else {
            Location::Sqlite(PathBuf::from(text))
        }
    }

    /// How to name it in messages: the file, or the URL without a password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => redact(url),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A URL with its password replaced by `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((auth, host)) if auth.contains(':') => {
            let user = auth.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// Which SQL dialect a query is for, where the two differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct SqliteStore {
    /// Read-only connections (WAL readers).
    pub read: SqlitePool,
    /// The one connection that writes.
    pub write: SqlitePool,
}

#[derive(Clone, Debug)]
pub struct PgStore {
    pub pool: PgPool,
    pub url: String,
}

/// An open, migrated store. Cheap to clone.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

#[derive(Debug)]
pub enum DbError {
    Sql(sqlx::Error),
    Io(std::io::Error),
    /// The database holds something this version can't use (an older layout, a bad value).
    Unusable(String),
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Sql(e) => write!(f, "database error: {e}"),
            DbError::Io(e) => write!(f, "database file error: {e}"),
            DbError::Unusable(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for DbError {}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        DbError::Sql(e)
    }
}

impl DbError {
    /// A unique constraint refused the write.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sql(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

/// Statements slower than this are logged (bulk loads take a second or two by design).
const SLOW_STATEMENT: Duration = Duration::from_secs(10);

/// Read connections of a SQLite store: enough for the cores, and some waiting on I/O.
const SQLITE_READERS: u32 = 8;

impl Db {
    /// Opens the store (creating a SQLite file and its folder if missing) and brings its schema
    /// up to date.
    pub async fn open(location: &Location) -> Result<Db, DbError> {
        Self::open_with(location, 16).await
    }

    /// As [`Db::open`], with at most `pg_connections` PostgreSQL connections.
    pub async fn open_with(location: &Location, pg_connections: u32) -> Result<Db, DbError> {
        let db = match location {
            Location::Sqlite(path) => Db::Sqlite(open_sqlite(path).await?),
            Location::Postgres(url) => {
                let options = PgConnectOptions::from_str(url)?
                    .application_name("services-server")
                    .log_slow_statements(log::LevelFilter::Warn, SLOW_STATEMENT);
                let pool = PgPoolOptions::new()
                    .max_connections(pg_connections)
                    // No ping before each query (a round trip each); a broken connection fails
                    // its query once and is replaced.
                    .test_before_acquire(false)
                    .min_connections(1)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Db::Postgres(PgStore {
                    pool,
                    url: url.clone(),
                })
            }
        };
        migrate::run(&db).await?;
        db.optimize().await?;
        Ok(db)
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Lets the query planner refresh its statistics where they are stale (cheap when they are
    /// not): SQLite's `PRAGMA optimize`, PostgreSQL's autovacuum does it by itself.
    pub async fn optimize(&self) -> Result<(), DbError> {
        if let Db::Sqlite(store) = self {
            // A sample of each index is enough for the planner, and bounds the time on big files.
            sqlx::raw_sql("PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002")
                .execute(&store.write)
                .await?;
        }
        Ok(())
    }

    /// Closes every connection (SQLite checkpoints its WAL on the last close).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(store) => {
                store.read.close().await;
                store.write.close().await;
            }
            Db::Postgres(store) => store.pool.close().await,
        }
    }
}

async fn open_sqlite(path: &Path) -> Result<SqliteStore, DbError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(DbError::Io)?;
    }
    let base = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Read pages through a shared memory map instead of a read() call each.
        .pragma("mmap_size", "1073741824")
        .log_slow_statements(log::LevelFilter::Warn, SLOW_STATEMENT);
    // No ping before each query: on SQLite it is a round trip to the connection's thread.
    let write = SqlitePoolOptions::new()
        .test_before_acquire(false)
        .max_connections(1)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(base.clone().create_if_missing(true))
        .await?;
    let read = SqlitePoolOptions::new()
        .test_before_acquire(false)
        .max_connections(SQLITE_READERS)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(base.read_only(true))
        .await?;
    Ok(SqliteStore { read, write })
}

/// A write transaction on either store. SQLite's begins IMMEDIATE (it takes the write lock at
/// once, so a transaction that reads first never fails to upgrade); dropping it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Db {
    pub async fn begin(&self) -> Result<Tx, DbError> {
        Ok(match self {
            Db::Sqlite(store) => Tx::Sqlite(store.write.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(store) => Tx::Postgres(store.pool.begin().await?),
        })
    }
}

impl Tx {
    pub fn dialect(&self) -> Dialect {
        match self {
            Tx::Sqlite(_) => Dialect::Sqlite,
            Tx::Postgres(_) => Dialect::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), DbError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// Runs `$body` with `$conn` bound to the connection of a [`Tx`] (use it as `&mut *$conn`).
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// A connection of `pool`, recording how long it took to get one (the database-wait metric).
pub async fn acquire<DB: sqlx::Database>(
    pool: &sqlx::Pool<DB>,
) -> Result<sqlx::pool::PoolConnection<DB>, DbError> {
    let asked = std::time::Instant::now();
    let conn = pool.acquire().await?;
    crate::metrics::db_wait(asked.elapsed());
    Ok(conn)
}

/// Runs `$body` with `$conn` bound to a connection that reads (use it as `&mut *$conn`):
/// SQLite's read-only connections or PostgreSQL's pool. The body is compiled once for each
/// store; the time waited for the connection is recorded. Needs a function returning
/// `Result<_, DbError>` (or an error type that converts from it).
#[macro_export]
macro_rules! with_reader {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(store) => {
                let mut held = $crate::db::acquire(&store.read).await?;
                let $conn = &mut *held;
                $body
            }
            $crate::db::Db::Postgres(store) => {
                let mut held = $crate::db::acquire(&store.pool).await?;
                let $conn = &mut *held;
                $body
            }
        }
    };
}

/// As [`with_reader!`], with a connection that writes: SQLite's single writer or PostgreSQL's
/// pool.
#[macro_export]
macro_rules! with_writer {
    ($db:expr, |$conn:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(store) => {
                let mut held = $crate::db::acquire(&store.write).await?;
                let $conn = &mut *held;
                $body
            }
            $crate::db::Db::Postgres(store) => {
                let mut held = $crate::db::acquire(&store.pool).await?;
                let $conn = &mut *held;
                $body
            }
        }
    };
}

/// Runs `$body` with `$pool` bound to the pool itself, the reading one (`read`) or the writing
/// one (`write`), for tests and tools that manage connections themselves.
#[macro_export]
macro_rules! with_pool {
    ($db:expr, read, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(store) => {
                let $pool = &store.read;
                $body
            }
            $crate::db::Db::Postgres(store) => {
                let $pool = &store.pool;
                $body
            }
        }
    };
    ($db:expr, write, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite(store) => {
                let $pool = &store.write;
                $body
            }
            $crate::db::Db::Postgres(store) => {
                let $pool = &store.pool;
                $body
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_postgres_and_paths_sqlite() {
        assert_eq!(
            Location::parse("postgres://u:secret@db:5432/services"),
            Location::Postgres("postgres://u:secret@db:5432/services".into())
        );
        assert!(matches!(
            Location::parse("postgresql://db/services"),
            Location::Postgres(_)
        ));
        assert_eq!(
            Location::parse("data/services.sqlite3"),
            Location::Sqlite("data/services.sqlite3".into())
        );
        assert_eq!(
            Location::parse("postgres://u:secret@db:5432/services").describe(),
            "postgres://u:***@db:5432/services"
        );
        assert_eq!(
            Location::parse("postgres://u@db/services").describe(),
            "postgres://u@db/services"
        );
    }
}
