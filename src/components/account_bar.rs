use crate::session::Session;
use leptos::prelude::*;
use stylers::style;

/// Who is signed in, and a way to sign out.
#[component]
pub fn AccountBar() -> impl IntoView {
    let styler_class = style! {
        div {
            display: flex;
            justify-content: flex-end;
            align-items: center;
            gap: var(--pw-space-3);
            padding: var(--pw-space-2) var(--pw-space-3);
            border-bottom: 1px solid var(--pw-color-border);
            font-size: var(--pw-font-size-small);
            color: var(--pw-color-text-muted);
        }
        button {
            font: inherit;
            color: var(--pw-color-accent-text);
            background: none;
            border: none;
            cursor: pointer;
            text-decoration: underline;
        }
        button[role="switch"] {
            text-decoration: none;
            color: var(--pw-color-text-muted);
            padding: 0;
        }
    };
    let shortcuts = expect_context::<crate::shortcuts::Shortcuts>();
    let on = move || shortcuts.enabled.get();
    let session = expect_context::<Session>();
    // Naming the zone is the page's first use of `Intl`, which costs 15–70 ms. The page is idle
    // while it waits for its data, so an idle callback alone would run then and delay the first
    // rows; it waits for the first list or service answer (drawn by then) or two seconds.
    let zone = RwSignal::new(None::<String>);
    let scheduled = StoredValue::new(false);
    let name_zone = move || {
        if scheduled.try_update_value(|s| std::mem::replace(s, true)) != Some(false) {
            return;
        }
        let _ = request_idle_callback_with_handle(move || {
            zone.try_set(Some(crate::time_zone::zone_name()));
        });
    };
    let store = use_context::<crate::store::ServicesStore>();
    Effect::new(move |_| {
        if store.is_none_or(|s| s.answered()) {
            name_zone();
        }
    });
    if let Ok(handle) = set_timeout_with_handle(name_zone, std::time::Duration::from_secs(2)) {
        on_cleanup(move || handle.clear());
    }
    let who = move || {
        session.user.with(|u| {
            u.as_ref()
                .map(|u| {
                    format!(
                        "{} · {} · {}",
                        u.name,
                        crate::format::role_label(u.role),
                        u.company.name
                    )
                })
                .unwrap_or_default()
        })
    };
    view! { class = styler_class,
        <div>
            <span>"Signed in as " {who}</span>
            // WCAG 2.1.4: single-key shortcuts can be turned off.
            <button
                type="button"
                role="switch"
                aria-label="Keyboard shortcuts"
                aria-checked=move || on().to_string()
                on:click=move |_| shortcuts.set_enabled(!on())
            >
                {move || if on() { "Keyboard shortcuts: on" } else { "Keyboard shortcuts: off" }}
            </button>
            // Times in the browser's zone, or UTC (remembered on this device).
            <button
                type="button"
                role="switch"
                aria-label="Show times in UTC"
                aria-checked=move || crate::time_zone::utc().to_string()
                on:click=move |_| crate::time_zone::toggle_utc()
            >
                {move || if crate::time_zone::utc() {
                    "Times: UTC".to_string()
                } else {
                    match zone.get() {
                        Some(zone) => format!("Times: local ({zone})"),
                        None => "Times: local".to_string(),
                    }
                }}
            </button>
            // Embedded, the host owns signing in and out.
            {(!session.is_embedded()).then(|| view! { class = styler_class,
                <button type="button" on:click=move |_| session.sign_out(None)>"Sign out"</button>
            })}
        </div>
    }
}
