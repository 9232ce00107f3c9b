use leptos::prelude::*;
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

/// Short messages after an action. Announced politely; each stays 12 seconds (errors 30) and
/// can be dismissed sooner.
#[derive(Clone, Copy)]
pub struct Toasts {
    pub items: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
    /// Pending auto-dismiss timers, cleared when the app goes (an embedded app can be unmounted).
    timers: StoredValue<Vec<TimeoutHandle>, LocalStorage>,
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

impl Toasts {
    pub fn new() -> Toasts {
        let timers = StoredValue::new_local(Vec::<TimeoutHandle>::new());
        on_cleanup(move || {
            if let Some(timers) = timers.try_get_value() {
                timers.iter().for_each(|t| t.clear());
            }
        });
        Toasts {
            items: RwSignal::new(Vec::new()),
            next: StoredValue::new(1),
            timers,
        }
    }

    pub fn show(&self, message: impl Into<String>, link: Option<(String, String)>) {
        self.push(message.into(), link, false);
    }

    pub fn error(&self, message: impl Into<String>) {
        self.push(message.into(), None, true);
    }

    fn push(&self, message: String, link: Option<(String, String)>, error: bool) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|t| {
            t.push(Toast {
                id,
                message,
                link,
                error,
            })
        });
        if !error {
            let items = self.items;
            if let Ok(timer) = set_timeout_with_handle(
                move || items.update(|t| t.retain(|x| x.id != id)),
                Duration::from_secs(12),
            ) {
                self.timers.update_value(|timers| timers.push(timer));
            }
        }
    }

    pub fn dismiss(&self, id: u64) {
        self.items.update(|t| t.retain(|x| x.id != id));
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
                    view! { class = styler_class,
                        <div class="toast" class:error=t.error>
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
