//! A bulk action on many services of one company: each service is changed by one statement for
//! the whole batch, so each is changed completely or not at all, and what the statement
//! returns says which were.

use crate::db::sql::Sql;
use crate::db::{Db, DbError, RowExt};
use crate::{built_query, with_reader, with_writer};
use services_model::BulkAction;
use std::collections::HashMap;

/// The company's services among `ids`, with their notification group.
pub async fn owned(
    db: &Db,
    company_id: u64,
    ids: &[u64],
) -> Result<HashMap<u64, Option<u64>>, DbError> {
    let mut sql = Sql::new(
        "SELECT s.id, s.alert_group_id FROM services s JOIN company_groups g ON g.id = s.group_id
         WHERE g.company_id = ",
    );
    sql.bind_int(company_id as i64).push(" AND s.id IN ");
    push_ids(&mut sql, ids);
    Ok(with_reader!(db, |conn| {
        built_query!(sql)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| Ok((row.id("id")?, row.opt_id("alert_group_id")?)))
            .collect::<Result<HashMap<_, _>, sqlx::Error>>()?
    }))
}

/// Applies `action` to `ids` (the company's, non-empty) in one statement; the ids it changed.
/// `alerts_on` sets `notification_group` when given, and otherwise changes only services that
/// have a group.
pub async fn apply(
    db: &Db,
    company_id: u64,
    action: BulkAction,
    ids: &[u64],
    notification_group: Option<u64>,
    now: &str,
) -> Result<Vec<u64>, DbError> {
    let mut sql = if action == BulkAction::Remove {
        Sql::new("DELETE FROM services")
    } else {
        let mut sql = Sql::new("UPDATE services SET updated_at = ");
        sql.bind_text(now);
        sql.push(match action {
            BulkAction::Activate => ", status = 'active'",
            BulkAction::Deactivate => ", status = 'inactive'",
            BulkAction::AlertsOff => ", alerts_enabled = FALSE",
            BulkAction::AlertsOn | BulkAction::Remove => ", alerts_enabled = TRUE",
        });
        if let (BulkAction::AlertsOn, Some(group)) = (action, notification_group) {
            sql.push(", alert_group_id = ").bind_int(group as i64);
        }
        sql
    };
    sql.push(" WHERE id IN ");
    push_ids(&mut sql, ids);
    sql.push(" AND group_id IN (SELECT id FROM company_groups WHERE company_id = ");
    sql.bind_int(company_id as i64).push(")");
    if action == BulkAction::AlertsOn && notification_group.is_none() {
        sql.push(" AND alert_group_id IS NOT NULL");
    }
    sql.push(" RETURNING id");
    Ok(with_writer!(db, |conn| {
        built_query!(sql)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| row.id("id"))
            .collect::<Result<Vec<_>, _>>()?
    }))
}

fn push_ids(sql: &mut Sql, ids: &[u64]) {
    sql.push("(");
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind_int(*id as i64);
    }
    sql.push(")");
}
