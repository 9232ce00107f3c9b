use rusqlite::{params, Connection, OptionalExtension, Row};
use services_model::{Endpoint, Service, ServiceType, Status, Trigger};

/// A service row with the fields only its own page shows.
#[derive(Clone, Debug)]
pub struct ServiceRecord {
    pub service: Service,
    pub notes: String,
    pub alert_group_id: Option<u64>,
}

const COLUMNS: &str = "s.id, s.group_id, s.name, s.service_type, s.status, s.source_system,
     s.source_entity, s.destination_system, s.destination_entity, s.trigger_kind, s.trigger_cron,
     s.alerts_enabled, s.created_at, s.updated_at, s.notes, s.alert_group_id";

pub fn in_group(conn: &Connection, group_id: u64) -> rusqlite::Result<Vec<Service>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM services s WHERE s.group_id = ?1 ORDER BY s.id"
    ))?;
    let rows = stmt.query_map([group_id], |row| Ok(record_from_row(row)?.service))?;
    rows.collect()
}

pub fn find(
    conn: &Connection,
    company_id: u64,
    id: u64,
) -> rusqlite::Result<Option<ServiceRecord>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM services s JOIN company_groups g ON g.id = s.group_id
             WHERE s.id = ?1 AND g.company_id = ?2"
        ),
        [id, company_id],
        record_from_row,
    )
    .optional()
}

/// Loads a service regardless of company: for the worker and scheduler, never for requests.
pub fn find_any(conn: &Connection, id: u64) -> rusqlite::Result<Option<Service>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM services s WHERE s.id = ?1"),
        [id],
        |row| Ok(record_from_row(row)?.service),
    )
    .optional()
}

/// Inserts a service; its `id` is used when non-zero, otherwise SQLite assigns one.
pub fn insert(conn: &Connection, record: &ServiceRecord) -> rusqlite::Result<u64> {
    let s = &record.service;
    let (kind, cron) = match &s.trigger {
        Trigger::Schedule { cron } => ("schedule", Some(cron.as_str())),
        Trigger::Webhook => ("webhook", None),
    };
    conn.execute(
        "INSERT INTO services (id, group_id, name, service_type, status, source_system,
             source_entity, destination_system, destination_entity, trigger_kind, trigger_cron,
             alerts_enabled, created_at, updated_at, notes, alert_group_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
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
            record.notes,
            record.alert_group_id,
        ],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}

/// Changes what is given; returns whether the service exists.
pub fn update(
    conn: &Connection,
    id: u64,
    name: Option<&str>,
    status: Option<Status>,
    notes: Option<&str>,
    now: &str,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE services SET name = COALESCE(?2, name), status = COALESCE(?3, status),
             notes = COALESCE(?4, notes), updated_at = ?5
         WHERE id = ?1",
        params![id, name, status.map(Status::as_str), notes, now],
    )?;
    Ok(changed == 1)
}

pub fn set_alerts(
    conn: &Connection,
    id: u64,
    enabled: bool,
    group_id: Option<u64>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE services SET alerts_enabled = ?2, alert_group_id = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, enabled, group_id, now],
    )?;
    Ok(())
}

/// Removes a service with its runs and their logs.
pub fn delete(conn: &Connection, id: u64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM services WHERE id = ?1", [id])? == 1)
}

pub fn names_in_group(conn: &Connection, group_id: u64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM services WHERE group_id = ?1")?;
    let rows = stmt.query_map([group_id], |row| row.get(0))?;
    rows.collect()
}

/// Active services on a schedule, across all companies: what the scheduler considers.
pub fn active_schedules(conn: &Connection) -> rusqlite::Result<Vec<(u64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT id, trigger_cron FROM services
         WHERE status = 'active' AND trigger_kind = 'schedule' ORDER BY id",
    )?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

fn record_from_row(row: &Row<'_>) -> rusqlite::Result<ServiceRecord> {
    let text = |index: usize| -> rusqlite::Result<String> { row.get(index) };
    let service_type =
        ServiceType::parse(&text(3)?).ok_or_else(|| super::bad_value(3, "service type"))?;
    let status = Status::parse(&text(4)?).ok_or_else(|| super::bad_value(4, "status"))?;
    let trigger = match text(9)?.as_str() {
        "schedule" => Trigger::Schedule { cron: row.get(10)? },
        "webhook" => Trigger::Webhook,
        _ => return Err(super::bad_value(9, "trigger kind")),
    };
    Ok(ServiceRecord {
        service: Service {
            id: row.get(0)?,
            group_id: row.get(1)?,
            name: row.get(2)?,
            service_type,
            status,
            source: Endpoint::new(text(5)?, text(6)?),
            destination: Endpoint::new(text(7)?, text(8)?),
            trigger,
            alerts_enabled: row.get(11)?,
            created_at: row.get(12)?,
            updated_at: row.get(13)?,
        },
        notes: row.get(14)?,
        alert_group_id: row.get(15)?,
    })
}
