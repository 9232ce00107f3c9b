//! Reactive CSS media queries, for layouts that change markup (not only style) with the width.

use leptos::ev;
use leptos::prelude::*;

/// Whether the media query matches now; follows window resizes.
pub fn use_media_query(query: &'static str) -> Signal<bool> {
    let matches = move || {
        window()
            .match_media(query)
            .ok()
            .flatten()
            .map(|list| list.matches())
            .unwrap_or(false)
    };
    let state = RwSignal::new(matches());
    let handle = window_event_listener(ev::resize, move |_| {
        let now = matches();
        if state.get_untracked() != now {
            state.set(now);
        }
    });
    on_cleanup(move || handle.remove());
    state.into()
}
