//! Standard 5-field cron expressions (minute hour day-of-month month day-of-week), in UTC,
//! as Patchworks schedules use them. Six- and seven-field forms are not supported.

use crate::time::{days_in_month, UtcTime};
use std::fmt;

/// The five fields, in order, with their allowed ranges.
const FIELDS: [(&str, u8, u8); 5] = [
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 6),
];

/// One comma-separated part of a field: `*`, `5`, `1-5`, each optionally with a `/step`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronPart {
    /// `None` means the whole range (`*`).
    pub range: Option<(u8, u8)>,
    pub step: u8,
}

/// A parsed, validated cron expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    pub fields: [Vec<CronPart>; 5],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronError(pub String);

impl fmt::Display for CronError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CronError {}

impl Cron {
    pub fn parse(expression: &str) -> Result<Cron, CronError> {
        let raw: Vec<&str> = expression.split_whitespace().collect();
        if raw.len() != 5 {
            return Err(CronError(format!(
                "a schedule needs 5 fields (minute hour day-of-month month day-of-week), found {}",
                raw.len()
            )));
        }
        let mut fields: [Vec<CronPart>; 5] = Default::default();
        for (i, text) in raw.iter().enumerate() {
            fields[i] = parse_field(text, FIELDS[i])?;
        }
        Ok(Cron { fields })
    }

    /// The set of allowed values of field `index`, as bits.
    fn mask(&self, index: usize) -> u64 {
        let (_, min, max) = FIELDS[index];
        let mut bits = 0u64;
        for part in &self.fields[index] {
            let (from, to) = part.range.unwrap_or((min, max));
            let mut v = from;
            while v <= to {
                bits |= 1 << v;
                v = match v.checked_add(part.step) {
                    Some(next) => next,
                    None => break,
                };
            }
        }
        bits
    }

    /// Whether a field is restricted, i.e. does not start with `*`.
    fn restricted(&self, index: usize) -> bool {
        self.fields[index]
            .first()
            .is_some_and(|p| p.range.is_some())
    }

    fn day_matches(&self, year: i32, month: u8, day: u8, masks: &[u64; 5]) -> bool {
        if masks[3] & (1 << month) == 0 {
            return false;
        }
        let weekday = UtcTime {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        }
        .weekday();
        let by_dom = masks[2] & (1 << day) != 0;
        let by_dow = masks[4] & (1 << weekday) != 0;
        // Cron's rule: when both day fields are restricted, either may match.
        match (self.restricted(2), self.restricted(4)) {
            (true, true) => by_dom || by_dow,
            _ => by_dom && by_dow,
        }
    }

    /// Whether the schedule fires in the minute that contains `time`.
    pub fn matches(&self, time: UtcTime) -> bool {
        let masks = self.masks();
        masks[0] & (1 << time.minute) != 0
            && masks[1] & (1 << time.hour) != 0
            && self.day_matches(time.year, time.month, time.day, &masks)
    }

    fn masks(&self) -> [u64; 5] {
        [0, 1, 2, 3, 4].map(|i| self.mask(i))
    }

    /// The first minute strictly after `after` (Unix seconds) when the schedule fires, within
    /// the next five years; `None` for schedules that never fire (e.g. 30 February).
    pub fn next_after(&self, after: i64) -> Option<i64> {
        let masks = self.masks();
        let start = UtcTime::from_unix(after.div_euclid(60) * 60 + 60);
        let mut day = UtcTime {
            hour: 0,
            minute: 0,
            second: 0,
            ..start
        };
        for _ in 0..(5 * 366) {
            if self.day_matches(day.year, day.month, day.day, &masks) {
                let first_day =
                    day.year == start.year && day.month == start.month && day.day == start.day;
                for hour in 0..24u8 {
                    if masks[1] & (1 << hour) == 0 || (first_day && hour < start.hour) {
                        continue;
                    }
                    for minute in 0..60u8 {
                        if masks[0] & (1 << minute) == 0 {
                            continue;
                        }
                        if first_day && hour == start.hour && minute < start.minute {
                            continue;
                        }
                        return Some(
                            UtcTime {
                                hour,
                                minute,
                                ..day
                            }
                            .to_unix(),
                        );
                    }
                }
            }
            day = next_day(day);
        }
        None
    }
}

