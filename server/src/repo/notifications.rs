use crate::db::{Db, DbError, RowExt, Tx};
use crate::{with_reader, with_tx};
use services_model::{NotificationGroup, Recipient};

pub async fn insert_group(tx: &mut Tx, company_id: u64, name: &str) -> Result<u64, DbError> {
    let id: i64 = with_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO notification_groups (company_id, name) VALUES ($1, $2) RETURNING id",
        )
        .bind(company_id as i64)
        .bind(name)
        .fetch_one(&mut *conn)
        .await?
    });
    Ok(id as u64)
}

pub async fn add_user(tx: &mut Tx, group_id: u64, user_id: u64) -> Result<(), DbError> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO notification_recipients (notification_group_id, user_id) VALUES ($1, $2)",
        )
        .bind(group_id as i64)
        .bind(user_id as i64)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

pub async fn add_email(tx: &mut Tx, group_id: u64, email: &str) -> Result<(), DbError> {
    with_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO notification_recipients (notification_group_id, email) VALUES ($1, $2)",
        )
        .bind(group_id as i64)
        .bind(email)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    Ok(())
}

pub async fn exists(db: &Db, company_id: u64, id: u64) -> Result<bool, DbError> {
    let found: Option<i64> = with_reader!(db, |conn| {
        sqlx::query_scalar("SELECT id FROM notification_groups WHERE id = $1 AND company_id = $2")
            .bind(id as i64)
            .bind(company_id as i64)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(found.is_some())
}

pub async fn list(db: &Db, company_id: u64) -> Result<Vec<NotificationGroup>, DbError> {
    let (groups, recipients) = with_reader!(db, |conn| {
        let groups = sqlx::query(
            "SELECT id, name FROM notification_groups WHERE company_id = $1 ORDER BY id",
        )
        .bind(company_id as i64)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| -> Result<NotificationGroup, sqlx::Error> {
            Ok(NotificationGroup {
                id: row.id("id")?,
                name: row.text("name")?,
                recipients: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
        let recipients = sqlx::query(
            "SELECT r.notification_group_id AS group_id, r.user_id, u.name AS user_name,
                    u.email AS user_email, r.email
             FROM notification_recipients r
             JOIN notification_groups g ON g.id = r.notification_group_id
             LEFT JOIN users u ON u.id = r.user_id
             WHERE g.company_id = $1 ORDER BY r.id",
        )
        .bind(company_id as i64)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| -> Result<(u64, Recipient), sqlx::Error> {
            let recipient = match row.opt_id("user_id")? {
                Some(user_id) => Recipient::User {
                    user_id,
                    name: row.text("user_name")?,
                    email: row.text("user_email")?,
                },
                None => Recipient::Email {
                    email: row.text("email")?,
                },
            };
            Ok((row.id("group_id")?, recipient))
        })
        .collect::<Result<Vec<_>, _>>()?;
        (groups, recipients)
    });
    let mut groups = groups;
    for (group, recipient) in recipients {
        if let Some(g) = groups.iter_mut().find(|g| g.id == group) {
            g.recipients.push(recipient);
        }
    }
    Ok(groups)
}
