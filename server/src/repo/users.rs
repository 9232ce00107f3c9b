use rusqlite::{params, Connection, OptionalExtension};
use services_model::{Company, Me, Role};

/// What authentication needs to know about a user.
pub struct Credentials {
    pub user_id: u64,
    pub company_id: u64,
    pub role: Role,
    pub token_hash: Vec<u8>,
}

pub fn insert_company(conn: &Connection, name: &str) -> rusqlite::Result<u64> {
    conn.execute("INSERT INTO companies (name) VALUES (?1)", [name])?;
    Ok(conn.last_insert_rowid() as u64)
}

pub fn insert_user(
    conn: &Connection,
    company_id: u64,
    name: &str,
    email: &str,
    role: Role,
    token_hash: &[u8],
) -> rusqlite::Result<u64> {
    conn.execute(
        "INSERT INTO users (company_id, name, email, role, token_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![company_id, name, email, role.as_str(), token_hash],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}

pub fn credentials(conn: &Connection, user_id: u64) -> rusqlite::Result<Option<Credentials>> {
    conn.query_row(
        "SELECT id, company_id, role, token_hash FROM users WHERE id = ?1",
        [user_id],
        |row| {
            let role: String = row.get(2)?;
            Ok(Credentials {
                user_id: row.get(0)?,
                company_id: row.get(1)?,
                role: Role::parse(&role).ok_or_else(|| super::bad_value(2, "role"))?,
                token_hash: row.get(3)?,
            })
        },
    )
    .optional()
}

/// Every user with their company, in id order.
pub fn all_users(conn: &Connection) -> rusqlite::Result<Vec<Me>> {
    let mut stmt = conn.prepare(
        "SELECT u.id, u.name, u.email, u.role, c.id, c.name
         FROM users u JOIN companies c ON c.id = u.company_id ORDER BY u.id",
    )?;
    let rows = stmt.query_map([], me_from_row)?;
    rows.collect()
}

pub fn me(conn: &Connection, user_id: u64) -> rusqlite::Result<Me> {
    conn.query_row(
        "SELECT u.id, u.name, u.email, u.role, c.id, c.name
         FROM users u JOIN companies c ON c.id = u.company_id WHERE u.id = ?1",
        [user_id],
        me_from_row,
    )
}

fn me_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Me> {
    let role: String = row.get(3)?;
    Ok(Me {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        role: Role::parse(&role).ok_or_else(|| super::bad_value(3, "role"))?,
        company: Company {
            id: row.get(4)?,
            name: row.get(5)?,
        },
    })
}
