use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use stylers::style;

/// The search field, in a search landmark. Filters as you type (the list runs the query
/// locally); `Esc` clears; `/` focuses it from anywhere on the page.
#[component]
pub fn SearchBox(
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
) -> impl IntoView {
    let styler_class = style! {
        div {
            display: flex;
            flex-direction: column;
            gap: var(--pw-space-1);
            flex: 1 1 16rem;
            min-width: 0;
        }
        label {
            font-weight: 600;
            font-size: var(--pw-font-size-small);
        }
        span.wrap {
            position: relative;
            display: block;
        }
        input {
            font: inherit;
            width: 100%;
            padding: var(--pw-space-2) 2.25rem var(--pw-space-2) var(--pw-space-2);
            border: 1px solid var(--pw-color-border-strong);
            border-radius: var(--pw-radius);
            background: var(--pw-color-surface);
            color: var(--pw-color-text);
        }
        kbd {
            position: absolute;
            right: var(--pw-space-2);
            top: 50%;
            transform: translateY(-50%);
            font-size: var(--pw-font-size-small);
            color: var(--pw-color-text-muted);
            border: 1px solid var(--pw-color-border);
            border-radius: 4px;
            padding: 0 0.3rem;
        }
    };
    let input = NodeRef::<html::Input>::new();
    let handle = window_event_listener(ev::keydown, move |ev| {
        if ev.key() != "/"
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.alt_key()
            || ev.default_prevented()
        {
            return;
        }
        let typing = document().active_element().is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        });
        if !typing {
            if let Some(input) = input.get_untracked() {
                ev.prevent_default();
                let _ = input.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());

    view! { class = styler_class,
        <div role="search" aria-label="Services">
            <label for="service-search">"Search services"</label>
            <span class="wrap">
                <input
                    id="service-search"
                    type="search"
                    node_ref=input
                    placeholder="ID, type or name"
                    autocomplete="off"
                    spellcheck="false"
                    aria-keyshortcuts="/"
                    prop:value=move || value.get()
                    on:input:target=move |ev| on_input.run(ev.target().value())
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" && !value.with_untracked(String::is_empty) {
                            ev.prevent_default();
                            on_input.run(String::new());
                        }
                    }
                />
                <kbd aria-hidden="true">"/"</kbd>
            </span>
        </div>
    }
}
