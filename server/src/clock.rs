//! The time, as the API writes it: RFC 3339 in UTC, to the second.

use services_model::UtcTime;

pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub fn now() -> String {
    UtcTime::from_unix(now_unix()).to_string()
}

pub fn format(unix: i64) -> String {
    UtcTime::from_unix(unix).to_string()
}
