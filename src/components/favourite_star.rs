//! A service's star: a toggle button (`aria-pressed`) that stars or unstars it for the user.

use super::html_row::{At, HtmlRow, Write};
use crate::store::Starred;
use leptos::prelude::*;
use stylers::style;

/// The star's scoped style (table rows write the star as HTML with this class).
// stylers' build collects only `let … = style! {…}` statements into the stylesheet.
#[allow(clippy::let_and_return)]
fn star_style() -> &'static str {
    let class = style! {
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
    class
}

#[component]
pub fn FavouriteStar(id: u64, #[prop(into)] name: Signal<String>) -> impl IntoView {
    let styler_class = star_style();
    use_context::<Starred>().map(|starred| {
        let on = move || starred.is_starred(id);
        view! { class = styler_class,
            <button
                type="button"
                class="star"
                data-star=id
                aria-pressed=move || on().to_string()
                aria-label=move || name.with(|n| label(n))
                title="Favourite"
                on:click=move |_| starred.toggle(id, name.get_untracked())
            >
                <span aria-hidden="true">{move || glyph(on())}</span>
            </button>
        }
    })
}

fn label(name: &str) -> String {
    format!("Favourite: {name}")
}

fn glyph(on: bool) -> &'static str {
    if on {
        "★"
    } else {
        "☆"
    }
}

/// A table row's star, written into the row's HTML: the same button as [`FavouriteStar`]'s,
/// with no listener (the table body sends its clicks to [`Starred::toggle`]). Its live values,
/// in order, are [`star_values`].
pub(crate) fn write_star(html: &mut HtmlRow, id: u64) {
    let scope = star_style();
    html.text(format!(
        r#"<button type="button" class="star {scope}" data-star="{id}" aria-pressed=""#
    ));
    html.live(Write::Attr("aria-pressed"), At::Select("button[data-star]"));
    html.text(r#"" aria-label=""#);
    html.live(Write::Attr("aria-label"), At::Select("button[data-star]"));
    html.text(format!(
        r#"" title="Favourite"><span aria-hidden="true" class="{scope}">"#
    ));
    html.live(Write::Html, At::Select("button[data-star] > span"));
    html.text("</span></button>");
}

/// The values of [`write_star`]'s live parts.
pub(crate) fn star_values(values: &mut Vec<String>, starred: bool, name: &str) {
    values.push(starred.to_string());
    values.push(label(name));
    values.push(glyph(starred).to_string());
}
