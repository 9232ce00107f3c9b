//! Reading and writing groups and services: the only place with SQL for them.

use rusqlite::{params, Connection, OptionalExtension, Row};
use services_model::{CompanyGroup, Endpoint, GroupSummary, Service, ServiceType, Status, Trigger};

pub fn list_groups(conn: &Connection) -> rusqlite::Result<Vec<GroupSummary>> {
    let mut stmt = conn.prepare(
        "SELECT g.id, g.name, (SELECT COUNT(*) FROM services s WHERE s.group_id = g.id)
         FROM company_groups g ORDER BY g.id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(GroupSummary {
            group: CompanyGroup {
                id: row.get(0)?,
                name: row.get(1)?,
            },
            service_count: row.get(2)?,
        })
    })?;
    rows.collect()
}

pub fn find_group(conn: &Connection, id: u64) -> rusqlite::Result<Option<CompanyGroup>> {
    conn.query_row(
        "SELECT id, name FROM company_groups WHERE id = ?1",
        [id],
        |row| {
            Ok(CompanyGroup {
                id: row.get(0)?,
                name: row.get(1)?,
            })
        },
    )
    .optional()
}

pub fn insert_group(conn: &Connection, name: &str) -> rusqlite::Result<u64> {
    conn.execute("INSERT INTO company_groups (name) VALUES (?1)", [name])?;
    Ok(conn.last_insert_rowid() as u64)
}

const SERVICE_COLUMNS: &str =
    "id, group_id, name, service_type, status, source_system, source_entity,
     destination_system, destination_entity, trigger_kind, trigger_cron, alerts_enabled,
     created_at, updated_at";

pub fn services_in_group(conn: &Connection, group_id: u64) -> rusqlite::Result<Vec<Service>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE group_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([group_id], service_from_row)?;
    rows.collect()
}

/// Inserts a service; its `id` is used when non-zero, otherwise SQLite assigns one.
pub fn insert_service(conn: &Connection, s: &Service) -> rusqlite::Result<u64> {
    let (kind, cron) = match &s.trigger {
        Trigger::Schedule { cron } => ("schedule", Some(cron.as_str())),
        Trigger::Webhook => ("webhook", None),
    };
    conn.execute(
        &format!(
            "INSERT INTO services ({SERVICE_COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        ),
        params![
            (s.id != 0).then_some(s.id),
            s.group_id,
            s.name,
            s.service_type.as_str(),
            s.status.as_str(),
            s.source.system,
            s.source.entity,
            s.destination.system,
            s.destination.entity,
            kind,
            cron,
            s.alerts_enabled,
            s.created_at,
            s.updated_at,
        ],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}

fn service_from_row(row: &Row<'_>) -> rusqlite::Result<Service> {
    let word = |index: usize| -> rusqlite::Result<String> { row.get(index) };
    let invalid = |index: usize, what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown {what}").into(),
        )
    };
    let service_type = ServiceType::parse(&word(3)?).ok_or_else(|| invalid(3, "service type"))?;
    let status = Status::parse(&word(4)?).ok_or_else(|| invalid(4, "status"))?;
    let trigger = match word(9)?.as_str() {
        "schedule" => Trigger::Schedule { cron: row.get(10)? },
        "webhook" => Trigger::Webhook,
        _ => return Err(invalid(9, "trigger kind")),
    };
    Ok(Service {
        id: row.get(0)?,
        group_id: row.get(1)?,
        name: row.get(2)?,
        service_type,
        status,
        source: Endpoint::new(word(5)?, word(6)?),
        destination: Endpoint::new(word(7)?, word(8)?),
        trigger,
        alerts_enabled: row.get(11)?,
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
    })
}
