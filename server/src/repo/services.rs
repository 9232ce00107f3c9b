use crate::db::sql::Sql;
use crate::db::{Db, DbError, RowExt, Tx};
use crate::{built_query, with_reader, with_tx, with_writer};
use services_model::{Endpoint, Service, ServiceType, Status, Trigger};

/// A service row with the fields only its own page shows.
#[derive(Clone, Debug)]
pub struct ServiceRecord {
    pub service: Service,
    pub notes: String,
    pub alert_group_id: Option<u64>,
}

pub const COLUMNS: &str = "s.id, s.group_id, s.name, s.service_type, s.status, s.source_system,
     s.source_entity, s.destination_system, s.destination_entity, s.trigger_kind, s.trigger_cron,
     s.alerts_enabled, s.created_at, s.updated_at, s.notes, s.alert_group_id";

/// The columns written on insert, in [`bind_record`]'s order.
const INSERT_COLUMNS: &str = "group_id, name, name_lower, service_type, status, source_system,
     source_system_lower, source_entity, destination_system, destination_entity, trigger_kind,
     trigger_cron, alerts_enabled, created_at, updated_at, notes, alert_group_id";

/// Every service of a group, in id order (the lean view, tests).
pub async fn in_group(db: &Db, group_id: u64) -> Result<Vec<Service>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM services s WHERE s.group_id = $1 ORDER BY s.id");
    let services = with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(group_id as i64)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| Ok(record_from_row(row)?.service))
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    Ok(services)
}

pub async fn find(db: &Db, company_id: u64, id: u64) -> Result<Option<ServiceRecord>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM services s JOIN company_groups g ON g.id = s.group_id
         WHERE s.id = $1 AND g.company_id = $2"
    );
    let found = with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id as i64)
            .bind(company_id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| record_from_row(&row))
    });
    Ok(found.transpose()?)
}

/// As [`find`], inside a transaction.
pub async fn find_in(
    tx: &mut Tx,
    company_id: u64,
    id: u64,
) -> Result<Option<ServiceRecord>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM services s JOIN company_groups g ON g.id = s.group_id
         WHERE s.id = $1 AND g.company_id = $2"
    );
    let found = with_tx!(tx, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id as i64)
            .bind(company_id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| record_from_row(&row))
    });
    Ok(found.transpose()?)
}

/// Loads a service regardless of company: for the worker and scheduler, never for requests.
pub async fn find_any(db: &Db, id: u64) -> Result<Option<Service>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM services s WHERE s.id = $1");
    let found = with_reader!(db, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| record_from_row(&row).map(|r| r.service))
    });
    Ok(found.transpose()?)
}

/// Inserts one service and returns its id: `service.id` when non-zero, otherwise a new one.
pub async fn insert(tx: &mut Tx, record: &ServiceRecord) -> Result<u64, DbError> {
    let ids = insert_many(tx, std::slice::from_ref(record)).await?;
    Ok(ids[0])
}

/// Inserts services in multi-row statements (bulk loads) and returns their ids in order. Either
/// every record has an id (`!= 0`) or none has.
pub async fn insert_many(tx: &mut Tx, records: &[ServiceRecord]) -> Result<Vec<u64>, DbError> {
    let mut ids = Vec::with_capacity(records.len());
    // SQLite binds at most 32,766 values a statement.
    for chunk in records.chunks(1000) {
        let with_ids = chunk[0].service.id != 0;
        let mut sql = Sql::new("INSERT INTO services (");
        if with_ids {
            sql.push("id, ");
        }
        sql.push(INSERT_COLUMNS).push(") VALUES ");
        for (i, record) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            if with_ids {
                sql.bind_int(record.service.id as i64).push(", ");
            }
            bind_record(&mut sql, record);
            sql.push(")");
        }
        sql.push(" RETURNING id");
        let rows = with_tx!(tx, |conn| {
            built_query!(sql)
                .fetch_all(&mut *conn)
                .await?
                .iter()
                .map(|row| row.id("id"))
                .collect::<Result<Vec<_>, _>>()?
        });
        ids.extend(rows);
    }
    Ok(ids)
}

fn bind_record(sql: &mut Sql, record: &ServiceRecord) {
    let s = &record.service;
    let (kind, cron) = match &s.trigger {
        Trigger::Schedule { cron } => ("schedule", Some(cron.as_str())),
        Trigger::Webhook => ("webhook", None),
    };
    sql.bind_int(s.group_id as i64).push(", ");
    sql.bind_text(&s.name).push(", ");
    sql.bind_text(&s.name.to_lowercase()).push(", ");
    sql.bind_text(s.service_type.as_str()).push(", ");
    sql.bind_text(s.status.as_str()).push(", ");
    sql.bind_text(&s.source.system).push(", ");
    sql.bind_text(&s.source.system.to_lowercase()).push(", ");
    sql.bind_text(&s.source.entity).push(", ");
    sql.bind_text(&s.destination.system).push(", ");
    sql.bind_text(&s.destination.entity).push(", ");
    sql.bind_text(kind).push(", ");
    match cron {
        Some(cron) => sql.bind_text(cron),
        None => sql.push("NULL"),
    };
    sql.push(", ");
    // A literal: SQLite stores 0/1 and PostgreSQL has a boolean.
    sql.push(if s.alerts_enabled { "TRUE" } else { "FALSE" });
    sql.push(", ");
    sql.bind_text(&s.created_at).push(", ");
    sql.bind_text(&s.updated_at).push(", ");
    sql.bind_text(&record.notes).push(", ");
    match record.alert_group_id {
        Some(id) => sql.bind_int(id as i64),
        None => sql.push("NULL"),
    };
}

