//! Saved views: a user's named list URLs.

use crate::db::{Db, DbError, RowExt};
use crate::{with_reader, with_writer};
use services_model::SavedView;

fn view_from_row(row: &impl RowExt) -> Result<SavedView, sqlx::Error> {
    Ok(SavedView {
        id: row.id("id")?,
        name: row.text("name")?,
        query: row.text("query")?,
        created_at: row.text("created_at")?,
    })
}

/// The user's views, by name.
pub async fn list(db: &Db, user_id: u64) -> Result<Vec<SavedView>, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query(
            "SELECT id, name, query, created_at FROM saved_views WHERE user_id = $1
             ORDER BY name, id",
        )
        .bind(user_id as i64)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(view_from_row)
        .collect::<Result<Vec<_>, _>>()?
    }))
}

/// What [`create`] did.
pub enum Created {
    View(SavedView),
    /// The user already has a view of that name.
    Duplicate,
    /// The user has `max` views already.
    Full,
}

/// Saves a view unless the user has one of that name or `max` views already. One statement,
/// so two saves of one name at once make one view.
pub async fn create(
    db: &Db,
    user_id: u64,
    name: &str,
    query: &str,
    now: &str,
    max: usize,
) -> Result<Created, DbError> {
    let row = with_writer!(db, |conn| {
        sqlx::query(
            "INSERT INTO saved_views (user_id, name, query, created_at)
             SELECT $1, $2, $3, $4
             WHERE (SELECT COUNT(*) FROM saved_views WHERE user_id = $1) < $5
             ON CONFLICT (user_id, name) DO NOTHING
             RETURNING id, name, query, created_at",
        )
        .bind(user_id as i64)
        .bind(name)
        .bind(query)
        .bind(now)
        .bind(max as i64)
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| view_from_row(&row))
        .transpose()?
    });
    if let Some(view) = row {
        return Ok(Created::View(view));
    }
    let taken = list(db, user_id).await?.iter().any(|v| v.name == name);
    Ok(if taken {
        Created::Duplicate
    } else {
        Created::Full
    })
}

/// Removes one of the user's views; `false` if they have no such view.
pub async fn delete(db: &Db, user_id: u64, id: u64) -> Result<bool, DbError> {
    let done = with_writer!(db, |conn| {
        sqlx::query("DELETE FROM saved_views WHERE id = $1 AND user_id = $2")
            .bind(id as i64)
            .bind(user_id as i64)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}
