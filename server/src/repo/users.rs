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

/// A user as the dashboard's identity provider describes them (see `jwt_users`).
pub struct ExternalUser<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    pub company_id: u64,
    pub role: Role,
    pub name: &'a str,
    pub email: Option<&'a str>,
}

/// The users row of an identity-provider user: created on first sight, updated when the
/// provider's claims changed, untouched otherwise (so repeated calls write nothing). `None` when
/// the company does not exist. JWT users get an empty `token_hash`: no `pw_` token matches it.
pub fn upsert_external(
    conn: &mut Connection,
    user: &ExternalUser<'_>,
) -> rusqlite::Result<Option<u64>> {
    let tx = conn.transaction()?;
    let company_exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM companies WHERE id = ?1)",
        [user.company_id],
        |row| row.get(0),
    )?;
    if !company_exists {
        return Ok(None);
    }
    let existing: Option<(u64, u64, String, String, String)> = tx
        .query_row(
            "SELECT u.id, u.company_id, u.role, u.name, u.email
             FROM user_identities i JOIN users u ON u.id = i.user_id
             WHERE i.issuer = ?1 AND i.subject = ?2",
            [user.issuer, user.subject],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            },
        )
        .optional()?;
    let email_free = |email: &str, except: Option<u64>| -> rusqlite::Result<bool> {
        tx.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM users WHERE email = ?1 AND id IS NOT ?2)",
            params![email, except],
            |row| row.get(0),
        )
    };
    let id = match existing {
        Some((id, company_id, role, name, email)) => {
            // An email another user holds stays as it was (emails are unique).
            let wanted = match user.email {
                Some(e) if e != email && email_free(e, Some(id))? => e.to_string(),
                _ => email.clone(),
            };
            if company_id != user.company_id
                || role != user.role.as_str()
                || name != user.name
                || wanted != email
            {
                tx.execute(
                    "UPDATE users SET company_id = ?2, role = ?3, name = ?4, email = ?5 WHERE id = ?1",
                    params![id, user.company_id, user.role.as_str(), user.name, wanted],
                )?;
            }
            id
        }
        None => {
            let fallback = format!("{}@{}", user.subject, issuer_host(user.issuer));
            let mut email = match user.email {
                Some(e) if email_free(e, None)? => e.to_string(),
                _ => fallback.clone(),
            };
            let mut n = 2;
            while !email_free(&email, None)? {
                email = format!("{fallback}+{n}");
                n += 1;
            }
            tx.execute(
                "INSERT INTO users (company_id, name, email, role, token_hash)
                 VALUES (?1, ?2, ?3, ?4, x'')",
                params![user.company_id, user.name, email, user.role.as_str()],
            )?;
            let id = tx.last_insert_rowid() as u64;
            tx.execute(
                "INSERT INTO user_identities (issuer, subject, user_id) VALUES (?1, ?2, ?3)",
                params![user.issuer, user.subject, id],
            )?;
            id
        }
    };
    tx.commit()?;
    Ok(Some(id))
}

/// `id.example` of `https://id.example/tenant/`: a readable stand-in for a missing email.
fn issuer_host(issuer: &str) -> &str {
    let rest = issuer.split_once("://").map_or(issuer, |(_, rest)| rest);
    rest.split('/')
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("identity-provider")
}
