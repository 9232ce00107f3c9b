use rusqlite::{params, Connection};
use services_model::{NotificationGroup, Recipient};

pub fn insert_group(conn: &Connection, company_id: u64, name: &str) -> rusqlite::Result<u64> {
    conn.execute(
        "INSERT INTO notification_groups (company_id, name) VALUES (?1, ?2)",
        params![company_id, name],
    )?;
    Ok(conn.last_insert_rowid() as u64)
}

pub fn add_user(conn: &Connection, group_id: u64, user_id: u64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO notification_recipients (notification_group_id, user_id) VALUES (?1, ?2)",
        params![group_id, user_id],
    )?;
    Ok(())
}

pub fn add_email(conn: &Connection, group_id: u64, email: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO notification_recipients (notification_group_id, email) VALUES (?1, ?2)",
        params![group_id, email],
    )?;
    Ok(())
}

pub fn exists(conn: &Connection, company_id: u64, id: u64) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM notification_groups WHERE id = ?1 AND company_id = ?2)",
        [id, company_id],
        |row| row.get(0),
    )
}

pub fn list(conn: &Connection, company_id: u64) -> rusqlite::Result<Vec<NotificationGroup>> {
    let mut groups: Vec<NotificationGroup> = conn
        .prepare("SELECT id, name FROM notification_groups WHERE company_id = ?1 ORDER BY id")?
        .query_map([company_id], |row| {
            Ok(NotificationGroup {
                id: row.get(0)?,
                name: row.get(1)?,
                recipients: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT r.notification_group_id, r.user_id, u.name, u.email, r.email
         FROM notification_recipients r
         JOIN notification_groups g ON g.id = r.notification_group_id
         LEFT JOIN users u ON u.id = r.user_id
         WHERE g.company_id = ?1 ORDER BY r.id",
    )?;
    let rows = stmt.query_map([company_id], |row| {
        let group: u64 = row.get(0)?;
        let recipient = match row.get::<_, Option<u64>>(1)? {
            Some(user_id) => Recipient::User {
                user_id,
                name: row.get(2)?,
                email: row.get(3)?,
            },
            None => Recipient::Email { email: row.get(4)? },
        };
        Ok((group, recipient))
    })?;
    for row in rows {
        let (group, recipient) = row?;
        if let Some(g) = groups.iter_mut().find(|g| g.id == group) {
            g.recipients.push(recipient);
        }
    }
    Ok(groups)
}
