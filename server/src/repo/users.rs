use crate::db::{Db, DbError, RowExt, Tx};
use crate::{with_reader, with_tx, with_writer};
use services_model::{Company, Me, Role};

/// What authentication needs to know about a user.
pub struct Credentials {
    pub user_id: u64,
    pub company_id: u64,
    pub role: Role,
    /// `None` when no token was ever issued to the user.
    pub token_hash: Option<Vec<u8>>,
}

/// How a user came to exist (see the `users.kind` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserKind {
    Person,
    ServiceAccount,
    Demo,
}

impl UserKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UserKind::Person => "person",
            UserKind::ServiceAccount => "service_account",
            UserKind::Demo => "demo",
        }
    }
}

pub struct NewUser<'a> {
    pub company_id: u64,
    pub name: &'a str,
    pub email: &'a str,
    pub role: Role,
    pub kind: UserKind,
}

pub async fn insert_company(tx: &mut Tx, name: &str) -> Result<u64, DbError> {
    let id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar("INSERT INTO companies (name) VALUES ($1) RETURNING id")
            .bind(name)
            .fetch_one(&mut *conn)
            .await?
    });
    Ok(id as u64)
}

pub async fn company_name(db: &Db, id: u64) -> Result<Option<String>, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
            .bind(id as i64)
            .fetch_optional(&mut *conn)
            .await?
    }))
}

pub async fn insert_user(tx: &mut Tx, user: &NewUser<'_>) -> Result<u64, DbError> {
    let id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO users (company_id, name, email, role, kind) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(user.company_id as i64)
        .bind(user.name)
        .bind(user.email)
        .bind(user.role.as_str())
        .bind(user.kind.as_str())
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(id as u64)
}

