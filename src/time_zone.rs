//! Times in the user's time zone (the browser's, from `Date`; no zone database in the wasm) or
//! in UTC, as the user chooses: a switch in the account bar, remembered on this device. Every
//! time the UI shows goes through [`time_html`], which also carries the other zone for hover,
//! focus and screen readers; schedules go through [`crate::format::schedule`].

use leptos::prelude::*;
use services_model::local_time::{offset_label, wall_clock};
use services_model::parse_rfc3339;
use wasm_bindgen::JsValue;

const STORAGE_KEY: &str = "pw-services-list:times";

// One choice for the whole page; an Arc signal has no owner, so it outlives every view.
thread_local! {
    static UTC: ArcRwSignal<bool> = {
        let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        ArcRwSignal::new(saved.as_deref() == Some("utc"))
    };
}

/// Whether times show in UTC (tracked: a view that reads it follows the switch).
pub fn utc() -> bool {
    UTC.with(|s| s.get())
}

/// Switches between UTC and local time, and remembers the choice on this device.
pub fn toggle_utc() {
    set_utc(!UTC.with(|s| s.get_untracked()));
}

/// Shows times in UTC (`true`) or local time, and remembers it on this device.
pub fn set_utc(on: bool) {
    UTC.with(|s| s.set(on));
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, if on { "utc" } else { "local" });
    }
}

/// Minutes east of UTC of the browser's zone at `unix` seconds (daylight saving included).
pub fn offset_at(unix: i64) -> i32 {
    let date = js_sys::Date::new(&JsValue::from_f64(unix as f64 * 1000.0));
    -(date.get_timezone_offset() as i32)
}

/// The offset now, for schedules (described as they run this season).
pub fn offset_now() -> i32 {
    offset_at((js_sys::Date::now() / 1000.0) as i64)
}

/// "Europe/Berlin", or "UTC+01:00" when the browser doesn't name its zone.
pub fn zone_name() -> String {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &JsValue::from_str("timeZone"))
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_else(|| offset_label(offset_now()))
}

/// A time as the chosen zone shows it, and the other zone's reading: `("2026-11-27 10:15:02",
/// "2026-11-27 09:15:02 UTC")`, or the reverse in UTC mode. `None` if it isn't RFC 3339.
pub fn readings(rfc3339: &str) -> Option<(String, String)> {
    readings_at(parse_rfc3339(rfc3339)?.unix_timestamp())
}

/// [`readings`] of `unix` seconds.
pub fn readings_at(unix: i64) -> Option<(String, String)> {
    let offset = offset_at(unix);
    let utc_text = format!("{} UTC", wall_clock(unix, 0)?);
    let local_text = format!("{} {}", wall_clock(unix, offset)?, offset_label(offset));
    Some(if utc() {
        (utc_text, format!("{local_text}, your time"))
    } else {
        (wall_clock(unix, offset)?, utc_text)
    })
}

/// A time as escaped HTML: the chosen zone's reading, focusable, with the other zone in a
/// tooltip that shows on hover and focus (`Esc` hides it) and that screen readers read with it.
pub fn time_html(rfc3339: &str) -> String {
    match parse_rfc3339(rfc3339) {
        Some(t) => time_html_at(t.unix_timestamp()),
        None => {
            let mut out = String::new();
            crate::components::escape_into(&mut out, rfc3339);
            out
        }
    }
}

/// [`time_html`] of `unix` seconds.
pub fn time_html_at(unix: i64) -> String {
    let mut out = String::new();
    match readings_at(unix) {
        Some((shown, other)) => {
            out.push_str(r#"<span class="pw-time" tabindex="0"><time datetime=""#);
            let iso = wall_clock(unix, 0).unwrap_or_default().replace(' ', "T");
            out.push_str(&iso);
            out.push('Z');
            out.push_str(r#"">"#);
            crate::components::escape_into(&mut out, &shown);
            out.push_str(r#"</time><span class="pw-time-other"> ("#);
            crate::components::escape_into(&mut out, &other);
            out.push_str(")</span></span>");
        }
        None => out.push('—'),
    }
    out
}

/// `Esc` hides the tooltip of the focused time until focus leaves it (WCAG 1.4.13). Once per
/// app; removed with it.
pub fn dismiss_tooltips_on_escape() {
    let down = window_event_listener(leptos::ev::keydown, |ev| {
        if ev.key() != "Escape" {
            return;
        }
        if let Some(time) = document()
            .active_element()
            .filter(|a| a.class_list().contains("pw-time"))
        {
            let _ = time.class_list().add_1("dismissed");
        }
    });
    let out = window_event_listener(leptos::ev::focusout, |ev| {
        use wasm_bindgen::JsCast;
        if let Some(time) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .filter(|t| t.class_list().contains("pw-time"))
        {
            let _ = time.class_list().remove_1("dismissed");
        }
    });
    on_cleanup(move || {
        down.remove();
        out.remove();
    });
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Now, in Unix seconds, as the relative times of the list read it: moves every 30 seconds
/// (provided once per app by [`provide_ticking_now`]; without it, the time of the call).
#[derive(Clone, Copy)]
pub struct Now(pub RwSignal<i64>);

pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

pub fn provide_ticking_now() {
    let now = RwSignal::new(now_seconds());
    if let Ok(handle) = set_interval_with_handle(
        move || now.set(now_seconds()),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    provide_context(Now(now));
}

/// The current time, tracked when [`provide_ticking_now`] ran.
pub fn now() -> i64 {
    use_context::<Now>()
        .map(|n| n.0.get())
        .unwrap_or_else(now_seconds)
}

/// A time relative to `now` ("3 h ago", "in 12 min") as escaped HTML, focusable, with the exact
/// time in the chosen zone and in the other in the tooltip shown on hover and focus (the same
/// component as [`time_html`]).
pub fn relative_html_at(unix: i64, now: i64) -> String {
    let mut out = String::new();
    match readings_at(unix) {
        Some((shown, other)) => {
            out.push_str(r#"<span class="pw-time" tabindex="0"><time datetime=""#);
            let iso = wall_clock(unix, 0).unwrap_or_default().replace(' ', "T");
            out.push_str(&iso);
            out.push_str(r#"Z">"#);
            crate::components::escape_into(
                &mut out,
                &services_model::local_time::relative(unix, now),
            );
            out.push_str(r#"</time><span class="pw-time-other"> ("#);
            crate::components::escape_into(&mut out, &shown);
            out.push_str(", ");
            crate::components::escape_into(&mut out, &other);
            out.push_str(")</span></span>");
        }
        None => out.push('—'),
    }
    out
}
