use rusqlite::{Connection, OptionalExtension};
use services_model::{CompanyGroup, GroupSummary};

pub fn list(conn: &Connection, company_id: u64) -> rusqlite::Result<Vec<GroupSummary>> {
    let mut stmt = conn.prepare(
        "SELECT g.id, g.name, (SELECT COUNT(*) FROM services s WHERE s.group_id = g.id)
         FROM company_groups g WHERE g.company_id = ?1 ORDER BY g.id",
    )?;
    let rows = stmt.query_map([company_id], |row| {
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

pub fn find(conn: &Connection, company_id: u64, id: u64) -> rusqlite::Result<Option<CompanyGroup>> {
    conn.query_row(
        "SELECT id, name FROM company_groups WHERE id = ?1 AND company_id = ?2",
        [id, company_id],
        |row| {
            Ok(CompanyGroup {
                id: row.get(0)?,
                name: row.get(1)?,
            })
        },
    )
    .optional()
}

pub fn insert(conn: &Connection, company_id: u64, name: &str) -> rusqlite::Result<u64> {
    conn.execute(
        "INSERT INTO company_groups (company_id, name) VALUES (?1, ?2)",
        rusqlite::params![company_id, name],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}
