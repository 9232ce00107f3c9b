//! Schedules and times in the user's time zone, given its offset from UTC in minutes (the
//! browser knows it; this crate has no clock or zone database). Cron schedules are UTC; where the
//! local words differ, both are given: "Daily at 07:15 (06:15 UTC)".

use crate::cron::{Cron, WEEKDAYS};
use time::{OffsetDateTime, UtcOffset};

fn clock(minute_of_day: i32) -> String {
    format!("{:02}:{:02}", minute_of_day / 60, minute_of_day % 60)
}

fn join(times: &[String]) -> String {
    match times {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    }
}

/// "Daily", "Twice daily", "Weekdays", "Mondays, Wednesdays".
fn when(times: usize, weekdays: Option<&[u16]>) -> String {
    match weekdays {
        None if times == 2 => "Twice daily".into(),
        None => "Daily".into(),
        Some([1, 2, 3, 4, 5]) => "Weekdays".into(),
        Some(days) => days
            .iter()
            .map(|d| WEEKDAYS[*d as usize % 7])
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The schedule in words at `offset_minutes` east of UTC, with the UTC times in brackets where
/// they differ: "Daily at 07:15 (06:15 UTC)", "Mondays at 00:30 (Sundays at 23:30 UTC)". Shapes
/// without times of day ("Every 15 minutes"), and offset 0, read as [`Cron::describe`] does.
pub fn describe_at_offset(cron: &Cron, offset_minutes: i32) -> String {
    let utc = cron.describe();
    if offset_minutes == 0 {
        return utc;
    }
    let Some((minute, hours, weekdays)) = cron.times_of_day() else {
        return utc;
    };
    let mut day_shift = None;
    let mut local: Vec<i32> = Vec::with_capacity(hours.len());
    for hour in &hours {
        let at = i32::from(*hour) * 60 + i32::from(minute) + offset_minutes;
        let shift = at.div_euclid(24 * 60);
        // On given weekdays, every time must move to the same day, or words can't say it.
        if weekdays.is_some() && day_shift.is_some_and(|s| s != shift) {
            return utc;
        }
        day_shift = Some(shift);
        local.push(at.rem_euclid(24 * 60));
    }
    local.sort_unstable();
    let local_days = weekdays.as_ref().map(|days| {
        let shift = day_shift.unwrap_or(0);
        let mut moved: Vec<u16> = days
            .iter()
            .map(|d| (i32::from(*d) + shift).rem_euclid(7) as u16)
            .collect();
        moved.sort_unstable();
        moved
    });
    let utc_times: Vec<String> = hours
        .iter()
        .map(|h| clock(i32::from(*h) * 60 + i32::from(minute)))
        .collect();
    let local_times: Vec<String> = local.iter().map(|m| clock(*m)).collect();
    let local_when = when(local.len(), local_days.as_deref());
    let utc_when = when(hours.len(), weekdays.as_deref());
    let utc_part = if local_when == utc_when {
        format!("{} UTC", join(&utc_times))
    } else {
        format!("{utc_when} at {} UTC", join(&utc_times))
    };
    format!("{local_when} at {} ({utc_part})", join(&local_times))
}

/// `unix` seconds as wall-clock time at `offset_minutes` east of UTC: `2026-11-27 10:15:02`.
pub fn wall_clock(unix: i64, offset_minutes: i32) -> Option<String> {
    let offset = UtcOffset::from_whole_seconds(offset_minutes.checked_mul(60)?).ok()?;
    let t = OffsetDateTime::from_unix_timestamp(unix)
        .ok()?
        .to_offset(offset);
    Some(format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

/// An offset as people write it: "UTC+01:00", "UTC−05:30" ("UTC" for 0).
pub fn offset_label(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".into();
    }
    let sign = if offset_minutes > 0 { '+' } else { '-' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// How far `at` is from `now` (Unix seconds) as the list says it: "just now", "5 min ago",
/// "3 h ago", "2 d ago", or "in 5 min", "in 3 h" for times to come.
pub fn relative(at: i64, now: i64) -> String {
    let delta = now - at;
    let span = delta.unsigned_abs();
    if span < 60 {
        return "just now".into();
    }
    let amount = if span < 3_600 {
        format!("{} min", span / 60)
    } else if span < 86_400 {
        format!("{} h", span / 3_600)
    } else {
        format!("{} d", span / 86_400)
    };
    if delta > 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_times_read_as_the_list_says_them() {
        use super::relative;
        let now = 1_800_000_000;
        assert_eq!(relative(now, now), "just now");
        assert_eq!(relative(now - 59, now), "just now");
        assert_eq!(relative(now - 60, now), "1 min ago");
        assert_eq!(relative(now - 3 * 3_600 - 59, now), "3 h ago");
        assert_eq!(relative(now - 2 * 86_400, now), "2 d ago");
        assert_eq!(relative(now + 12 * 60, now), "in 12 min");
        assert_eq!(relative(now + 5 * 3_600, now), "in 5 h");
    }

    use super::*;

    fn words(cron: &str, offset: i32) -> String {
        describe_at_offset(&Cron::parse(cron).unwrap(), offset)
    }

    #[test]
    fn times_of_day_read_in_local_time_with_utc_in_brackets() {
        assert_eq!(words("15 6 * * *", 60), "Daily at 07:15 (06:15 UTC)");
        assert_eq!(words("15 6 * * *", 0), "Daily at 06:15 UTC");
        assert_eq!(
            words("0 1,13 * * *", -300),
            "Twice daily at 08:00 and 20:00 (01:00 and 13:00 UTC)"
        );
        assert_eq!(words("30 6 * * 1-5", 330), "Weekdays at 12:00 (06:30 UTC)");
        // The day moves with the time.
        assert_eq!(
            words("30 23 * * 0", 60),
            "Mondays at 00:30 (Sundays at 23:30 UTC)"
        );
        assert_eq!(
            words("0 2 * * 1-5", -180),
            "Sundays, Mondays, Tuesdays, Wednesdays, Thursdays at 23:00 (Weekdays at 02:00 UTC)"
        );
        // Every day: only the times move (and are sorted).
        assert_eq!(
            words("0 1,23 * * *", 120),
            "Twice daily at 01:00 and 03:00 (01:00 and 23:00 UTC)"
        );
    }

    #[test]
    fn shapes_without_a_time_of_day_read_as_in_utc() {
        for cron in [
            "*/15 * * * *",
            "0 * * * *",
            "0 */6 * * *",
            "0 0 1 * *",
            "0 0 L * *",
        ] {
            let c = Cron::parse(cron).unwrap();
            assert_eq!(describe_at_offset(&c, 90), c.describe(), "{cron}");
        }
        // Weekday times that would land on different days stay in UTC.
        assert_eq!(words("0 1,23 * * 1", 120), "Mondays at 01:00 and 23:00 UTC");
    }

    #[test]
    fn wall_clock_and_offset_labels() {
        assert_eq!(wall_clock(0, 60).unwrap(), "1970-01-01 01:00:00");
        assert_eq!(wall_clock(0, -330).unwrap(), "1969-12-31 18:30:00");
        assert_eq!(offset_label(60), "UTC+01:00");
        assert_eq!(offset_label(-330), "UTC-05:30");
        assert_eq!(offset_label(0), "UTC");
        assert!(wall_clock(0, 100_000).is_none());
    }
}