/// Replaces the user's token (by its hash); returns whether the user exists.
pub async fn set_token_hash(tx: &mut Tx, user_id: u64, hash: &[u8]) -> Result<bool, DbError> {
    let done = with_tx!(tx, |conn| {
        sqlx::query("UPDATE users SET token_hash = $2 WHERE id = $1")
            .bind(user_id as i64)
            .bind(hash)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}

pub async fn insert_demo_credential(tx: &mut Tx, user_id: u64, token: &str) -> Result<(), DbError> {
    with_tx!(tx, |conn| {
        sqlx::query("INSERT INTO demo_credentials (user_id, token) VALUES ($1, $2)")
            .bind(user_id as i64)
            .bind(token)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    Ok(())
}

/// Whether the database holds demo data (users made by `--demo`).
pub async fn has_demo_users(db: &Db) -> Result<bool, DbError> {
    Ok(with_reader!(db, |conn| {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE kind = 'demo'")
            .fetch_one(&mut *conn)
            .await?
    }) > 0)
}

/// For authentication: read from the read pool, never the writer.
pub async fn credentials(db: &Db, user_id: u64) -> Result<Option<Credentials>, DbError> {
    let row = with_reader!(db, |conn| {
        sqlx::query("SELECT id, company_id, role, token_hash FROM users WHERE id = $1")
            .bind(user_id as i64)
            .fetch_optional(&mut *conn)
            .await?
            .map(|row| -> Result<Credentials, sqlx::Error> {
                Ok(Credentials {
                    user_id: row.id("id")?,
                    company_id: row.id("company_id")?,
                    role: role(&row.text("role")?)?,
                    token_hash: row.opt_bytes("token_hash")?,
                })
            })
    });
    Ok(row.transpose()?)
}

pub async fn me(db: &Db, user_id: u64) -> Result<Option<Me>, DbError> {
    let me = with_reader!(db, |conn| {
        sqlx::query(
            "SELECT u.id, u.name, u.email, u.role, c.id AS company_id, c.name AS company_name
             FROM users u JOIN companies c ON c.id = u.company_id WHERE u.id = $1",
        )
        .bind(user_id as i64)
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| me_from_row(&row))
    });
    Ok(me.transpose()?)
}

/// Demo users with their tokens, in id order: only those whose token still works (an operator
/// may have replaced it).
pub async fn demo_users(db: &Db) -> Result<Vec<(Me, String)>, DbError> {
    let rows = with_reader!(db, |conn| {
        sqlx::query(
            "SELECT u.id, u.name, u.email, u.role, u.token_hash, c.id AS company_id,
                    c.name AS company_name, d.token
             FROM demo_credentials d JOIN users u ON u.id = d.user_id
             JOIN companies c ON c.id = u.company_id ORDER BY u.id",
        )
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| -> Result<_, sqlx::Error> {
            Ok((
                me_from_row(row)?,
                row.text("token")?,
                row.opt_bytes("token_hash")?,
            ))
        })
        .collect::<Result<Vec<_>, _>>()?
    });
    Ok(rows
        .into_iter()
        .filter(|(_, token, hash)| {
            hash.as_deref() == Some(crate::auth::hash_token(token).as_slice())
        })
        .map(|(me, token, _)| (me, token))
        .collect())
}

/// Removes every demo credential (a user's token is no longer readable).
pub async fn forget_demo_credentials(db: &Db) -> Result<u64, DbError> {
    Ok(with_writer!(db, |conn| {
        sqlx::query("DELETE FROM demo_credentials")
            .execute(&mut *conn)
            .await?
            .rows_affected()
    }))
}

fn role(text: &str) -> Result<Role, sqlx::Error> {
    Role::parse(text).ok_or_else(|| super::bad_value("role", "role"))
}

fn me_from_row(row: &impl RowExt) -> Result<Me, sqlx::Error> {
    Ok(Me {
        id: row.id("id")?,
        name: row.text("name")?,
        email: row.text("email")?,
        role: role(&row.text("role")?)?,
        company: Company {
            id: row.id("company_id")?,
            name: row.text("company_name")?,
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
/// the company does not exist. Such users have no database token (`token_hash` NULL).
pub async fn upsert_external(db: &Db, user: &ExternalUser<'_>) -> Result<Option<u64>, DbError> {
    let mut tx = db.begin().await?;
    let company: Option<i64> = with_tx!(&mut tx, |conn| {
        sqlx::query_scalar("SELECT id FROM companies WHERE id = $1")
            .bind(user.company_id as i64)
            .fetch_optional(&mut *conn)
            .await?
    });
    if company.is_none() {
        return Ok(None);
    }
    let existing = with_tx!(&mut tx, |conn| {
        sqlx::query(
            "SELECT u.id, u.company_id, u.role, u.name, u.email
             FROM user_identities i JOIN users u ON u.id = i.user_id
             WHERE i.issuer = $1 AND i.subject = $2",
        )
        .bind(user.issuer)
        .bind(user.subject)
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| -> Result<_, sqlx::Error> {
            Ok((
                row.id("id")?,
                row.id("company_id")?,
                row.text("role")?,
                row.text("name")?,
                row.text("email")?,
            ))
        })
    })
    .transpose()?;
    let id = match existing {
        Some((id, company_id, role, name, email)) => {
            // An email another user holds stays as it was (emails are unique).
            let wanted = match user.email {
                Some(e) if e != email && email_free(&mut tx, e, Some(id)).await? => e.to_string(),
                _ => email.clone(),
            };
            if company_id != user.company_id
                || role != user.role.as_str()
                || name != user.name
                || wanted != email
            {
                with_tx!(&mut tx, |conn| {
                    sqlx::query(
                        "UPDATE users SET company_id = $2, role = $3, name = $4, email = $5 WHERE id = $1",
                    )
                    .bind(id as i64)
                    .bind(user.company_id as i64)
                    .bind(user.role.as_str())
                    .bind(user.name)
                    .bind(&wanted)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected()
                });
            }
            id
        }
        None => {
            let fallback = format!("{}@{}", user.subject, issuer_host(user.issuer));
            let mut email = match user.email {
                Some(e) if email_free(&mut tx, e, None).await? => e.to_string(),
                _ => fallback.clone(),
            };
            let mut n = 2;
            while !email_free(&mut tx, &email, None).await? {
                email = format!("{fallback}+{n}");
                n += 1;
            }
            let id = insert_user(
                &mut tx,
                &NewUser {
                    company_id: user.company_id,
                    name: user.name,
                    email: &email,
                    role: user.role,
                    kind: UserKind::Person,
                },
            )
            .await?;
            with_tx!(&mut tx, |conn| {
                sqlx::query(
                    "INSERT INTO user_identities (issuer, subject, user_id) VALUES ($1, $2, $3)",
                )
                .bind(user.issuer)
                .bind(user.subject)
                .bind(id as i64)
                .execute(&mut *conn)
                .await?
                .rows_affected()
            });
            id
        }
    };
    tx.commit().await?;
    Ok(Some(id))
}

async fn email_free(tx: &mut Tx, email: &str, except: Option<u64>) -> Result<bool, DbError> {
    let taken: Option<i64> = with_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND id <> $2")
            .bind(email)
            .bind(except.map_or(0, |id| id as i64))
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(taken.is_none())
}

/// `id.example` of `https://id.example/tenant/`: a readable stand-in for a missing email.
fn issuer_host(issuer: &str) -> &str {
    let rest = issuer.split_once("://").map_or(issuer, |(_, rest)| rest);
    rest.split('/')
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("identity-provider")
}
