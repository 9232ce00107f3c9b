//! Service schedules: 5-field cron expressions (minute hour day-of-month month day-of-week) in
//! UTC, parsed and evaluated by the `croner` crate on the `time` crate's calendar. Crontab's
//! forms work: numbers, `*`, ranges, steps, lists, names (`MON`, `JAN`) and `7` for Sunday; so do
//! croner's `L`, `W` and `#`. [`Cron::describe`] puts the common shapes into words, as the list
//! shows them.

use croner::errors::CronError as CronerError;
use croner::parser::{CronParser, Seconds, Year};
use croner::time::{CivilDate, CivilDateTime, CivilTime, CronDateTime, Resolution, Weekday};
use std::cmp::Ordering;
use std::fmt;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Expressions longer than this are refused before parsing.
pub const MAX_LENGTH: usize = 200;

/// A parsed, validated cron expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    inner: croner::Cron,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronError(pub String);

impl fmt::Display for CronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CronError {}

/// A UTC wall-clock time, as croner searches it (the adapter croner asks for to use a date
/// library other than chrono or jiff).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Utc(PrimitiveDateTime);

impl Utc {
    fn of(at: OffsetDateTime) -> Utc {
        let at = at.to_offset(UtcOffset::UTC);
        Utc(PrimitiveDateTime::new(at.date(), at.time()))
    }

    /// The minute that contains `at`.
    fn minute_of(at: OffsetDateTime) -> Utc {
        let Utc(civil) = Utc::of(at);
        let minute = Time::from_hms(civil.hour(), civil.minute(), 0).unwrap_or(civil.time());
        Utc(civil.replace_time(minute))
    }
}

impl CronDateTime for Utc {
    fn to_civil(&self) -> CivilDateTime {
        let d = self.0;
        CivilDateTime::new(
            CivilDate::from_parts_unchecked(
                d.year(),
                u32::from(u8::from(d.month())),
                u32::from(d.day()),
            ),
            CivilTime::from_parts_unchecked(
                u32::from(d.hour()),
                u32::from(d.minute()),
                u32::from(d.second()),
            ),
        )
    }

    fn civil_weekday(&self) -> Weekday {
        Weekday::from_days_from_sunday(u32::from(self.0.weekday().number_days_from_sunday()))
    }

    fn resolve_civil(&self, civil: CivilDateTime) -> Result<Resolution<Self>, CronerError> {
        let part = |n: u32| u8::try_from(n).map_err(|_| CronerError::InvalidDate);
        let month = Month::try_from(part(civil.month())?).map_err(|_| CronerError::InvalidDate)?;
        let date = Date::from_calendar_date(civil.year(), month, part(civil.day())?)
            .map_err(|_| CronerError::InvalidDate)?;
        let time = Time::from_hms(
            part(civil.hour())?,
            part(civil.minute())?,
            part(civil.second())?,
        )
        .map_err(|_| CronerError::InvalidTime)?;
        Ok(Resolution::Single(Utc(PrimitiveDateTime::new(date, time))))
    }

    fn checked_add_seconds(&self, seconds: i64) -> Option<Self> {
        self.0
            .checked_add(time::Duration::seconds(seconds))
            .map(Utc)
    }

    fn cmp_instant(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
}

impl Cron {
    pub fn parse(expression: &str) -> Result<Cron, CronError> {
        if expression.len() > MAX_LENGTH {
            return Err(CronError(format!(
                "a schedule can have at most {MAX_LENGTH} characters"
            )));
        }
        let fields = expression.split_whitespace().count();
        if fields != 5 {
            return Err(CronError(format!(
                "a schedule needs 5 fields (minute hour day-of-month month day-of-week), found {fields}"
            )));
        }
        // croner replaces names anywhere in the expression; crontab reads them only in the month
        // and day-of-week fields.
        for (field, name) in expression
            .split_whitespace()
            .zip(["minute", "hour", "day-of-month"])
        {
            let allowed = |c: char| {
                c.is_ascii_digit()
                    || "*,-/".contains(c)
                    || (name == "day-of-month" && "LWlw?".contains(c))
            };
            if let Some(c) = field.chars().find(|c| !allowed(*c)) {
                return Err(CronError(format!(
                    "the {name} field \"{field}\" can't contain \"{c}\""
                )));
            }
        }
        CronParser::builder()
            .seconds(Seconds::Disallowed)
            .year(Year::Disallowed)
            .build()
            .parse(expression)
            .map(|inner| Cron { inner })
            .map_err(|e| CronError(format!("\"{expression}\" is not a valid schedule: {e}")))
    }

