//! One polite live region for the whole app (`#pw-announcer`): what changed after a navigation or
//! while typing is said once, when it settles, instead of on every keystroke.

use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before a result count is announced.
pub const SETTLE: Duration = Duration::from_millis(600);

#[derive(Clone, Copy)]
pub struct Announcer {
    text: RwSignal<String>,
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
}

impl Default for Announcer {
    fn default() -> Self {
        Self::new()
    }
}

impl Announcer {
    pub fn new() -> Announcer {
        let timer = StoredValue::new_local(None::<TimeoutHandle>);
        on_cleanup(move || {
            if let Some(Some(t)) = timer.try_get_value() {
                t.clear();
            }
        });
        Announcer {
            text: RwSignal::new(String::new()),
            timer,
        }
    }

    /// Says `message` now (dropping anything still waiting to be said).
    pub fn say(&self, message: impl Into<String>) {
        self.cancel();
        self.text.set(message.into());
    }

    /// Says `message` once nothing newer has come for [`SETTLE`]; each call replaces the last.
    pub fn say_when_settled(&self, message: impl Into<String>) {
        self.cancel();
        let message = message.into();
        let text = self.text;
        if let Ok(handle) = set_timeout_with_handle(
            move || {
                if text.try_get_untracked().as_deref() != Some(message.as_str()) {
                    text.set(message);
                }
            },
            SETTLE,
        ) {
            self.timer.try_set_value(Some(handle));
        }
    }

    fn cancel(&self) {
        if let Some(Some(t)) = self.timer.try_update_value(|t| t.take()) {
            t.clear();
        }
    }
}

/// The region itself: present from the first render, visually hidden.
#[component]
pub fn Announcements() -> impl IntoView {
    let announcer = expect_context::<Announcer>();
    view! {
        <div id="pw-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || announcer.text.get()}
        </div>
    }
}
