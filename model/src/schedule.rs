//! The schedule editor's logic, without a DOM: the common choices (every N minutes, hourly at
//! :MM, daily, weekdays or weekly at HH:MM) and a custom expression, each mapped to a cron
//! expression and back, checked field by field; and what the editor previews as you type (the
//! schedule in words and its next run times). The server checks a schedule with the same
//! [`Cron::parse`], so the editor and the API refuse the same expressions for the same reason.

use crate::cron::{Cron, CronError};
use time::OffsetDateTime;

/// The intervals "every N minutes" offers: those that divide an hour, so the runs are evenly
/// spaced (`*/7` would run at :56 and again at :00).
pub const EVERY_MINUTES: [u8; 11] = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30];

/// How many upcoming runs the editor lists.
pub const PREVIEW_RUNS: usize = 5;

/// Day-of-week numbers (cron's, Sunday = 0) in the order the editor lists them, with names.
pub const WEEKDAY_CHOICES: [(u8, &str); 7] = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (0, "Sunday"),
];

/// The shape of a schedule, as the editor offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SchedulePreset {
    EveryMinutes,
    Hourly,
    Daily,
    Weekdays,
    Weekly,
    Custom,
}

impl SchedulePreset {
    pub const ALL: [SchedulePreset; 6] = [
        SchedulePreset::EveryMinutes,
        SchedulePreset::Hourly,
        SchedulePreset::Daily,
        SchedulePreset::Weekdays,
        SchedulePreset::Weekly,
        SchedulePreset::Custom,
    ];

    /// A stable word for ids and form values.
    pub fn as_str(self) -> &'static str {
        match self {
            SchedulePreset::EveryMinutes => "minutes",
            SchedulePreset::Hourly => "hourly",
            SchedulePreset::Daily => "daily",
            SchedulePreset::Weekdays => "weekdays",
            SchedulePreset::Weekly => "weekly",
            SchedulePreset::Custom => "custom",
        }
    }

    /// What the editor calls the choice.
    pub fn label(self) -> &'static str {
        match self {
            SchedulePreset::EveryMinutes => "Every N minutes",
            SchedulePreset::Hourly => "Hourly",
            SchedulePreset::Daily => "Daily",
            SchedulePreset::Weekdays => "Weekdays (Monday to Friday)",
            SchedulePreset::Weekly => "Weekly",
            SchedulePreset::Custom => "Custom cron expression",
        }
    }

    pub fn parse(text: &str) -> Option<SchedulePreset> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// The input a schedule error belongs to (the editor marks that one invalid).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScheduleField {
    Every,
    Minute,
    Time,
    Weekday,
    Custom,
}

/// Why a form does not make a schedule, and which input to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleError {
    pub field: ScheduleField,
    pub message: String,
}

impl ScheduleError {
    fn new(field: ScheduleField, message: impl Into<String>) -> ScheduleError {
        ScheduleError {
            field,
            message: message.into(),
        }
    }
}

/// The editor's inputs as typed (text, so a half-typed value is kept as it is); every preset
/// keeps its own values, so switching back and forth loses nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleForm {
    pub preset: SchedulePreset,
    /// Minutes between runs, one of [`EVERY_MINUTES`].
    pub every: String,
    /// Hourly: the minute past the hour, 0–59.
    pub minute: String,
    /// Daily, weekdays, weekly: `HH:MM`, 24-hour, UTC.
    pub time: String,
    /// Weekly: cron's day number, Sunday = 0.
    pub weekday: String,
    /// A 5-field cron expression.
    pub custom: String,
}

impl Default for ScheduleForm {
    fn default() -> Self {
        ScheduleForm {
            preset: SchedulePreset::EveryMinutes,
            every: "15".into(),
            minute: "0".into(),
            time: "02:00".into(),
            weekday: "1".into(),
            custom: "*/15 * * * *".into(),
        }
    }
}

