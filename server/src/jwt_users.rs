//! A stable user id for every identity-provider user: the first request of an issuer + subject
//! creates its `users` row (runs record who asked for them), later ones find it. The answer is
//! cached, so a steady stream of requests with the same claims touches the database only once
//! every [`FRESH_FOR`] and never writes.

use crate::db::{Db, DbError};
use crate::jwt::Identity;
use crate::repo;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a cached user is trusted before the row is read again (it may have been removed).
pub const FRESH_FOR: Duration = Duration::from_secs(300);
/// Entries kept at most; the cache starts over when full.
const CAPACITY: usize = 10_000;

#[derive(Clone, Default)]
pub struct JwtUsers(Arc<Mutex<HashMap<(String, String), Cached>>>);

struct Cached {
    identity: Identity,
    user_id: u64,
    at: Instant,
}

impl JwtUsers {
    fn cached(&self, identity: &Identity) -> Option<u64> {
        let cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let entry = cache.get(&(identity.issuer.clone(), identity.subject.clone()))?;
        (entry.identity == *identity && entry.at.elapsed() < FRESH_FOR).then_some(entry.user_id)
    }

    /// The user id of this identity; `None` when its company does not exist.
    pub async fn user_id(&self, db: &Db, identity: &Identity) -> Result<Option<u64>, DbError> {
        if let Some(id) = self.cached(identity) {
            return Ok(Some(id));
        }
        let id = repo::users::upsert_external(
            db,
            &repo::users::ExternalUser {
                issuer: &identity.issuer,
                subject: &identity.subject,
                company_id: identity.company_id,
                role: identity.role,
                name: &identity.name,
                email: identity.email.as_deref(),
            },
        )
        .await?;
        if let Some(user_id) = id {
            let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
            if cache.len() >= CAPACITY {
                cache.clear();
            }
            cache.insert(
                (identity.issuer.clone(), identity.subject.clone()),
                Cached {
                    identity: identity.clone(),
                    user_id,
                    at: Instant::now(),
                },
            );
        }
        Ok(id)
    }
}
