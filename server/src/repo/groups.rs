use crate::db::{Db, DbError, RowExt, Tx};
use crate::{with_reader, with_tx};
use services_model::{CompanyGroup, GroupSummary};

/// The company's groups with their sizes (from `service_counts`, not by counting services).
pub async fn list(db: &Db, company_id: u64) -> Result<Vec<GroupSummary>, DbError> {
    let groups = with_reader!(db, |conn| {
        sqlx::query(
            "SELECT g.id, g.name,
                    CAST(COALESCE((SELECT SUM(c.n) FROM service_counts c WHERE c.group_id = g.id), 0) AS BIGINT) AS size
             FROM company_groups g WHERE g.company_id = $1 ORDER BY g.id",
        )
        .bind(company_id as i64)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| -> Result<GroupSummary, sqlx::Error> {
            Ok(GroupSummary {
                group: CompanyGroup {
                    id: row.id("id")?,
                    name: row.text("name")?,
                },
                service_count: row.id("size")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?
    });
    Ok(groups)
}

pub async fn find(db: &Db, company_id: u64, id: u64) -> Result<Option<CompanyGroup>, DbError> {
    Ok(find_versioned(db, company_id, id).await?.map(|(g, _)| g))
}

/// A group of the company and its `health_version`: moved by every run of the group that is
/// queued, starts, finishes or goes (the lean view's health columns).
pub async fn health_version(db: &Db, id: u64) -> Result<i64, DbError> {
    let version = with_reader!(db, |conn| {
        sqlx::query("SELECT health_version FROM company_groups WHERE id = $1")
            .bind(id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| row.int("health_version"))
            .transpose()?
            .unwrap_or(0)
    });
    Ok(version)
}

/// A group of the company and its `list_version`.
pub async fn find_versioned(
    db: &Db,
    company_id: u64,
    id: u64,
) -> Result<Option<(CompanyGroup, i64)>, DbError> {
    let found = with_reader!(db, |conn| {
        sqlx::query(
            "SELECT id, name, list_version FROM company_groups WHERE id = $1 AND company_id = $2",
        )
        .bind(id as i64)
        .bind(company_id as i64)
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| -> Result<_, sqlx::Error> {
            Ok((
                CompanyGroup {
                    id: row.id("id")?,
                    name: row.text("name")?,
                },
                row.int("list_version")?,
            ))
        })
    });
    Ok(found.transpose()?)
}

/// A group in any company (for operator commands): its company and name.
pub async fn find_any(db: &Db, id: u64) -> Result<Option<(u64, String)>, DbError> {
    let found = with_reader!(db, |conn| {
        sqlx::query("SELECT company_id, name FROM company_groups WHERE id = $1")
            .bind(id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| -> Result<_, sqlx::Error> { Ok((row.id("company_id")?, row.text("name")?)) })
    });
    Ok(found.transpose()?)
}

pub async fn insert(tx: &mut Tx, company_id: u64, name: &str) -> Result<u64, DbError> {
    let id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO company_groups (company_id, name) VALUES ($1, $2) RETURNING id",
        )
        .bind(company_id as i64)
        .bind(name)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(id as u64)
}

/// Holds the group's row until the transaction ends, so concurrent writers of one group take
/// turns (PostgreSQL; SQLite's single writer already does). Returns whether it exists.
pub async fn lock(tx: &mut Tx, id: u64) -> Result<bool, DbError> {
    let sql = match tx.dialect() {
        crate::db::Dialect::Sqlite => "SELECT id FROM company_groups WHERE id = $1",
        crate::db::Dialect::Postgres => "SELECT id FROM company_groups WHERE id = $1 FOR UPDATE",
    };
    let found: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar(sql)
            .bind(id as i64)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(found.is_some())
}

/// How many services the group holds.
pub async fn size(db: &Db, id: u64) -> Result<u64, DbError> {
    let n: i64 = with_reader!(db, |conn| {
        sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM service_counts WHERE group_id = $1",
        )
        .bind(id as i64)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(n.max(0) as u64)
}