const WEEKDAYS: [&str; 7] = [
    "Sundays",
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
];

impl Cron {
    /// The schedule in words, as the list shows it: "Every 15 minutes", "Daily at 02:00 UTC".
    /// Falls back to "Custom schedule" for shapes it does not put into words.
    pub fn describe(&self) -> String {
        let single = |i: usize| match self.fields[i].as_slice() {
            [CronPart {
                range: Some((a, b)),
                step: 1,
            }] if a == b => Some(*a),
            _ => None,
        };
        let every = |i: usize| match self.fields[i].as_slice() {
            [CronPart { range: None, step }] => Some(*step),
            _ => None,
        };
        let singles = |i: usize| -> Option<Vec<u8>> {
            self.fields[i]
                .iter()
                .map(|p| match p {
                    CronPart {
                        range: Some((a, b)),
                        step: 1,
                    } if a == b => Some(*a),
                    _ => None,
                })
                .collect()
        };
        let any_day = every(2) == Some(1) && every(3) == Some(1);
        let all_week = every(4) == Some(1);
        let plural = |n: u8, unit: &str| {
            if n == 1 {
                format!("Every {unit}")
            } else {
                format!("Every {n} {unit}s")
            }
        };

        if any_day && all_week && every(1) == Some(1) {
            if let Some(n) = every(0) {
                return plural(n, "minute");
            }
            if let Some(m) = single(0) {
                return if m == 0 {
                    "Every hour".into()
                } else {
                    format!("Every hour at :{m:02}")
                };
            }
        }
        if any_day && all_week {
            if let (Some(m), Some(n)) = (single(0), every(1)) {
                let base = plural(n, "hour");
                return if m == 0 {
                    base
                } else {
                    format!("{base} at :{m:02}")
                };
            }
        }
        let (Some(minute), Some(hours)) = (single(0), singles(1)) else {
            return "Custom schedule".into();
        };
        let times: Vec<String> = hours
            .iter()
            .map(|h| format!("{h:02}:{minute:02}"))
            .collect();
        let at = match times.as_slice() {
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
            [] => return "Custom schedule".into(),
        };
        let days = if any_day && all_week {
            Some(if times.len() == 2 {
                "Twice daily".to_string()
            } else {
                "Daily".to_string()
            })
        } else if any_day {
            match self.fields[4].as_slice() {
                [CronPart {
                    range: Some((1, 5)),
                    step: 1,
                }] => Some("Weekdays".into()),
                _ => singles(4).map(|days| {
                    let names: Vec<&str> = days.iter().map(|d| WEEKDAYS[*d as usize]).collect();
                    names.join(", ")
                }),
            }
        } else if all_week && every(3) == Some(1) {
            single(2).map(|d| format!("Monthly on day {d}"))
        } else {
            None
        };
        match days {
            Some(days) => format!("{days} at {at} UTC"),
            None => "Custom schedule".into(),
        }
    }
}

fn next_day(t: UtcTime) -> UtcTime {
    if t.day < days_in_month(t.year, t.month) {
        UtcTime {
            day: t.day + 1,
            ..t
        }
    } else if t.month < 12 {
        UtcTime {
            month: t.month + 1,
            day: 1,
            ..t
        }
    } else {
        UtcTime {
            year: t.year + 1,
            month: 1,
            day: 1,
            ..t
        }
    }
}

