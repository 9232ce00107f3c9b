//! The time, as the API writes it: RFC 3339 in UTC, to the second.

use services_model::UtcTime;

fn since_epoch() -> std::time::Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

pub fn now_unix() -> i64 {
    since_epoch().as_secs() as i64
}

/// Unix milliseconds: run leases.
pub fn now_millis() -> i64 {
    since_epoch().as_millis() as i64
}

pub fn now() -> String {
    UtcTime::from_unix(now_unix()).to_string()
}

pub fn format(unix: i64) -> String {
    UtcTime::from_unix(unix).to_string()
}
