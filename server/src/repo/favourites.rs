//! Favourites: the services a user starred. Per user; a favourite goes with its service.

use crate::db::{Db, DbError};
use crate::{with_reader, with_writer};

/// The ids the user starred among their company's services, ascending.
pub async fn list(db: &Db, user_id: u64, company_id: u64) -> Result<Vec<u64>, DbError> {
    let ids: Vec<i64> = with_reader!(db, |conn| {
        sqlx::query_scalar(
            "SELECT f.service_id FROM favourites f
             JOIN services s ON s.id = f.service_id
             JOIN company_groups g ON g.id = s.group_id
             WHERE f.user_id = $1 AND g.company_id = $2
             ORDER BY f.service_id",
        )
        .bind(user_id as i64)
        .bind(company_id as i64)
        .fetch_all(&mut *conn)
        .await?
    });
    Ok(ids.into_iter().map(|id| id.max(0) as u64).collect())
}

/// Stars a service (the caller checked it is of the user's company); starring twice is once.
pub async fn add(db: &Db, user_id: u64, service_id: u64, now: &str) -> Result<(), DbError> {
    with_writer!(db, |conn| {
        sqlx::query(
            "INSERT INTO favourites (user_id, service_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, service_id) DO NOTHING",
        )
        .bind(user_id as i64)
        .bind(service_id as i64)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

pub async fn remove(db: &Db, user_id: u64, service_id: u64) -> Result<(), DbError> {
    with_writer!(db, |conn| {
        sqlx::query("DELETE FROM favourites WHERE user_id = $1 AND service_id = $2")
            .bind(user_id as i64)
            .bind(service_id as i64)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(())
}
