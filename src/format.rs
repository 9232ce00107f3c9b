//! How the UI writes times, durations and roles, in one place.

use services_model::local_time::describe_at_offset;
use services_model::{parse_rfc3339, Cron, Role, Run, Trigger};

/// An RFC 3339 time in the zone the user chose, as escaped HTML with the other zone on hover
/// and focus (see [`crate::time_zone::time_html`]).
pub fn timestamp_html(rfc3339: &str) -> String {
    crate::time_zone::time_html(rfc3339)
}

/// A role as people say it: "admin", "manager", "user", "read-only".
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin",
        Role::Manager => "manager",
        Role::User => "user",
        Role::ReadOnly => "read-only",
    }
}

/// How long a run took: "42s", "3m 05s"; "running" while it runs; "—" before it starts.
pub fn run_duration(run: &Run) -> String {
    let parse = |t: &Option<String>| {
        t.as_deref()
            .and_then(parse_rfc3339)
            .map(|t| t.unix_timestamp())
    };
    match (parse(&run.started_at), parse(&run.finished_at)) {
        (Some(a), Some(b)) if b >= a => {
            let s = b - a;
            if s >= 60 {
                format!("{}m {:02}s", s / 60, s % 60)
            } else {
                format!("{s}s")
            }
        }
        (Some(_), None) => "running".into(),
        _ => "—".into(),
    }
}

type Described = std::collections::HashMap<(String, i32), String>;

thread_local! {
    static SCHEDULES: std::cell::RefCell<Described> = std::cell::RefCell::new(Described::new());
}

/// A trigger in words, in the user's zone with UTC alongside where they differ ("Daily at
/// 07:15 (06:15 UTC)", "Every 15 minutes", "Webhook"), or in UTC when the user chose UTC.
/// Tracks that choice. Groups share a handful of schedules, so each is described once.
pub fn schedule(trigger: &Trigger) -> String {
    let Some(cron) = trigger.cron() else {
        return trigger.describe();
    };
    let offset = if crate::time_zone::utc() {
        0
    } else {
        crate::time_zone::offset_now()
    };
    SCHEDULES.with(|known| {
        known
            .borrow_mut()
            .entry((cron.to_string(), offset))
            .or_insert_with(|| match Cron::parse(cron) {
                Ok(cron) => describe_at_offset(&cron, offset),
                Err(_) => trigger.describe(),
            })
            .clone()
    })
}
