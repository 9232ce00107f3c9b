//! How the UI writes times, durations and roles, in one place.

use services_model::{parse_rfc3339, Role, Run, Trigger};

/// An RFC 3339 UTC time as the tables show it: `2026-11-27 09:15:02`.
pub fn timestamp(rfc3339: &str) -> String {
    rfc3339.replace('T', " ").replace('Z', "")
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

thread_local! {
    static SCHEDULES: std::cell::RefCell<std::collections::HashMap<String, String>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A trigger in words ("Every 15 minutes", "Webhook"). Groups share a handful of schedules, so
/// each cron expression is described once.
pub fn schedule(trigger: &Trigger) -> String {
    let Some(cron) = trigger.cron() else {
        return trigger.describe();
    };
    SCHEDULES.with(|known| {
        known
            .borrow_mut()
            .entry(cron.to_string())
            .or_insert_with(|| trigger.describe())
            .clone()
    })
}
