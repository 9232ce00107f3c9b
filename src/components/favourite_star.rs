//! A service's star: a toggle button (`aria-pressed`) that stars or unstars it for the user.

use super::html_row::{At, HtmlRow, Write};
use stylers::style;

/// The star's scoped style (rows write the star as HTML with this class).
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

/// A row's star (table row or card), written into the row's HTML, with no listener (the list
/// sends its clicks to [`crate::store::Starred::toggle`]). Its live values, in order, are
/// [`star_values`].
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
pub(crate) fn star_values(starred: bool, name: &str) -> [String; 3] {
    [starred.to_string(), label(name), glyph(starred).to_string()]
}
