//! Abuse limits, counted with governor's GCRA rate limiters: failed sign-ins per client address,
//! and writes per user (token) and per client address. Over a limit, the answer is a 429 with
//! `Retry-After` and a JSON body. A client over its failed sign-in limit is refused before its
//! token is even looked at, so a stream of bad tokens never reaches the database.

use crate::error::ApiError;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many of each a client may do per minute (each also its burst); 0 turns a limit off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimitSettings {
    /// Requests with a bad token, per client address.
    pub auth_failures_per_minute: u32,
    /// Changes (POST, PATCH, PUT, DELETE) per signed-in user.
    pub writes_per_minute_per_user: u32,
    /// Changes per client address, whoever signs them, and CSP reports.
    pub writes_per_minute_per_client: u32,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            auth_failures_per_minute: 30,
            writes_per_minute_per_user: 120,
            writes_per_minute_per_client: 600,
        }
    }
}

/// At most this many client addresses are remembered as blocked; older entries go first.
const MAX_BLOCKED: usize = 100_000;

#[derive(Clone)]
pub struct Limits(Arc<Inner>);

struct Inner {
    auth_failures: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// Clients over their failed sign-in limit, and until when.
    blocked: Mutex<HashMap<IpAddr, Instant>>,
    user_writes: Option<DefaultKeyedRateLimiter<u64>>,
    client_writes: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

fn limiter<K: Hash + Eq + Clone>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

/// The wait a limiter asks for, or `None` when the request may go ahead.
fn wait<K: Hash + Eq + Clone>(
    limiter: &Option<DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Option<Duration> {
    let limiter = limiter.as_ref()?;
    limiter
        .check_key(key)
        .err()
        .map(|not_until| not_until.wait_time_from(limiter.clock().now()))
}

fn seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl Limits {
    pub fn new(settings: LimitSettings) -> Limits {
        Limits(Arc::new(Inner {
            auth_failures: limiter(settings.auth_failures_per_minute),
            blocked: Mutex::new(HashMap::new()),
            user_writes: limiter(settings.writes_per_minute_per_user),
            client_writes: limiter(settings.writes_per_minute_per_client),
        }))
    }

    fn blocked(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Instant>> {
        self.0.blocked.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn sign_in_refused(wait: Duration) -> ApiError {
        let s = seconds(wait);
        ApiError::too_many(
            format!("Too many failed sign-ins from your address. Try again in {s} seconds."),
            s,
        )
    }

    /// A 429 if this client is still serving time for failed sign-ins.
    pub fn check_sign_in(&self, client: IpAddr) -> Result<(), ApiError> {
        let mut blocked = self.blocked();
        match blocked.get(&client) {
            Some(until) if *until > Instant::now() => {
                Err(Self::sign_in_refused(*until - Instant::now()))
            }
            Some(_) => {
                blocked.remove(&client);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts a failed sign-in; returns the 429 to send instead of `refusal` once the client
    /// is over its limit.
    pub fn failed_sign_in(&self, client: IpAddr, refusal: ApiError) -> ApiError {
        let Some(wait) = wait(&self.0.auth_failures, &client) else {
            return refusal;
        };
        let mut blocked = self.blocked();
        if blocked.len() >= MAX_BLOCKED {
            let now = Instant::now();
            blocked.retain(|_, until| *until > now);
            if blocked.len() >= MAX_BLOCKED {
                blocked.clear();
            }
        }
        blocked.insert(client, Instant::now() + wait);
        tracing::warn!(%client, "too many failed sign-ins; refusing this client for a while");
        Self::sign_in_refused(wait)
    }

    /// Counts a change by `user` from `client`.
    pub fn write(&self, client: IpAddr, user: u64) -> Result<(), ApiError> {
        if let Some(wait) = wait(&self.0.user_writes, &user) {
            let s = seconds(wait);
            return Err(ApiError::too_many(
                format!("You are making changes too quickly. Try again in {s} seconds."),
                s,
            ));
        }
        self.client_write(client)
    }

    /// Counts a write from `client` (a change, or a CSP report).
    pub fn client_write(&self, client: IpAddr) -> Result<(), ApiError> {
        match wait(&self.0.client_writes, &client) {
            Some(wait) => {
                let s = seconds(wait);
                Err(ApiError::too_many(
                    format!("Too many changes from your address. Try again in {s} seconds."),
                    s,
                ))
            }
            None => Ok(()),
        }
    }

    /// Forgets clients and users that have been quiet long enough to be back at full quota, so
    /// memory stays bounded by recent traffic.
    pub fn forget_quiet(&self) {
        for limiter in [&self.0.auth_failures, &self.0.client_writes]
            .into_iter()
            .flatten()
        {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        if let Some(limiter) = &self.0.user_writes {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        let now = Instant::now();
        self.blocked().retain(|_, until| *until > now);
    }

    /// Runs [`Limits::forget_quiet`] every minute.
    pub fn spawn_cleanup(&self) -> tokio::task::JoinHandle<()> {
        let limits = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                limits.forget_quiet();
            }
        })
    }
}

/// The address a request came from: the TCP peer, or with `--trust-forwarded-for` the last
/// address in `X-Forwarded-For` (the one the trusted proxy in front of us added).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(client_ip(parts))
    }
}

fn client_ip(parts: &Parts) -> ClientIp {
    parts
        .extensions
        .get::<ClientIp>()
        .copied()
        .unwrap_or_else(|| {
            ClientIp(
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()),
            )
        })
}

/// The last valid address in an `X-Forwarded-For` header.
pub fn forwarded_for(value: &str) -> Option<IpAddr> {
    value.rsplit(',').next()?.trim().parse().ok()
}

/// Middleware: records the [`ClientIp`] of every request.
pub async fn record_client(
    State(trust_forwarded_for): State<bool>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
    let forwarded = trust_forwarded_for
        .then(|| {
            request
                .headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(forwarded_for)
        })
        .flatten();
    request
        .extensions_mut()
        .insert(ClientIp(forwarded.unwrap_or(peer)));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, 0, 0, last))
    }

