//! What a route change does for people who can't see the page change: the document's title
//! names the page, focus moves to the new page's heading, and the live region says where they
//! are. The first page the app shows takes no focus (in a host page that would steal it).

use crate::announce::Announcer;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Navigation {
    first_path: StoredValue<String>,
    navigated: StoredValue<bool>,
}

impl Default for Navigation {
    fn default() -> Self {
        Self::new()
    }
}

impl Navigation {
    /// Remembers where the app started.
    pub fn new() -> Navigation {
        Navigation {
            first_path: StoredValue::new(current_path()),
            navigated: StoredValue::new(false),
        }
    }
}

fn current_path() -> String {
    window().location().pathname().unwrap_or_default()
}

/// The document title for a page: `Services · Patchworks`, `<name> · Services · Patchworks`.
pub fn title_of(page: &str) -> String {
    if page == "Services" {
        "Services · Patchworks".into()
    } else {
        format!("{page} · Services · Patchworks")
    }
}

/// A page calls this once its heading shows what the page is (`page` is that heading).
pub fn page_ready(page: String) {
    let title = title_of(&page);
    if crate::config::owns_page() {
        document().set_title(&title);
    }
    let Some(nav) = use_context::<Navigation>() else {
        return;
    };
    let announcer = use_context::<Announcer>();
    let moved = nav.navigated.try_get_value() == Some(true)
        || nav
            .first_path
            .try_get_value()
            .is_some_and(|p| p != current_path());
    if !moved {
        return;
    }
    nav.navigated.try_set_value(true);
    request_animation_frame(move || {
        crate::focus::focus_selector("main h1");
        if let Some(announcer) = announcer {
            announcer.say(title);
        }
    });
}
