//! The time, as the API writes it: RFC 3339 in UTC, to the second (the `time` crate).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants RFC 3339 can write.
const EARLIEST: i64 = -62_167_219_200;
const LATEST: i64 = 253_402_300_799;

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
    format(now_unix())
}

/// `2026-11-27T14:25:00Z` for a Unix time in seconds (clamped to the years 0000 to 9999).
pub fn format(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix.clamp(EARLIEST, LATEST))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

/// An RFC 3339 time from a client (`2026-11-27T09:00:00Z`, `2026-11-27T10:00:00.5+01:00`) as Unix
/// seconds, rounded up to the whole second, since the database stores whole seconds.
pub fn parse(text: &str) -> Option<i64> {
    let time = services_model::parse_rfc3339(text)?;
    Some(time.unix_timestamp() + i64::from(time.nanosecond() > 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_rfc3339() {
        assert_eq!(format(0), "1970-01-01T00:00:00Z");
        assert_eq!(format(1_795_789_500), "2026-11-27T14:25:00Z");
        assert_eq!(format(-1), "1969-12-31T23:59:59Z");
        assert_eq!(
            format(i64::MAX),
            "9999-12-31T23:59:59Z",
            "clamped, not a panic"
        );
        assert_eq!(format(i64::MIN), "0000-01-01T00:00:00Z");
        assert_eq!(parse("2026-11-27T14:25:00Z"), Some(1_795_789_500));
        assert_eq!(parse("2026-11-27T15:25:00+01:00"), Some(1_795_789_500));
        assert_eq!(
            parse("2026-11-27T14:24:59.2Z"),
            Some(1_795_789_500),
            "fractions round up to the next second"
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T14:25:00",
            "2026-11-27T14:25:0é",
            "2026-11-27T14:25:0\u{e9}Z",
            "2026-11-27T14:25:00.Z",
            "+026-11-27T14:25:00Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