fn parse_field(text: &str, (name, min, max): (&str, u8, u8)) -> Result<Vec<CronPart>, CronError> {
    let bad = |why: &str| CronError(format!("{name} field \"{text}\": {why}"));
    let number = |s: &str| -> Result<u8, CronError> {
        let n: u8 = s
            .parse()
            .map_err(|_| bad(&format!("\"{s}\" is not a number")))?;
        if n < min || n > max {
            return Err(bad(&format!("{n} is outside {min}-{max}")));
        }
        Ok(n)
    };
    text.split(',')
        .map(|part| {
            let (base, step) = match part.split_once('/') {
                Some((base, step)) => {
                    let step: u8 = step
                        .parse()
                        .map_err(|_| bad(&format!("step \"{step}\" is not a number")))?;
                    if step == 0 {
                        return Err(bad("a step must be at least 1"));
                    }
                    (base, step)
                }
                None => (part, 1),
            };
            let range = if base == "*" {
                None
            } else if let Some((from, to)) = base.split_once('-') {
                let (from, to) = (number(from)?, number(to)?);
                if from > to {
                    return Err(bad(&format!("range {from}-{to} runs backwards")));
                }
                Some((from, to))
            } else {
                let n = number(base)?;
                // "5/15" means "from 5 to the end, every 15".
                Some((n, if step > 1 { max } else { n }))
            };
            Ok(CronPart { range, step })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_schedules() {
        for ok in [
            "*/15 * * * *",
            "0 2 * * *",
            "30 8 * * 1-5",
            "0 0 1 * *",
            "0 */2 * * *",
            "5,35 9-17 * 1,6 0",
        ] {
            assert!(Cron::parse(ok).is_ok(), "{ok} should parse");
        }
    }

    #[test]
    fn rejects_wrong_field_count_and_out_of_range_values() {
        assert!(Cron::parse("* * * *").unwrap_err().0.contains("5 fields"));
        assert!(Cron::parse("0 0 * * * *").is_err());
        assert!(Cron::parse("60 * * * *").unwrap_err().0.contains("minute"));
        assert!(Cron::parse("0 24 * * *").unwrap_err().0.contains("hour"));
        assert!(Cron::parse("0 0 0 * *").is_err());
        assert!(Cron::parse("0 0 * 13 *").is_err());
        assert!(Cron::parse("0 0 * * 7").is_err());
        assert!(Cron::parse("*/0 * * * *").unwrap_err().0.contains("step"));
        assert!(Cron::parse("5-1 * * * *")
            .unwrap_err()
            .0
            .contains("backwards"));
        assert!(Cron::parse("MON * * * *").is_err());
    }

    fn at(text: &str) -> i64 {
        UtcTime::parse_rfc3339(text).unwrap().to_unix()
    }

    fn next(cron: &str, after: &str) -> String {
        let n = Cron::parse(cron).unwrap().next_after(at(after)).unwrap();
        UtcTime::from_unix(n).to_string()
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
            next("0 1,13 * * *", "2026-11-27T01:00:00Z"),
            "2026-11-27T13:00:00Z"
        );
        assert_eq!(Cron::parse("0 0 30 2 *").unwrap().next_after(0), None);
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
        assert_eq!(words("0 0 * * 0"), "Sundays at 00:00 UTC");
        assert_eq!(words("0 9 * * 1,3"), "Mondays, Wednesdays at 09:00 UTC");
        assert_eq!(words("0 0 1 * *"), "Monthly on day 1 at 00:00 UTC");
        assert_eq!(words("*/5 9-17 * * 1-5"), "Custom schedule");
        assert_eq!(words("0 0 1 6 *"), "Custom schedule");
    }

    #[test]
    fn matches_the_minute() {
        let cron = Cron::parse("*/15 9-17 * * 1-5").unwrap();
        let t = |s: &str| UtcTime::parse_rfc3339(s).unwrap();
        assert!(cron.matches(t("2026-11-27T09:45:30Z")));
        assert!(!cron.matches(t("2026-11-27T09:46:00Z")));
        assert!(!cron.matches(t("2026-11-27T18:00:00Z")));
        assert!(!cron.matches(t("2026-11-28T10:00:00Z")), "a Saturday");
    }

    #[test]
    fn parses_parts() {
        let cron = Cron::parse("*/15 9-17 * * 1").unwrap();
        assert_eq!(
            cron.fields[0],
            vec![CronPart {
                range: None,
                step: 15
            }]
        );
        assert_eq!(
            cron.fields[1],
            vec![CronPart {
                range: Some((9, 17)),
                step: 1
            }]
        );
        assert_eq!(
            cron.fields[4],
            vec![CronPart {
                range: Some((1, 1)),
                step: 1
            }]
        );
    }
}
