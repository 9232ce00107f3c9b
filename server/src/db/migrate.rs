//! Schema migrations, in order, once each. SQLite records how many ran in `user_version` and
//! marks its files as ours with `application_id`; PostgreSQL records them in
//! `schema_migrations`, under an advisory lock so instances starting together migrate once.

use super::{Db, DbError};
use sqlx::Connection;

const SQLITE: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_schema.sql"),
    include_str!("../../migrations/sqlite/0002_events.sql"),
    include_str!("../../migrations/sqlite/0003_favourites_views.sql"),
    include_str!("../../migrations/sqlite/0004_run_health.sql"),
];
const POSTGRES: &[&str] = &[
    include_str!("../../migrations/postgres/0001_schema.sql"),
    include_str!("../../migrations/postgres/0002_events.sql"),
    include_str!("../../migrations/postgres/0003_favourites_views.sql"),
    include_str!("../../migrations/postgres/0004_run_health.sql"),
];

/// `application_id` of the SQLite files this layout makes ("PWSV").
const APPLICATION_ID: i64 = 0x5057_5356;
/// A random id for a new database (see `meta`).
const SET_DATABASE_ID: &str = "INSERT INTO meta (key, value) VALUES ('database_id', $1)";
/// The advisory lock held while PostgreSQL migrates.
const MIGRATION_LOCK: i64 = 0x5057_5356_0001;

pub async fn run(db: &Db) -> Result<(), DbError> {
    match db {
        Db::Sqlite(store) => {
            let mut conn = store.write.acquire().await?;
            let app_id: i64 = sqlx::query_scalar("PRAGMA application_id")
                .fetch_one(&mut *conn)
                .await?;
            let done: i64 = sqlx::query_scalar("PRAGMA user_version")
                .fetch_one(&mut *conn)
                .await?;
            if app_id != APPLICATION_ID {
                let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master")
                    .fetch_one(&mut *conn)
                    .await?;
                if done > 0 || tables > 0 {
                    return Err(DbError::Unusable(
                        "this SQLite file was not made by this version of the services server \
                         (an earlier version made demo databases with well-known tokens): move \
                         it away or delete it, and the server makes a new one"
                            .into(),
                    ));
                }
            }
            check_version(done, SQLITE.len())?;
            for (index, script) in SQLITE.iter().enumerate().skip(done as usize) {
                let mut tx = conn.begin().await?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(*script))
                    .execute(&mut *tx)
                    .await?;
                if index == 0 {
                    sqlx::query(SET_DATABASE_ID)
                        .bind(crate::auth::random_hex(8))
                        .execute(&mut *tx)
                        .await?;
                }
                let version = format!(
                    "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {}",
                    index + 1
                );
                sqlx::raw_sql(sqlx::AssertSqlSafe(version))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
        }
        Db::Postgres(store) => {
            let mut conn = store.pool.acquire().await?;
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await?;
            let result = migrate_postgres(&mut conn).await;
            let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *conn)
                .await;
            result?;
            unlocked?;
        }
    }
    Ok(())
}

async fn migrate_postgres(conn: &mut sqlx::PgConnection) -> Result<(), DbError> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('schema_migrations') IS NOT NULL")
        .fetch_one(&mut *conn)
        .await?;
    if !exists {
        sqlx::raw_sql(
            "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .execute(&mut *conn)
        .await?;
    }
    let done: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await?;
    check_version(done, POSTGRES.len())?;
    for (index, script) in POSTGRES.iter().enumerate().skip(done as usize) {
        let mut tx = conn.begin().await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(*script))
            .execute(&mut *tx)
            .await?;
        if index == 0 {
            sqlx::query(SET_DATABASE_ID)
                .bind(crate::auth::random_hex(8))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
            .bind(index as i64 + 1)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

fn check_version(done: i64, known: usize) -> Result<(), DbError> {
    if done > known as i64 {
        return Err(DbError::Unusable(format!(
            "the database has {done} migrations but this server knows {known}: it was made by a newer version"
        )));
    }
    Ok(())
}
