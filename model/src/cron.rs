//! Standard 5-field cron expressions (minute hour day-of-month month day-of-week), in UTC,
//! as Patchworks schedules use them. Six- and seven-field forms are not supported.

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