/// What [`update`] changes: the fields given (`Some`); the others stay.
#[derive(Clone, Copy, Debug, Default)]
pub struct Changes<'a> {
    pub name: Option<&'a str>,
    pub status: Option<Status>,
    pub notes: Option<&'a str>,
    pub service_type: Option<ServiceType>,
    /// Already validated; a webhook clears the cron expression.
    pub trigger: Option<&'a Trigger>,
}

/// Changes what is given; returns whether the service exists. The store's triggers bump the
/// group's `list_version` (the list's caches) and the scheduler reads the trigger each minute.
pub async fn update(db: &Db, id: u64, changes: &Changes<'_>, now: &str) -> Result<bool, DbError> {
    let name = changes.name;
    let (kind, cron) = match changes.trigger {
        None => (None, None),
        Some(Trigger::Webhook) => (Some("webhook"), None),
        Some(Trigger::Schedule { cron }) => (Some("schedule"), Some(cron.as_str())),
    };
    let done = with_writer!(db, |conn| {
        sqlx::query(
            "UPDATE services SET name = COALESCE($2, name), name_lower = COALESCE($3, name_lower),
                 status = COALESCE($4, status), notes = COALESCE($5, notes), updated_at = $6,
                 service_type = COALESCE($7, service_type),
                 trigger_cron = CASE WHEN $8 IS NULL THEN trigger_cron ELSE $9 END,
                 trigger_kind = COALESCE($8, trigger_kind)
             WHERE id = $1",
        )
        .bind(id as i64)
        .bind(name)
        .bind(name.map(str::to_lowercase))
        .bind(changes.status.map(Status::as_str))
        .bind(changes.notes)
        .bind(now)
        .bind(changes.service_type.map(ServiceType::as_str))
        .bind(kind)
        .bind(cron)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

pub async fn set_alerts(
    db: &Db,
    id: u64,
    enabled: bool,
    group_id: Option<u64>,
    now: &str,
) -> Result<(), DbError> {
    with_writer!(db, |conn| {
        sqlx::query(
            "UPDATE services SET alerts_enabled = $2, alert_group_id = $3, updated_at = $4 WHERE id = $1",
        )
        .bind(id as i64)
        .bind(enabled)
        .bind(group_id.map(|g| g as i64))
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Removes a service with its runs and their logs.
pub async fn delete(db: &Db, id: u64) -> Result<bool, DbError> {
    let done = with_writer!(db, |conn| {
        sqlx::query("DELETE FROM services WHERE id = $1")
            .bind(id as i64)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}

pub async fn names_in_group(tx: &mut Tx, group_id: u64) -> Result<Vec<String>, DbError> {
    Ok(with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT name FROM services WHERE group_id = $1")
            .bind(group_id as i64)
            .fetch_all(&mut *conn)
            .await?
    }))
}

/// The distinct cron expressions of active scheduled services, across all companies: what the
/// scheduler evaluates each minute.
pub async fn active_schedules(db: &Db) -> Result<Vec<String>, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query_scalar(
            "SELECT DISTINCT trigger_cron FROM services
             WHERE status = 'active' AND trigger_kind = 'schedule' AND trigger_cron IS NOT NULL",
        )
        .fetch_all(&mut *conn)
        .await?
    }))
}

pub fn record_from_row(row: &impl RowExt) -> Result<ServiceRecord, sqlx::Error> {
    let service_type = ServiceType::parse(&row.text("service_type")?)
        .ok_or_else(|| super::bad_value("service_type", "service type"))?;
    let status =
        Status::parse(&row.text("status")?).ok_or_else(|| super::bad_value("status", "status"))?;
    let trigger = match row.text("trigger_kind")?.as_str() {
        "schedule" => Trigger::Schedule {
            cron: row.text("trigger_cron")?,
        },
        "webhook" => Trigger::Webhook,
        _ => return Err(super::bad_value("trigger_kind", "trigger kind")),
    };
    Ok(ServiceRecord {
        service: Service {
            id: row.id("id")?,
            group_id: row.id("group_id")?,
            name: row.text("name")?,
            service_type,
            status,
            source: Endpoint::new(row.text("source_system")?, row.text("source_entity")?),
            destination: Endpoint::new(
                row.text("destination_system")?,
                row.text("destination_entity")?,
            ),
            trigger,
            alerts_enabled: row.flag("alerts_enabled")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
            health: Default::default(),
        },
        notes: row.text("notes")?,
        alert_group_id: row.opt_id("alert_group_id")?,
    })
}
