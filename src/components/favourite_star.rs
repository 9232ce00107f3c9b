//! A service's star: a toggle button (`aria-pressed`) that stars or unstars it for the user.

use crate::store::Starred;
use leptos::prelude::*;
use stylers::style;

#[component]
pub fn FavouriteStar(id: u64, #[prop(into)] name: Signal<String>) -> impl IntoView {
    let styler_class = style! {
        button {
            font: inherit;
            font-size: 1.125rem;
            line-height: 1;
            width: 1.75rem;
            height: 1.75rem;
            margin-right: var(--pw-space-1);
            padding: 0;
            border: 1px solid transparent;
            border-radius: var(--pw-radius);
            background: none;
            color: var(--pw-color-text-muted);
            cursor: pointer;
            vertical-align: middle;
        }
        button:hover {
            border-color: var(--pw-color-border-strong);
        }
        button[aria-pressed="true"] {
            color: var(--pw-color-star);
        }
    };
    use_context::<Starred>().map(|starred| {
        let on = move || starred.is_starred(id);
        view! { class = styler_class,
            <button
                type="button"
                class="star"
                data-star=id
                aria-pressed=move || on().to_string()
                aria-label=move || format!("Favourite: {}", name.get())
                title="Favourite"
                on:click=move |_| starred.toggle(id, name.get_untracked())
            >
                <span aria-hidden="true">{move || if on() { "★" } else { "☆" }}</span>
            </button>
        }
    })
}