    #[test]
    fn failed_sign_ins_block_only_that_client_after_its_quota() {
        let limits = Limits::new(LimitSettings {
            auth_failures_per_minute: 3,
            ..LimitSettings::default()
        });
        let refusal = || ApiError::new(axum::http::StatusCode::UNAUTHORIZED, "unauthorized", "no");
        for _ in 0..3 {
            assert!(limits.check_sign_in(ip(1)).is_ok());
            assert_eq!(limits.failed_sign_in(ip(1), refusal()).status, 401);
        }
        let over = limits.failed_sign_in(ip(1), refusal());
        assert_eq!(over.status, 429);
        assert!(
            (1..=20).contains(&over.retry_after.unwrap()),
            "{:?}",
            over.retry_after
        );
        let blocked = limits.check_sign_in(ip(1)).unwrap_err();
        assert_eq!(blocked.status, 429);
        assert!(
            limits.check_sign_in(ip(2)).is_ok(),
            "another client is not blocked"
        );
    }

    #[test]
    fn writes_are_limited_per_user_and_per_client() {
        let limits = Limits::new(LimitSettings {
            auth_failures_per_minute: 0,
            writes_per_minute_per_user: 2,
            writes_per_minute_per_client: 3,
        });
        assert!(limits.write(ip(1), 7).is_ok());
        assert!(limits.write(ip(1), 7).is_ok());
        assert_eq!(
            limits.write(ip(1), 7).unwrap_err().status,
            429,
            "user 7 is over"
        );
        assert!(
            limits.write(ip(1), 8).is_ok(),
            "user 8 still may, from the same client"
        );
        let over = limits.write(ip(1), 9).unwrap_err();
        assert_eq!(over.status, 429, "the client is over");
        assert!(over.message.contains("address"), "{}", over.message);
        assert!(limits.write(ip(2), 9).is_ok());
    }

    #[test]
    fn zero_turns_a_limit_off() {
        let limits = Limits::new(LimitSettings {
            auth_failures_per_minute: 0,
            writes_per_minute_per_user: 0,
            writes_per_minute_per_client: 0,
        });
        for _ in 0..1000 {
            assert!(limits.write(ip(1), 1).is_ok());
            let refusal = ApiError::new(axum::http::StatusCode::UNAUTHORIZED, "unauthorized", "no");
            assert_eq!(limits.failed_sign_in(ip(1), refusal).status, 401);
        }
    }

    #[test]
    fn forwarded_for_takes_the_last_address() {
        assert_eq!(forwarded_for("203.0.113.9, 10.0.0.1"), Some(ip(1)));
        assert_eq!(forwarded_for("10.0.0.2"), Some(ip(2)));
        assert_eq!(forwarded_for("::1").map(|a| a.is_loopback()), Some(true));
        assert_eq!(forwarded_for("10.0.0.1, not-an-ip"), None);
        assert_eq!(forwarded_for(""), None);
    }
}