/// A cron expression with its fields separated by single spaces, as the server stores it.
pub fn normalise(expression: &str) -> String {
    expression.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rule a service's schedule must meet, in the editor and in the API alike: a valid 5-field
/// expression ([`Cron::parse`]) that runs at least once (not "30 February"). Returns it
/// normalised.
pub fn validate_cron(expression: &str) -> Result<String, CronError> {
    let cron = normalise(expression);
    let parsed = Cron::parse(&cron)?;
    if parsed.next_after(OffsetDateTime::UNIX_EPOCH).is_none() {
        return Err(CronError(format!(
            "\"{cron}\" never runs: no date matches it"
        )));
    }
    Ok(cron)
}

fn number(text: &str, max: u8) -> Option<u8> {
    let text = text.trim();
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u8>().ok().filter(|n| *n <= max)
}

/// `H:MM` or `HH:MM`, 24-hour.
pub fn parse_time(text: &str) -> Option<(u8, u8)> {
    let (hour, minute) = text.trim().split_once(':')?;
    if minute.trim().len() != 2 {
        return None;
    }
    Some((number(hour, 23)?, number(minute, 59)?))
}

impl ScheduleForm {
    /// The form that shows `cron`: its preset when it is one of the common shapes, otherwise the
    /// custom expression. The other presets keep their defaults, or take the time it names.
    pub fn from_cron(cron: &str) -> ScheduleForm {
        let cron = normalise(cron);
        let mut form = ScheduleForm {
            preset: SchedulePreset::Custom,
            custom: cron.clone(),
            ..ScheduleForm::default()
        };
        let fields: Vec<&str> = cron.split(' ').collect();
        let [minute, hour, day, month, weekday] = fields.as_slice() else {
            return form;
        };
        if (*day, *month) != ("*", "*") {
            return form;
        }
        let weekday = weekday.to_ascii_lowercase();
        match (*minute, *hour, weekday.as_str()) {
            ("*", "*", "*") => {
                form.preset = SchedulePreset::EveryMinutes;
                form.every = "1".into();
            }
            (m, "*", "*") if m.starts_with("*/") => {
                if let Some(n) = number(&m[2..], 59).filter(|n| EVERY_MINUTES.contains(n)) {
                    form.preset = SchedulePreset::EveryMinutes;
                    form.every = n.to_string();
                }
            }
            (m, "*", "*") => {
                if let Some(m) = number(m, 59) {
                    form.preset = SchedulePreset::Hourly;
                    form.minute = m.to_string();
                }
            }
            (m, h, days) => {
                let (Some(m), Some(h)) = (number(m, 59), number(h, 23)) else {
                    return form;
                };
                let preset = match days {
                    "*" => Some(SchedulePreset::Daily),
                    "1-5" | "mon-fri" => Some(SchedulePreset::Weekdays),
                    d => number(d, 7).map(|d| {
                        form.weekday = (d % 7).to_string();
                        SchedulePreset::Weekly
                    }),
                };
                if let Some(preset) = preset {
                    form.preset = preset;
                    form.time = format!("{h:02}:{m:02}");
                }
            }
        }
        form
    }

    /// The cron expression the form makes, or what is wrong with it and where.
    pub fn cron(&self) -> Result<String, ScheduleError> {
        let time = || {
            parse_time(&self.time).ok_or_else(|| {
                ScheduleError::new(
                    ScheduleField::Time,
                    "Enter a time as HH:MM on the 24-hour clock, from 00:00 to 23:59 (UTC).",
                )
            })
        };
        let expression = match self.preset {
            SchedulePreset::EveryMinutes => {
                let n = number(&self.every, 59)
                    .filter(|n| EVERY_MINUTES.contains(n))
                    .ok_or_else(|| {
                        ScheduleError::new(
                            ScheduleField::Every,
                            "Choose an interval that divides an hour: 1, 2, 3, 4, 5, 6, 10, 12, \
                             15, 20 or 30 minutes.",
                        )
                    })?;
                if n == 1 {
                    "* * * * *".to_string()
                } else {
                    format!("*/{n} * * * *")
                }
            }
            SchedulePreset::Hourly => {
                let m = number(&self.minute, 59).ok_or_else(|| {
                    ScheduleError::new(
                        ScheduleField::Minute,
                        "Enter the minute past the hour as a number from 0 to 59.",
                    )
                })?;
                format!("{m} * * * *")
            }
            SchedulePreset::Daily => {
                let (h, m) = time()?;
                format!("{m} {h} * * *")
            }
            SchedulePreset::Weekdays => {
                let (h, m) = time()?;
                format!("{m} {h} * * 1-5")
            }
            SchedulePreset::Weekly => {
                let day = number(&self.weekday, 6).ok_or_else(|| {
                    ScheduleError::new(ScheduleField::Weekday, "Choose a day of the week.")
                })?;
                let (h, m) = time()?;
                format!("{m} {h} * * {day}")
            }
            SchedulePreset::Custom => normalise(&self.custom),
        };
        validate_cron(&expression)
            .map_err(|CronError(reason)| ScheduleError::new(form_field(self), capitalise(&reason)))
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Cron {
    /// The first `n` minutes strictly after `after` when the schedule fires (fewer when it
    /// stops firing: 30 February never comes).
    pub fn next_n(&self, after: OffsetDateTime, n: usize) -> Vec<OffsetDateTime> {
        let mut times = Vec::with_capacity(n);
        let mut from = after;
        while times.len() < n {
            let Some(next) = self.next_after(from) else {
                break;
            };
            times.push(next);
            from = next;
        }
        times
    }
}

/// What the editor shows under a valid schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchedulePreview {
    /// The cron expression the form makes.
    pub cron: String,
    /// "Weekdays at 06:30 UTC".
    pub description: String,
    /// The next runs after now, as [`format_run_time`] writes them.
    pub next_runs: Vec<String>,
    /// The same runs, as instants (to write them in another zone: [`format_run_time_at`]).
    pub next_run_times: Vec<OffsetDateTime>,
}

/// The form's schedule in words and its next [`PREVIEW_RUNS`] run times after `now`, or why
/// it is not a schedule.
pub fn preview(form: &ScheduleForm, now: OffsetDateTime) -> Result<SchedulePreview, ScheduleError> {
    let cron = form.cron()?;
    let parsed =
        Cron::parse(&cron).map_err(|e| ScheduleError::new(form_field(form), capitalise(&e.0)))?;
    let description = match parsed.describe() {
        words if words == "Custom schedule" => format!("Custom schedule: {cron} (UTC)"),
        words => words,
    };
    let next_run_times = parsed.next_n(now, PREVIEW_RUNS);
    let next_runs: Vec<String> = next_run_times
        .iter()
        .copied()
        .map(format_run_time)
        .collect();
    if next_runs.is_empty() {
        return Err(ScheduleError::new(
            form_field(form),
            format!("\"{cron}\" never runs: no date matches it."),
        ));
    }
    Ok(SchedulePreview {
        cron,
        description,
        next_runs,
        next_run_times,
    })
}

fn form_field(form: &ScheduleForm) -> ScheduleField {
    if form.preset == SchedulePreset::Custom {
        ScheduleField::Custom
    } else {
        ScheduleField::Time
    }
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A run time as the editor lists it: "Mon 30 Nov 2026, 06:30 UTC".
pub fn format_run_time(at: OffsetDateTime) -> String {
    format!("{} UTC", format_run_time_at(at, 0))
}

/// A run time at `offset_minutes` east of UTC, without a zone: "Mon 30 Nov 2026, 07:30". With
/// offset 0 it is UTC (then [`format_run_time`] says so).
pub fn format_run_time_at(at: OffsetDateTime, offset_minutes: i32) -> String {
    let offset = time::UtcOffset::from_whole_seconds(offset_minutes.saturating_mul(60))
        .unwrap_or(time::UtcOffset::UTC);
    let at = at.to_offset(offset);
    format!(
        "{} {} {} {}, {:02}:{:02}",
        DAYS[usize::from(at.weekday().number_days_from_sunday())],
        at.day(),
        MONTHS[usize::from(u8::from(at.month())) - 1],
        at.year(),
        at.hour(),
        at.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> OffsetDateTime {
        crate::parse_rfc3339(text).unwrap()
    }

    fn form(preset: SchedulePreset) -> ScheduleForm {
        ScheduleForm {
            preset,
            ..ScheduleForm::default()
        }
    }

    #[test]
    fn presets_make_cron_expressions() {
        let make = |change: &dyn Fn(&mut ScheduleForm)| {
            let mut f = ScheduleForm::default();
            change(&mut f);
            f.cron()
        };
        assert_eq!(make(&|f| f.every = "15".into()).unwrap(), "*/15 * * * *");
        assert_eq!(make(&|f| f.every = "1".into()).unwrap(), "* * * * *");
        assert_eq!(
            make(&|f| {
                f.preset = SchedulePreset::Hourly;
                f.minute = "5".into();
            })
            .unwrap(),
            "5 * * * *"
        );
        assert_eq!(
            make(&|f| {
                f.preset = SchedulePreset::Daily;
                f.time = "7:15".into();
            })
            .unwrap(),
            "15 7 * * *"
        );
        assert_eq!(
            make(&|f| {
                f.preset = SchedulePreset::Weekdays;
                f.time = "06:30".into();
            })
            .unwrap(),
            "30 6 * * 1-5"
        );
        assert_eq!(
            make(&|f| {
                f.preset = SchedulePreset::Weekly;
                f.weekday = "0".into();
                f.time = "23:59".into();
            })
            .unwrap(),
            "59 23 * * 0"
        );
        assert_eq!(
            make(&|f| {
                f.preset = SchedulePreset::Custom;
                f.custom = "  0  9-17 *  * MON-FRI ".into();
            })
            .unwrap(),
            "0 9-17 * * MON-FRI",
            "custom expressions are stored with single spaces"
        );
    }

    #[test]
    fn presets_describe_themselves_as_the_list_does() {
        let words = |f: ScheduleForm| Cron::parse(&f.cron().unwrap()).unwrap().describe();
        assert_eq!(words(ScheduleForm::default()), "Every 15 minutes");
        let mut daily = form(SchedulePreset::Daily);
        daily.time = "07:15".into();
        assert_eq!(words(daily), "Daily at 07:15 UTC");
        let mut weekdays = form(SchedulePreset::Weekdays);
        weekdays.time = "06:30".into();
        assert_eq!(words(weekdays), "Weekdays at 06:30 UTC");
        let mut weekly = form(SchedulePreset::Weekly);
        weekly.weekday = "5".into();
        weekly.time = "18:00".into();
        assert_eq!(words(weekly), "Fridays at 18:00 UTC");
        let mut hourly = form(SchedulePreset::Hourly);
        hourly.minute = "45".into();
        assert_eq!(words(hourly), "Every hour at :45");
    }

    #[test]
    fn a_cron_opens_as_its_preset_and_round_trips() {
        for (cron, preset) in [
            ("*/15 * * * *", SchedulePreset::EveryMinutes),
            ("* * * * *", SchedulePreset::EveryMinutes),
            ("5 * * * *", SchedulePreset::Hourly),
            ("15 7 * * *", SchedulePreset::Daily),
            ("30 6 * * 1-5", SchedulePreset::Weekdays),
            ("0 9 * * 3", SchedulePreset::Weekly),
            ("0 0 1 * *", SchedulePreset::Custom),
            ("*/7 * * * *", SchedulePreset::Custom),
            ("0 9-17 * * 1-5", SchedulePreset::Custom),
        ] {
            let form = ScheduleForm::from_cron(cron);
            assert_eq!(form.preset, preset, "{cron}");
            assert_eq!(form.cron().unwrap(), cron, "{cron} round-trips");
        }
        let sundays = ScheduleForm::from_cron("0 9 * * 7");
        assert_eq!(
            (sundays.preset, sundays.weekday.as_str()),
            (SchedulePreset::Weekly, "0")
        );
        assert_eq!(sundays.cron().unwrap(), "0 9 * * 0");
        let named = ScheduleForm::from_cron("30 6 * * MON-FRI");
        assert_eq!(
            (named.preset, named.time.as_str()),
            (SchedulePreset::Weekdays, "06:30")
        );
        // A custom expression keeps the other presets' defaults for when the user switches.
        let custom = ScheduleForm::from_cron("0 0 1 * *");
        assert_eq!(custom.custom, "0 0 1 * *");
        assert_eq!(custom.every, "15");
    }

    #[test]
    fn the_next_five_runs_follow_the_schedule() {
        let now = at("2026-11-27T07:00:00Z"); // a Friday
        let mut weekdays = form(SchedulePreset::Weekdays);
        weekdays.time = "06:30".into();
        let p = preview(&weekdays, now).unwrap();
        assert_eq!(p.cron, "30 6 * * 1-5");
        assert_eq!(p.description, "Weekdays at 06:30 UTC");
        assert_eq!(
            p.next_runs,
            [
                "Mon 30 Nov 2026, 06:30 UTC",
                "Tue 1 Dec 2026, 06:30 UTC",
                "Wed 2 Dec 2026, 06:30 UTC",
                "Thu 3 Dec 2026, 06:30 UTC",
                "Fri 4 Dec 2026, 06:30 UTC",
            ]
        );
        let every = preview(&ScheduleForm::default(), at("2026-11-27T23:40:10Z")).unwrap();
        assert_eq!(
            every.next_runs,
            [
                "Fri 27 Nov 2026, 23:45 UTC",
                "Sat 28 Nov 2026, 00:00 UTC",
                "Sat 28 Nov 2026, 00:15 UTC",
                "Sat 28 Nov 2026, 00:30 UTC",
                "Sat 28 Nov 2026, 00:45 UTC",
            ]
        );
        let cron = Cron::parse("0 0 29 2 *").unwrap();
        let leap_days = cron.next_n(at("2026-01-01T00:00:00Z"), 2);
        assert_eq!(
            leap_days
                .into_iter()
                .map(format_run_time)
                .collect::<Vec<_>>(),
            ["Tue 29 Feb 2028, 00:00 UTC", "Sun 29 Feb 2032, 00:00 UTC"]
        );
        let mut custom = form(SchedulePreset::Custom);
        custom.custom = "0 0 1 * *".into();
        assert_eq!(
            preview(&custom, now).unwrap().description,
            "Monthly on day 1 at 00:00 UTC"
        );
        custom.custom = "*/5 9-17 * * 1-5".into();
        assert_eq!(
            preview(&custom, now).unwrap().description,
            "Custom schedule: */5 9-17 * * 1-5 (UTC)"
        );
    }

    #[test]
    fn invalid_input_names_the_field_and_the_reason() {
        let mut custom = form(SchedulePreset::Custom);
        for (expression, reason) in [
            ("* * * *", "5 fields"),
            ("61 * * * *", "not a valid schedule"),
            ("0 25 * * *", "not a valid schedule"),
            ("MON * * * *", "minute field"),
            ("", "5 fields"),
        ] {
            custom.custom = expression.into();
            let error = custom.cron().unwrap_err();
            assert_eq!(error.field, ScheduleField::Custom, "{expression}");
            assert!(
                error.message.contains(reason),
                "{expression}: {:?} should mention {reason:?}",
                error.message
            );
            assert_eq!(
                preview(&custom, at("2026-11-27T07:00:00Z")).unwrap_err(),
                error,
                "the preview says the same"
            );
        }
        custom.custom = "0 0 30 2 *".into();
        let never = preview(&custom, at("2026-11-27T07:00:00Z")).unwrap_err();
        assert!(never.message.contains("never runs"), "{}", never.message);

        let mut daily = form(SchedulePreset::Daily);
        for bad in ["24:00", "7", "07:6", "ab:cd", "07:60", ""] {
            daily.time = bad.into();
            let error = daily.cron().unwrap_err();
            assert_eq!(error.field, ScheduleField::Time, "{bad}");
            assert!(error.message.contains("HH:MM"));
        }
        let mut hourly = form(SchedulePreset::Hourly);
        hourly.minute = "60".into();
        assert_eq!(hourly.cron().unwrap_err().field, ScheduleField::Minute);
        let mut every = form(SchedulePreset::EveryMinutes);
        every.every = "7".into();
        assert!(every
            .cron()
            .unwrap_err()
            .message
            .contains("divides an hour"));
        let mut weekly = form(SchedulePreset::Weekly);
        weekly.weekday = "7".into();
        assert_eq!(weekly.cron().unwrap_err().field, ScheduleField::Weekday);
    }

    proptest::proptest! {
        #[test]
        fn every_preset_value_round_trips_through_its_cron(
            preset in 0usize..5,
            every in 0usize..EVERY_MINUTES.len(),
            minute in 0u8..60,
            hour in 0u8..24,
            day in 0u8..7,
        ) {
            let form = ScheduleForm {
                preset: SchedulePreset::ALL[preset],
                every: EVERY_MINUTES[every].to_string(),
                minute: minute.to_string(),
                time: format!("{hour}:{minute:02}"),
                weekday: day.to_string(),
                custom: String::new(),
            };
            let cron = form.cron().unwrap();
            let back = ScheduleForm::from_cron(&cron);
            proptest::prop_assert_eq!(back.preset, form.preset);
            proptest::prop_assert_eq!(back.cron().unwrap(), cron);
        }
    }

    #[test]
    fn preset_words_round_trip() {
        for p in SchedulePreset::ALL {
            assert_eq!(SchedulePreset::parse(p.as_str()), Some(p));
        }
        assert_eq!(parse_time("7:05"), Some((7, 5)));
        assert_eq!(parse_time("23:59"), Some((23, 59)));
        assert_eq!(normalise(" */5  *\t* * * "), "*/5 * * * *");
    }
}
