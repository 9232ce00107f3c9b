use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;
use stylers::style;

#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub id: u64,
    pub message: String,
    /// (text, href) of a link that follows up, e.g. to the run's log.
    pub link: Option<(String, String)>,
    pub error: bool,
}

/// A toast's countdown: paused while the pointer is over it or focus is inside it (WCAG 2.2.1),
/// so a link can be reached before the toast goes.
struct Countdown {
    handle: Option<TimeoutHandle>,
    remaining: Duration,
    started_at: f64,
    hovered: bool,
    focused: bool,
}

/// Short messages after an action. Announced politely; each stays 12 seconds (errors 30), can
/// be dismissed sooner, and waits while the pointer or focus is on it.
#[derive(Clone, Copy)]
pub struct Toasts {
    pub items: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
    lifetimes: (Duration, Duration),
    /// The countdowns, cleared when the app goes (an embedded app can be unmounted).
    countdowns: StoredValue<HashMap<u64, Countdown>, LocalStorage>,
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

impl Toasts {
    pub fn new() -> Toasts {
        Self::with_lifetimes(Duration::from_secs(12), Duration::from_secs(30))
    }

    /// How long messages and errors stay.
    pub fn with_lifetimes(message: Duration, error: Duration) -> Toasts {
        let countdowns = StoredValue::new_local(HashMap::<u64, Countdown>::new());
        on_cleanup(move || {
            if let Some(all) = countdowns.try_update_value(std::mem::take) {
                all.into_values()
                    .filter_map(|c| c.handle)
                    .for_each(|h| h.clear());
            }
        });
        Toasts {
            items: RwSignal::new(Vec::new()),
            next: StoredValue::new(1),
            lifetimes: (message, error),
            countdowns,
        }
    }

    pub fn show(&self, message: impl Into<String>, link: Option<(String, String)>) {
        self.push(message.into(), link, false);
    }

    pub fn error(&self, message: impl Into<String>) {
        self.push(message.into(), None, true);
    }

    fn push(&self, message: String, link: Option<(String, String)>, error: bool) {
        // Answers may arrive after the app was unmounted: then there is nowhere to show them.
        let Some(id) = self.next.try_update_value(|n| {
            *n += 1;
            *n - 1
        }) else {
            return;
        };
        self.items.update(|t| {
            t.push(Toast {
                id,
                message,
                link,
                error,
            })
        });
        let lifetime = if error {
            self.lifetimes.1
        } else {
            self.lifetimes.0
        };
        self.countdowns.try_update_value(|all| {
            all.insert(
                id,
                Countdown {
                    handle: None,
                    remaining: lifetime,
                    started_at: 0.0,
                    hovered: false,
                    focused: false,
                },
            )
        });
        self.run(id);
    }

    /// Starts (or resumes) the countdown of toast `id`.
    fn run(&self, id: u64) {
        let toasts = *self;
        self.countdowns.try_update_value(|all| {
            let Some(c) = all.get_mut(&id) else {
                return;
            };
            if c.handle.is_some() || c.hovered || c.focused {
                return;
            }
            c.started_at = js_sys::Date::now();
            c.handle = set_timeout_with_handle(move || toasts.dismiss(id), c.remaining).ok();
        });
    }

    fn pause(&self, id: u64) {
        self.countdowns.try_update_value(|all| {
            if let Some(c) = all.get_mut(&id) {
                if let Some(handle) = c.handle.take() {
                    handle.clear();
                    let spent = Duration::from_millis((js_sys::Date::now() - c.started_at) as u64);
                    // Leave time to read it again once the pointer or focus moves on.
                    c.remaining = c
                        .remaining
                        .saturating_sub(spent)
                        .max(self.lifetimes.0.min(Duration::from_secs(3)));
                }
            }
        });
    }

    /// The pointer is over the toast (`true`) or has left it.
    pub fn hover(&self, id: u64, on: bool) {
        self.hold(id, |c| c.hovered = on, on);
    }

    /// Focus is inside the toast (`true`) or has left it.
    pub fn focus(&self, id: u64, on: bool) {
        self.hold(id, |c| c.focused = on, on);
    }

    fn hold(&self, id: u64, set: impl FnOnce(&mut Countdown), on: bool) {
        self.countdowns
            .try_update_value(|all| all.get_mut(&id).map(set));
        if on {
            self.pause(id);
        } else {
            self.run(id);
        }
    }

    pub fn dismiss(&self, id: u64) {
        self.items.update(|t| t.retain(|x| x.id != id));
        if let Some(Some(c)) = self.countdowns.try_update_value(|all| all.remove(&id)) {
            if let Some(handle) = c.handle {
                handle.clear();
            }
        }
    }
}

/// Where toasts appear: one polite live region, present from the first render.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let styler_class = style! {
        div.region {
            position: fixed;
            right: var(--pw-space-3);
            bottom: var(--pw-space-3);
            z-index: 60;
            display: grid;
            gap: var(--pw-space-2);
            width: min(24rem, calc(100vw - 2rem));
        }
        div.toast {
            display: flex;
            gap: var(--pw-space-2);
            align-items: flex-start;
            padding: var(--pw-space-3);
            border-radius: var(--pw-radius);
            border-left: 4px solid var(--pw-color-ok);
            background: var(--pw-color-text);
            color: var(--pw-color-bg);
            box-shadow: 0 8px 24px rgba(0, 0, 0, 0.25);
        }
        div.error {
            border-left-color: var(--pw-color-danger);
        }
        p {
            margin: 0;
            flex: 1;
        }
        a {
            color: var(--pw-color-bg);
            font-weight: 600;
            margin-left: var(--pw-space-1);
        }
        button {
            font: inherit;
            background: none;
            border: 1px solid var(--pw-color-bg);
            border-radius: 4px;
            color: var(--pw-color-bg);
            cursor: pointer;
        }
    };
    let toasts = expect_context::<Toasts>();
    view! { class = styler_class,
        <div class="region" role="status" aria-live="polite">
            <For
                each=move || toasts.items.get()
                key=|t| t.id
                children=move |t| {
                    let id = t.id;
                    let left = move |ev: leptos::ev::FocusEvent| {
                        use wasm_bindgen::JsCast;
                        let toast = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                        let to = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                        let still_inside = toast.zip(to).is_some_and(|(toast, to)| toast.contains(Some(&to)));
                        if !still_inside {
                            toasts.focus(id, false);
                        }
                    };
                    view! { class = styler_class,
                        <div
                            class="toast"
                            class:error=t.error
                            on:mouseenter=move |_| toasts.hover(id, true)
                            on:mouseleave=move |_| toasts.hover(id, false)
                            on:focusin=move |_| toasts.focus(id, true)
                            on:focusout=left
                        >
                            <p>
                                {t.message}
                                {t.link.map(|(text, href)| view! { class = styler_class, <a href=crate::config::href(&href)>{text}</a> })}
                            </p>
                            <button type="button" aria-label="Dismiss" on:click=move |_| toasts.dismiss(id)>"×"</button>
                        </div>
                    }
                }
            />
        </div>
    }
}
