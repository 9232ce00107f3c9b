use crate::db::{Db, DbError, Dialect, Tx};
use crate::{with_reader, with_tx};

/// The random id the database was given when its schema was made.
pub async fn database_id(db: &Db) -> Result<String, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = 'database_id'")
            .fetch_one(&mut *conn)
            .await?
    }))
}

/// After rows were inserted with explicit ids (the demo data, imports), PostgreSQL's identity
/// sequences must move past them; SQLite picks max + 1 by itself.
pub async fn sync_id_sequences(tx: &mut Tx) -> Result<(), DbError> {
    if tx.dialect() == Dialect::Sqlite {
        return Ok(());
    }
    for table in [
        "companies",
        "users",
        "company_groups",
        "notification_groups",
        "notification_recipients",
        "services",
        "runs",
    ] {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
        );
        with_tx!(tx, |conn| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
    }
    Ok(())
}

/// After a bulk load, SQLite's search index is many small segments; merging them into one makes
/// every search read one list per trigram. (PostgreSQL's GIN index needs nothing.)
pub async fn compact_search_index(db: &Db) -> Result<(), DbError> {
    if let Db::Sqlite(store) = db {
        sqlx::query("INSERT INTO services_search (services_search) VALUES ('optimize')")
            .execute(&store.write)
            .await?;
    }
    Ok(())
}

/// `SELECT 1` on the read pool: the store answers (`/readyz`).
pub async fn ping(db: &Db) -> Result<i64, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query_scalar("SELECT CAST(1 AS BIGINT)")
            .fetch_one(&mut *conn)
            .await?
    }))
}