    /// Whether the schedule fires in the minute that contains `at`.
    pub fn matches(&self, at: OffsetDateTime) -> bool {
        self.inner
            .is_time_matching(&Utc::minute_of(at))
            .unwrap_or(false)
    }

    /// The first minute strictly after `after` when the schedule fires, in UTC; `None` for
    /// schedules that never fire (e.g. 30 February).
    pub fn next_after(&self, after: OffsetDateTime) -> Option<OffsetDateTime> {
        let next = self
            .inner
            .find_next_occurrence(&Utc::of(after), false)
            .ok()?;
        Some(next.0.assume_utc())
    }
}

pub(crate) const WEEKDAYS: [&str; 7] = [
    "Sundays",
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
];

/// `Some(n)` when `values` are exactly `min, min+n, min+2n, …` up to `max` (`*/n`); `n` is 1
/// for the whole range.
fn every(values: &[u16], min: u16, max: u16) -> Option<u16> {
    let step = match values {
        [first, second, ..] if *first == min => second - first,
        _ => return None,
    };
    let expected = (min..=max).step_by(usize::from(step));
    (values.iter().copied().eq(expected)).then_some(step)
}

fn single(values: &[u16]) -> Option<u16> {
    match values {
        [one] => Some(*one),
        _ => None,
    }
}

fn plural(n: u16, unit: &str) -> String {
    if n == 1 {
        format!("Every {unit}")
    } else {
        format!("Every {n} {unit}s")
    }
}

impl Cron {
    /// For a schedule at fixed times of day (one minute, up to four hours) on every day or on
    /// some weekdays, as [`Cron::describe`] words it: the minute, the hours, and the weekdays
    /// (`None`: every day). `None` for every other shape.
    pub(crate) fn times_of_day(&self) -> Option<(u16, Vec<u16>, Option<Vec<u16>>)> {
        let p = &self.inner.pattern;
        if p.days.has_modifiers() || p.days_of_week.has_modifiers() || p.matches_dom_and_dow() {
            return None;
        }
        let minutes = p.minutes.values();
        let hours = p.hours.values();
        let any_day = every(&p.days.values(), 1, 31) == Some(1)
            && every(&p.months.values(), 1, 12) == Some(1);
        let mut weekdays = p.days_of_week.values();
        weekdays.retain(|d| *d < 7);
        weekdays.dedup();
        let all_week = every(&weekdays, 0, 6) == Some(1);
        let minute = single(&minutes)?;
        if !any_day || hours.is_empty() || hours.len() > 4 || weekdays.is_empty() {
            return None;
        }
        if all_week && every(&hours, 0, 23).is_some() {
            return None;
        }
        Some((minute, hours, (!all_week).then_some(weekdays)))
    }
}

impl Cron {
    /// The schedule in words, as the list shows it: "Every 15 minutes", "Daily at 02:00 UTC".
    /// Falls back to "Custom schedule" for shapes it does not put into words.
    pub fn describe(&self) -> String {
        let p = &self.inner.pattern;
        if p.days.has_modifiers() || p.days_of_week.has_modifiers() || p.matches_dom_and_dow() {
            return "Custom schedule".into();
        }
        let minutes = p.minutes.values();
        let hours = p.hours.values();
        let days = p.days.values();
        let months = p.months.values();
        let mut weekdays = p.days_of_week.values();
        weekdays.retain(|d| *d < 7);
        weekdays.dedup();
        let any_day = every(&days, 1, 31) == Some(1) && every(&months, 1, 12) == Some(1);
        let all_week = every(&weekdays, 0, 6) == Some(1);

        if any_day && all_week && every(&hours, 0, 23) == Some(1) {
            if let Some(n) = every(&minutes, 0, 59) {
                return plural(n, "minute");
            }
            if let Some(m) = single(&minutes) {
                return if m == 0 {
                    "Every hour".into()
                } else {
                    format!("Every hour at :{m:02}")
                };
            }
        }
        if any_day && all_week {
            if let (Some(m), Some(n)) = (single(&minutes), every(&hours, 0, 23)) {
                let base = plural(n, "hour");
                return if m == 0 {
                    base
                } else {
                    format!("{base} at :{m:02}")
                };
            }
        }
        let Some(minute) = single(&minutes) else {
            return "Custom schedule".into();
        };
        if hours.is_empty() || hours.len() > 4 {
            return "Custom schedule".into();
        }
        let times: Vec<String> = hours
            .iter()
            .map(|h| format!("{h:02}:{minute:02}"))
            .collect();
        let at = match times.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => return "Custom schedule".into(),
        };
        let when = if any_day && all_week {
            Some(
                if times.len() == 2 {
                    "Twice daily"
                } else {
                    "Daily"
                }
                .to_string(),
            )
        } else if any_day {
            if weekdays == [1, 2, 3, 4, 5] {
                Some("Weekdays".into())
            } else {
                let names: Vec<&str> = weekdays.iter().map(|d| WEEKDAYS[*d as usize]).collect();
                Some(names.join(", "))
            }
        } else if all_week && every(&months, 1, 12) == Some(1) {
            single(&days).map(|d| format!("Monthly on day {d}"))
        } else {
            None
        };
        match when {
            Some(when) => format!("{when} at {at} UTC"),
            None => "Custom schedule".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_crontab_schedules_with_names_and_seven_for_sunday() {
        for ok in [
            "*/15 * * * *",
            "0 2 * * *",
            "30 8 * * 1-5",
            "0 0 1 * *",
            "0 */2 * * *",
            "5,35 9-17 * 1,6 0",
            "0 0 * * 7",
            "0 0 * * SUN",
            "0 9 * * MON-FRI",
            "0 9 * * mon,wed",
            "0 0 1 JAN *",
            "0 12 * * 5-7",
        ] {
            assert!(
                Cron::parse(ok).is_ok(),
                "{ok} should parse: {:?}",
                Cron::parse(ok)
            );
        }
    }

    #[test]
    fn rejects_wrong_field_count_and_out_of_range_values() {
        assert!(Cron::parse("* * * *").unwrap_err().0.contains("5 fields"));
        assert!(Cron::parse("0 0 * * * *")
            .unwrap_err()
            .0
            .contains("5 fields"));
        assert!(Cron::parse("").unwrap_err().0.contains("5 fields"));
        for bad in [
            "60 * * * *",
            "0 24 * * *",
            "0 0 0 * *",
            "0 0 * 13 *",
            "0 0 * * 8",
            "*/0 * * * *",
            "5-1 * * * *",
            "MON * * * *",
            "a b c d e",
            "é * * * *",
        ] {
            assert!(Cron::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(Cron::parse(&format!("0 0 * * {}", "1,".repeat(200)))
            .unwrap_err()
            .0
            .contains("at most"));
    }

    fn at(text: &str) -> OffsetDateTime {
        crate::parse_rfc3339(text).unwrap()
    }

    fn next(cron: &str, after: &str) -> String {
        let next = Cron::parse(cron).unwrap().next_after(at(after)).unwrap();
        let expected_offset = next.offset();
        assert_eq!(expected_offset, UtcOffset::UTC);
        let (d, t) = (next.date(), next.time());
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            d.year(),
            u8::from(d.month()),
            d.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    #[test]
    fn next_run_times() {
        assert_eq!(
            next("*/15 * * * *", "2026-11-27T14:05:10Z"),
            "2026-11-27T14:15:00Z"
        );
        assert_eq!(
            next("*/15 * * * *", "2026-11-27T14:15:00Z"),
            "2026-11-27T14:30:00Z",
            "strictly after"
        );
        assert_eq!(
            next("*/15 * * * *", "2026-11-27T23:50:00Z"),
            "2026-11-28T00:00:00Z"
        );
        assert_eq!(
            next("0 2 * * *", "2026-11-27T14:05:00Z"),
            "2026-11-28T02:00:00Z"
        );
        assert_eq!(
            next("30 6 * * 1-5", "2026-11-27T07:00:00Z"),
            "2026-11-30T06:30:00Z",
            "Friday to Monday"
        );
        assert_eq!(
            next("0 0 1 * *", "2026-12-15T00:00:00Z"),
            "2027-01-01T00:00:00Z"
        );
        assert_eq!(
            next("0 0 29 2 *", "2026-03-01T00:00:00Z"),
            "2028-02-29T00:00:00Z"
        );
        // Both day fields restricted: the 1st of the month OR a Sunday.
        assert_eq!(
            next("0 0 1 * 0", "2026-11-27T00:00:00Z"),
            "2026-11-29T00:00:00Z"
        );
        assert_eq!(
            next("0 0 1 * 7", "2026-11-27T00:00:00Z"),
            "2026-11-29T00:00:00Z"
        );
        assert_eq!(
            next("0 1,13 * * *", "2026-11-27T01:00:00Z"),
            "2026-11-27T13:00:00Z"
        );
        assert_eq!(
            next("0 9 * * SAT", "2026-11-27T10:00:00Z"),
            "2026-11-28T09:00:00Z"
        );
        assert_eq!(
            Cron::parse("0 0 30 2 *")
                .unwrap()
                .next_after(at("1970-01-01T00:00:00Z")),
            None
        );
    }

    #[test]
    fn describes_schedules_in_words() {
        let words = |c: &str| Cron::parse(c).unwrap().describe();
        assert_eq!(words("*/15 * * * *"), "Every 15 minutes");
        assert_eq!(words("* * * * *"), "Every minute");
        assert_eq!(words("0 * * * *"), "Every hour");
        assert_eq!(words("5 * * * *"), "Every hour at :05");
        assert_eq!(words("0 */2 * * *"), "Every 2 hours");
        assert_eq!(words("0 2 * * *"), "Daily at 02:00 UTC");
        assert_eq!(words("0 1,13 * * *"), "Twice daily at 01:00 and 13:00 UTC");
        assert_eq!(
            words("0 6,12,18 * * *"),
            "Daily at 06:00, 12:00 and 18:00 UTC"
        );
        assert_eq!(words("30 6 * * 1-5"), "Weekdays at 06:30 UTC");
        assert_eq!(words("30 6 * * MON-FRI"), "Weekdays at 06:30 UTC");
        assert_eq!(words("0 0 * * 0"), "Sundays at 00:00 UTC");
        assert_eq!(words("0 0 * * 7"), "Sundays at 00:00 UTC");
        assert_eq!(words("0 0 * * SUN"), "Sundays at 00:00 UTC");
        assert_eq!(words("0 9 * * 1,3"), "Mondays, Wednesdays at 09:00 UTC");
        assert_eq!(words("0 0 1 * *"), "Monthly on day 1 at 00:00 UTC");
        assert_eq!(words("*/5 9-17 * * 1-5"), "Custom schedule");
        assert_eq!(words("0 0 1 6 *"), "Custom schedule");
        assert_eq!(words("0 9-17 * * *"), "Custom schedule");
        assert_eq!(words("0 0 L * *"), "Custom schedule");
    }

    #[test]
    fn matches_the_minute() {
        let cron = Cron::parse("*/15 9-17 * * 1-5").unwrap();
        assert!(cron.matches(at("2026-11-27T09:45:30Z")));
        assert!(cron.matches(at("2026-11-27T09:45:00.999Z")));
        assert!(!cron.matches(at("2026-11-27T09:46:00Z")));
        assert!(!cron.matches(at("2026-11-27T18:00:00Z")));
        assert!(!cron.matches(at("2026-11-28T10:00:00Z")), "a Saturday");
        let sundays = Cron::parse("0 0 * * 7").unwrap();
        assert!(sundays.matches(at("2026-11-29T00:00:00Z")), "7 is Sunday");
    }
}
