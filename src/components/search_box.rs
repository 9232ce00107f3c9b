use leptos::html;
use leptos::prelude::*;
use stylers::style;

/// The search field, in a search landmark. Filters as you type (the list runs the query
/// locally); `Esc` clears; `/` focuses it (see [`crate::shortcuts`]).
#[component]
pub fn SearchBox(
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    /// Focus left the field.
    #[prop(optional, into)]
    on_done: Option<Callback<()>>,
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
    // `/` focuses the search: through the app's shortcuts (which can be turned off, and listen
    // only inside the app when it is embedded), or anywhere on a page without them.
    let focus_search = move |ev: &web_sys::KeyboardEvent| {
        if let Some(input) = input.get_untracked() {
            ev.prevent_default();
            let _ = input.focus();
        }
    };
    let shortcuts = use_context::<crate::shortcuts::Shortcuts>()
        .unwrap_or_else(|| crate::shortcuts::Shortcuts::new(None, true));
    shortcuts.on_key("/", focus_search);

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
                    aria-keyshortcuts=move || shortcuts.enabled.get().then_some("/")
                    prop:value=move || value.get()
                    on:input:target=move |ev| on_input.run(ev.target().value())
                    on:blur=move |_| {
                        if let Some(done) = on_done {
                            done.run(());
                        }
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" && !value.with_untracked(String::is_empty) {
                            ev.prevent_default();
                            on_input.run(String::new());
                        }
                    }
                />
                <Show when=move || shortcuts.enabled.get()>
                    <kbd aria-hidden="true">"/"</kbd>
                </Show>
            </span>
        </div>
    }
}
